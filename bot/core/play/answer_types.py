"""What the answer batch takes and gives back, one answer at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.core.kernel.errors import InvalidInput
from bot.core.play import texts
from bot.core.rewards import LedgerEntry
from storage import CampaignRow, ItemRow, RoundRow

_WHITESPACE = frozenset("\t\n\r")


def refuse_control_characters(text: str, *, whitespace: bool = False) -> None:
    """Raise InvalidInput naming the first control character (Unicode category Cc: NUL,
    escape, delete, ...) in `text`, a player's answer label or typed guess, before it reaches
    the store (PostgreSQL refuses NUL in text, and no label needs the others). `whitespace`:
    tab, newline and carriage return are allowed (free text that is normalized later)."""
    for ch in text:
        if (ch < " " or "\x7f" <= ch <= "\x9f") and not (whitespace and ch in _WHITESPACE):
            raise InvalidInput(texts.CONTROL_CHARACTER, char=f"U+{ord(ch):04X}")


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
    """What happened to one answer. `status`: stored, duplicate, closed (the round), or
    inactive (its campaign is paused or ended)."""

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
