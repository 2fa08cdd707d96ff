"""What the dashboard's read models return: plain frozen dataclasses, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.insights.series import Series
from storage import AuditEntry, CampaignRow, ItemListRow, ItemRow


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    """A campaign with its community's name (None: shared) and its progress over its
    non-gold items: `finalized` counts crowd-finalized and expert-reviewed items."""

    campaign: CampaignRow
    community: str | None
    items: int
    finalized: int
    in_review: int
    open: int
    answers: int
    players: int

    @property
    def progress(self) -> float:
        return self.finalized / self.items if self.items else 0.0


@dataclass(frozen=True, slots=True)
class CampaignOverview:
    """One campaign's figures and series (UTC days)."""

    summary: CampaignSummary
    answers_per_day: Series
    finalized_cumulative: Series
    labels: dict[str, int]
    alpha: float | None
    mean_confidence: float | None


@dataclass(frozen=True, slots=True)
class Contributor:
    """One player's work in a campaign; `who` is their name (admins, players not hidden)
    or their export pseudonym, `named` says which."""

    who: str
    named: bool
    answers: int
    gold_answered: int
    gold_right: int
    last_at: float
    points: int

    @property
    def gold_accuracy(self) -> float | None:
        return self.gold_right / self.gold_answered if self.gold_answered else None


@dataclass(frozen=True, slots=True)
class Page:
    """Which page of how many (1-based), of `total` rows."""

    number: int
    size: int
    total: int

    @property
    def count(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


@dataclass(frozen=True, slots=True)
class ItemPage:
    campaign: CampaignRow
    state: str | None
    page: Page
    rows: list[ItemListRow]


@dataclass(frozen=True, slots=True)
class AnswerView:
    """One answer as the dashboard shows it (`who` as for `Contributor`)."""

    who: str
    label: str
    at: float
    is_gold: bool
    correct: bool | None
    weight: float
    flag: str | None
    stored: str = ""
    """The answer as stored (the game's canonical form: boxes as JSON), for drawing it."""


@dataclass(frozen=True, slots=True)
class ItemDetail:
    campaign: CampaignRow
    item: ItemRow
    row: ItemListRow
    answers: list[AnswerView]
    has_media: bool


@dataclass(frozen=True, slots=True)
class AuditView:
    """One log entry; `about` names the player a review action was about (as `who`) or is
    empty, `campaign` is the campaign's name when the entry is about one."""

    entry: AuditEntry
    campaign: str | None
    about: str = ""


@dataclass(frozen=True, slots=True)
class AuditPage:
    page: Page
    rows: list[AuditView] = field(default_factory=list)
