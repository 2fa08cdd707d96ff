"""Rows of the feature stores: schedules and audit, doodle guesses, the review log, board
lines, streak history, announcement targets. Plain values only, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storage.rows.content import RoundRow


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """A schedule with where it posts: the channel's platform, id and name, and the
    community's time zone as stored (`tz_set`: a moderator chose it)."""

    id: int
    campaign_id: int
    channel_id: int
    every_minutes: int
    start_minute: int
    end_minute: int
    max_per_day: int
    quiet_days: frozenset[int]
    next_run_at: float
    last_run_at: float | None
    day_key: str
    day_count: int
    last_round_id: int | None
    version: int
    created_by: str
    platform: str
    channel_external_id: str
    channel_name: str
    community_id: int | None
    timezone: str | None
    tz_set: bool


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: float
    actor: str
    platform: str
    actor_id: str
    action: str
    target: str
    campaign_id: int | None
    detail: str


@dataclass(frozen=True, slots=True)
class NewSchedule:
    campaign_id: int
    channel_id: int
    every_minutes: int
    start_minute: int
    end_minute: int
    max_per_day: int
    quiet_days: frozenset[int]
    next_run_at: float
    created_by: str


@dataclass(frozen=True, slots=True)
class NewGuess:
    """One guess to store (see migration 003 for the meaning of each column)."""

    round_id: int | None
    campaign_id: int
    item_id: int
    player_id: int
    text: str
    normalized: str
    label: str
    kind: str
    correct: bool
    hints_shown: int
    after_reveal: bool
    is_first: bool
    points: int
    latency_ms: int | None
    mode: str
    platform: str
    created_at: float


@dataclass(frozen=True, slots=True)
class GuessRow(NewGuess):
    id: int = 0


@dataclass(frozen=True, slots=True)
class GuessGuard:
    """What the database says about a guess about to be written (`AnswerUnit.guard_guess`),
    read with the round and the player locked: `status` is the round's (`inactive` when its
    campaign is not active, `gone` when the round is), `round` the round as stored, `guesses`
    how many guesses of the player the round holds, `recent` when those made after `since`
    were made."""

    status: str
    round: RoundRow | None
    guesses: int
    recent: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ReviewLogEntry:
    """A moderator action to record. `actor` is "<platform>:<user id>" or "cli"."""

    action: str
    actor: str
    created_at: float
    actor_player_id: int | None = None
    campaign_id: int | None = None
    item_id: int | None = None
    player_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReviewLogRow:
    id: int
    created_at: float
    action: str
    actor: str
    actor_player_id: int | None
    campaign_id: int | None
    item_id: int | None
    player_id: int | None
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class BoardLine:
    """One line of a board: competition rank, player, points in the window, and the
    player's lifetime points (for their level)."""

    rank: int
    player_id: int
    display_name: str
    points: int
    lifetime_points: int


@dataclass(frozen=True, slots=True)
class StreakEventView:
    at: float
    day: str
    kind: str
    streak: int
    text: str


@dataclass(frozen=True, slots=True)
class AnnounceTarget:
    """A community with an announcement channel."""

    community_id: int
    name: str
    timezone: str
    platform: str
    channel_external_id: str
