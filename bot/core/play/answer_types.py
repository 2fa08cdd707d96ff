"""What the answer batch takes and gives back, one answer at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.core.rewards import LedgerEntry
from storage import CampaignRow, ItemRow, RoundRow

Assessed = tuple[int, str | None, bool, bool | None, float, str | None]
"""Per live request: (index, quality flag, counts toward the tally, correct on gold, weight,
onboarding event)."""


@dataclass(slots=True)
class AnswerRequest:
    """One answer for the batch (read-only by convention: not frozen, as a frozen
    dataclass of this width costs more to build than the rest of its submission)."""

    player_id: int
    round: RoundRow
    campaign: CampaignRow
    item: ItemRow
    label: str
    platform: str
    created_at: float
    latency_ms: int | None
    community_id: int | None
    gold_items: int
    extra: dict[str, Any] = field(default_factory=dict)
    bonus: tuple[LedgerEntry, ...] = ()
    """Points decided by the game at answer time (quick-draw guess points); paid unless the
    answer is flagged as spam."""


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    """What happened to one answer. `status`: stored, duplicate or closed."""

    status: str
    answer_id: int | None = None
    entries: tuple[LedgerEntry, ...] = ()
    flag: str | None = None
    correct: bool | None = None
    onboarding_event: str | None = None
    finalized: bool = False
    label: str | None = None

    @property
    def points(self) -> int:
        return sum(e.points for e in self.entries)
