"""Rows of the answer batch: what core computes for the batch to write, and the reward rows
it reads and updates. Plain values only, no behaviour."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storage.rows.content import NewLedgerEntry, Standing


@dataclass(frozen=True, slots=True)
class TallyUpdate:
    campaign_id: int
    item_id: int
    n_answers: int
    counts: dict[str, list[float]]
    label: str | None
    confidence: float | None
    agreement: float | None
    status: str
    finalized_at: float | None
    release: int = 0


@dataclass(slots=True)
class StatsDelta:
    player_id: int
    points: int = 0
    answers: int = 0
    gold_answered: int = 0
    gold_right: int = 0
    settled: int = 0
    agreed: int = 0
    last_answer_at: float | None = None


@dataclass(slots=True)
class RewardsRow:
    """A `player_rewards` row (defaults: a player who has not earned anything yet). Mutable:
    each load makes fresh rows, which the answer batch updates in place."""

    player_id: int
    level: int = 1
    on_boards: bool = True
    streak_current: int = 0
    streak_best: int = 0
    streak_last_at: float | None = None
    freezes: int = 0
    toward_freeze: int = 0
    reminded_on: str | None = None
    games: str = ""
    platforms: str = ""
    campaigns: int = 0
    first_correct: int = 0
    correct_guesses: int = 0
    items_finalized: int = 0
    right_run: int = 0
    right_best: int = 0
    badges: str = ""


@dataclass(slots=True)
class RewardSnapshot:
    """Everything the reward rules read about one player: the player, their stats, their
    reward row (`stored` False when it does not exist yet), the home community's time zone
    and announcement channel. Read-only by convention (not frozen: an answer batch builds
    hundreds, and a frozen dataclass is several times slower to build)."""

    player_id: int
    display_name: str
    hidden: bool
    reminders: bool
    home_community_id: int | None
    points: int
    answers: int
    gold_answered: int
    gold_right: int
    settled: int
    agreed: int
    counters: dict[str, Any]
    timezone: str | None
    community_name: str | None
    announce_platform: str | None
    announce_channel: str | None
    rewards: RewardsRow
    stored: bool


@dataclass(frozen=True, slots=True)
class StreakEventRow:
    player_id: int
    at: float
    day: str
    kind: str
    streak: int
    text: str


@dataclass(slots=True)
class BoardDelta:
    """Points to add to one player's row of one scope: all time, to the week `week_key` and
    to the day `day_key`. `visible` is used when the row is created. Read-only by convention
    (not frozen: an answer batch builds three per answer)."""

    scope: int
    scope_id: int
    player_id: int
    points: int
    week_key: int
    day_key: int
    visible: bool = True


@dataclass(frozen=True, slots=True)
class AnswerWrites:
    """What an answer batch computed, for the store to write (`AnswerUnit.write_answers`):
    solo rounds now answered, tally updates, ledger entries, stats deltas and standings."""

    now: float
    solo_rounds: Sequence[int] = ()
    tallies: Sequence[TallyUpdate] = ()
    ledger: Sequence[NewLedgerEntry] = ()
    stats: Sequence[StatsDelta] = ()
    standings: Sequence[Standing] = ()
