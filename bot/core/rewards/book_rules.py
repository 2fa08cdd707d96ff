"""The rules the reward book applies to one player's rows: streak state to and from the
stored row, zones, badge counters, and the texts of level-ups and new badges."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.core.rewards import (
    BadgeDef,
    LevelCurve,
    PlayerCounters,
    PointsRules,
    StreakEventKind,
    StreakRules,
    StreakState,
)
from bot.core.rewards.points import PHOTO, TRANSLATION
from storage import CampaignRow, RewardSnapshot, RewardsRow, StatsDelta

NOTIFY_STREAK = {
    StreakEventKind.FREEZE_EARNED,
    StreakEventKind.FREEZE_USED,
    StreakEventKind.BROKEN,
}
"""Streak events the player is told about."""


CONTRIBUTION_COUNTERS = {TRANSLATION: "translations_accepted", PHOTO: "photos_accepted"}
"""Contribution kind -> the badge counter an accepted one adds to."""
JSON_COUNTERS = ("typed_agreed", "translations_accepted", "photos_accepted")
"""Badge counters kept in `player_stats.counters` (JSON; no column of their own)."""


class Answered(Protocol):
    """What the book reads of a stored answer (an `AnswerRequest` of the batch)."""

    player_id: int
    campaign: CampaignRow
    platform: str
    created_at: float
    extra: dict[str, Any]


def contribution_counter(kind: str) -> str:
    """The badge counter of an accepted contribution of `kind`; ValueError if unknown."""
    counter = CONTRIBUTION_COUNTERS.get(kind)
    if counter is None:
        known = ", ".join(sorted(CONTRIBUTION_COUNTERS))
        raise ValueError(f"unknown contribution kind {kind!r} (known: {known})")
    return counter


def bumped(
    stored: Mapping[str, Any], current: dict[str, Any] | None, counter: str
) -> dict[str, Any]:
    """The JSON counters with one more `counter`: `current` (this unit's copy) when there is
    one, else a copy of `stored` (the snapshot's, left as loaded)."""
    out = dict(stored) if current is None else current
    out[counter] = int(out.get(counter, 0)) + 1
    return out


@dataclass(frozen=True, slots=True)
class RewardRules:
    """Everything configurable about rewards, built from `[rewards]` and `[[badges]]`."""

    points: PointsRules
    curve: LevelCurve
    streaks: StreakRules
    badges: tuple[BadgeDef, ...]
    default_tz: str = "UTC"
    announce_level_ups: bool = True


def streak_state(row: RewardsRow) -> StreakState:
    """The stored streak of a reward row as the streak rules see it."""
    last = None if row.streak_last_at is None else datetime.fromtimestamp(row.streak_last_at, UTC)
    reminded = None if not row.reminded_on else date.fromisoformat(row.reminded_on)
    return StreakState(
        row.streak_current,
        max(row.streak_best, row.streak_current),
        last,
        row.freezes,
        row.toward_freeze,
        reminded,
    )


def with_streak(row: RewardsRow, state: StreakState) -> RewardsRow:
    return replace(
        row,
        streak_current=state.current,
        streak_best=state.best,
        streak_last_at=None if state.last_at is None else state.last_at.timestamp(),
        freezes=state.freezes,
        toward_freeze=state.toward_freeze,
        reminded_on=None if state.reminded_on is None else state.reminded_on.isoformat(),
    )


def set_streak(row: RewardsRow, state: StreakState) -> None:
    """`with_streak` in place (the batch's own rows, see `RewardsRow`)."""
    row.streak_current, row.streak_best = state.current, state.best
    row.streak_last_at = None if state.last_at is None else state.last_at.timestamp()
    row.freezes, row.toward_freeze = state.freezes, state.toward_freeze
    row.reminded_on = None if state.reminded_on is None else state.reminded_on.isoformat()


@lru_cache(maxsize=512)
def zone_of(name: str | None, default: str) -> tzinfo:
    """The zone `name`, else `default` (unset or unknown name); remembered per pair, as
    every answer batch asks it for every player."""
    try:
        return ZoneInfo(name or default)
    except (ValueError, KeyError):
        return ZoneInfo(default)


def counters_of(
    snap: RewardSnapshot,
    row: RewardsRow,
    streak_days: int,
    level: int,
    delta: StatsDelta | None = None,
    counters: Mapping[str, Any] | None = None,
) -> PlayerCounters:
    """The badge counters of a player: stats (plus this batch's delta), reward row and the
    JSON counters (`counters` when this unit changed them, else the snapshot's)."""
    d = delta or StatsDelta(snap.player_id)
    json_counters = snap.counters if counters is None else counters
    gold_answered = snap.gold_answered + d.gold_answered
    return PlayerCounters(
        answers=snap.answers + d.answers,
        gold_answered=gold_answered,
        gold_right=min(snap.gold_right + d.gold_right, gold_answered),
        streak_days=streak_days,
        best_streak=max(row.streak_best, streak_days),
        distinct_games=count_csv(row.games),
        first_correct_guesses=row.first_correct,
        correct_guesses=row.correct_guesses,
        items_finalized=row.items_finalized,
        campaigns_contributed=row.campaigns,
        platforms_used=count_csv(row.platforms),
        right_in_a_row=row.right_best,
        reviews_done=int(json_counters.get("reviews_done", 0)),
        typed_agreed=int(json_counters.get("typed_agreed", 0)),
        translations_accepted=int(json_counters.get("translations_accepted", 0)),
        photos_accepted=int(json_counters.get("photos_accepted", 0)),
        level=level,
        points=max(snap.points + d.points, 0),
    )


def count_csv(csv: str) -> int:
    return len([x for x in csv.split(",") if x])


def has_csv(csv: str, value: str) -> bool:
    return value in csv.split(",")


def add_csv(csv: str, value: str) -> str:
    items = [x for x in csv.split(",") if x]
    return csv if value in items else ",".join(sorted([*items, value]))


LEVEL_UP = "⬆️ Level"


def level_up_text(curve: LevelCurve, level: int, points: int) -> str:
    """The private level-up message, e.g. "⬆️ Level 4! 420 XP; level 5 at 555 XP."."""
    text = f"{LEVEL_UP} {level}! {points:,} XP"
    if level < curve.max_level:
        text += f"; level {level + 1} at {curve.xp_to_reach(level + 1):,} XP."
    else:
        text += ": the top level. Legendary."
    if level == 6:
        text += " You can now see your accuracy and agreement in /profile."
    return text


def badge_text(badge: BadgeDef) -> str:
    return f"🏅 New badge: {badge.emoji} {badge.name} — {badge.description}"
