"""Daily streaks that never break silently.

The rules (numbers configurable in `StreakRules`):

* **A day counts** when the player stores at least one answer on that calendar date in their
  time zone (an IANA name such as ``"Europe/Berlin"``; UTC by default). Days are calendar
  dates, not 24-hour windows, so DST days of 23 or 25 hours count as one day each.
* **Consecutive days** extend the streak by one; the best streak ever is kept.
* **Freezes.** Every completed run of `freeze_every_days` (7) consecutive active days earns
  one streak freeze, up to `max_freezes` (2) in stock. When the player comes back after
  missing days, each missed day consumes one freeze; a frozen day keeps the streak alive but
  does not add to its length, and restarts the run towards the next freeze. Freezes are only
  spent when they can save the whole gap: with too few, the streak breaks and the freezes are
  kept.
* **Breaking** happens on the first activity after an uncovered gap, with a `BROKEN` event
  whose text names the missed day ("missed 2026-11-20 with no freeze left"), followed by
  `STARTED` for the new one-day streak.
* **Time-zone changes.** The last activity is stored as an instant (`last_at`) and its date is
  always read in the zone of the current call, so switching zones behaves as if the player
  had always lived there: a day is never counted twice, and a zone change alone never breaks
  a streak. Activity older than `last_at` (clock skew) changes nothing.
* **Reminders** (opt-in, sent by a scheduled job): see `needs_reminder`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)


class StreakEventKind(StrEnum):
    STARTED = "started"
    EXTENDED = "extended"
    FREEZE_EARNED = "freeze_earned"
    FREEZE_USED = "freeze_used"
    BROKEN = "broken"


@dataclass(frozen=True, slots=True)
class StreakEvent:
    """Something that happened to a streak; `text` is meant for the player and the audit log.

    `day` is the local day concerned (the missed day for FREEZE_USED, the first uncovered
    missed day for BROKEN); `streak` is the length after the event (the ended length for BROKEN).
    """

    kind: StreakEventKind
    day: date
    streak: int
    text: str


@dataclass(frozen=True, slots=True)
class StreakRules:
    """How freezes are earned and stocked."""

    freeze_every_days: int = 7
    max_freezes: int = 2

    def __post_init__(self) -> None:
        if self.freeze_every_days < 1:
            raise ValueError(
                f"streaks.freeze_every_days must be >= 1, got {self.freeze_every_days}"
            )
        if self.max_freezes < 0:
            raise ValueError(f"streaks.max_freezes must be >= 0, got {self.max_freezes}")


DEFAULT_STREAK_RULES = StreakRules()


@dataclass(frozen=True, slots=True)
class StreakState:
    """A player's streak as stored: lengths in days, `last_at` an aware instant or None."""

    current: int = 0
    best: int = 0
    last_at: datetime | None = None
    freezes: int = 0
    toward_freeze: int = 0
    reminded_on: date | None = None

    def __post_init__(self) -> None:
        if min(self.current, self.best, self.freezes, self.toward_freeze) < 0:
            raise ValueError(f"streak counts must be >= 0: {self}")
        if self.best < self.current:
            raise ValueError(f"best streak {self.best} is below the current {self.current}")
        if self.last_at is not None:
            _require_aware(self.last_at, "last_at")

    def last_day(self, tz: str | tzinfo = "UTC") -> date | None:
        """The date of the last activity, read in `tz`."""
        if self.last_at is None:
            return None
        return self.last_at.astimezone(resolve_zone(tz)).date()


class StreakHealth(StrEnum):
    NONE = "none"
    ALIVE = "alive"
    AT_RISK = "at_risk"
    BROKEN = "broken"


@dataclass(frozen=True, slots=True)
class StreakStatus:
    """The streak as seen at one moment.

    ALIVE: already counted today. AT_RISK: not yet today but still saveable (answering today
    spends `freezes_needed` freezes). BROKEN: can no longer be saved; `current` is then 0.
    `breaks_at` is the instant (UTC) the streak is lost without activity.
    """

    health: StreakHealth
    current: int
    freezes_needed: int
    breaks_at: datetime | None
    text: str


def resolve_zone(tz: str | tzinfo) -> tzinfo:
    """A tzinfo for an IANA name (or a tzinfo itself); unknown names raise ValueError."""
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {tz!r} (expected a name like 'Europe/Berlin')"
        ) from exc


def start_of_day(day: date, tz: str | tzinfo) -> datetime:
    """The UTC instant local `day` begins in `tz` (right on DST days and skipped midnights)."""
    # fold=0 maps a skipped local midnight to the pre-transition offset: the real day start.
    return datetime.combine(day, time(0), tzinfo=resolve_zone(tz)).astimezone(UTC)


def apply_activity(
    state: StreakState,
    now: datetime,
    tz: str | tzinfo = "UTC",
    rules: StreakRules = DEFAULT_STREAK_RULES,
) -> tuple[StreakState, list[StreakEvent]]:
    """Count an answer stored at `now`; returns the new state and what happened."""
    _require_aware(now, "now")
    zone = resolve_zone(tz)
    today = now.astimezone(zone).date()
    if state.last_at is None or state.current == 0:
        return _start(state, now, today, [])
    if now < state.last_at:
        return state, []
    last = state.last_at.astimezone(zone).date()
    if today <= last:
        return replace(state, last_at=now), []
    missed = (today - last).days - 1
    if missed == 0:
        return _extend(state, [], now, today, rules)
    if missed <= state.freezes:
        return _extend(*_use_freezes(state, last, missed), now, today, rules)
    broken = StreakEvent(
        StreakEventKind.BROKEN,
        last + timedelta(days=1),
        state.current,
        _broken_text(state, last, missed),
    )
    return _start(state, now, today, [broken])


def grant_freeze(
    state: StreakState,
    now: datetime,
    tz: str | tzinfo = "UTC",
    rules: StreakRules = DEFAULT_STREAK_RULES,
    *,
    reason: str = "a reward",
) -> tuple[StreakState, list[StreakEvent]]:
    """Give one freeze from another source (e.g. a perfect calibration round), within the cap."""
    _require_aware(now, "now")
    if state.freezes >= rules.max_freezes:
        return state, []
    day = now.astimezone(resolve_zone(tz)).date()
    new = replace(state, freezes=state.freezes + 1)
    text = f"earned a streak freeze for {reason} ({new.freezes} in stock)"
    return new, [StreakEvent(StreakEventKind.FREEZE_EARNED, day, new.current, text)]


def status_at(state: StreakState, now: datetime, tz: str | tzinfo = "UTC") -> StreakStatus:
    """Whether the streak is alive, at risk today, or broken, as seen at `now`."""
    _require_aware(now, "now")
    zone = resolve_zone(tz)
    last = state.last_day(zone)
    if last is None or state.current == 0:
        return StreakStatus(StreakHealth.NONE, 0, 0, None, "no streak yet")
    today = now.astimezone(zone).date()
    breaks_at = start_of_day(last + timedelta(days=state.freezes + 2), zone)
    if today <= last:
        text = f"{state.current}-day streak, today done"
        return StreakStatus(StreakHealth.ALIVE, state.current, 0, breaks_at, text)
    missed = (today - last).days - 1
    if missed <= state.freezes:
        text = f"{state.current}-day streak: answer today to keep it"
        if missed:
            text += f" ({missed} freeze{'s' if missed > 1 else ''} will be used)"
        return StreakStatus(StreakHealth.AT_RISK, state.current, missed, breaks_at, text)
    text = _broken_text(state, last, missed)
    return StreakStatus(StreakHealth.BROKEN, 0, 0, breaks_at, text)


def needs_reminder(
    state: StreakState,
    now: datetime,
    tz: str | tzinfo,
    remind_before_hours: float,
    *,
    min_streak: int = 1,
) -> bool:
    """The opt-in reminder rule, evaluated by a scheduled job.

    True when the streak (at least `min_streak` days) is AT_RISK - not yet counted today, so
    the end of today will cost a freeze or the streak - the local day ends within
    `remind_before_hours` (0 < h <= 24), and the player was not reminded today already
    (`mark_reminded` records that).
    """
    if not 0 < remind_before_hours <= 24:
        raise ValueError(f"remind_before_hours must be in (0, 24], got {remind_before_hours}")
    status = status_at(state, now, tz)
    if status.health is not StreakHealth.AT_RISK or state.current < min_streak:
        return False
    zone = resolve_zone(tz)
    today = now.astimezone(zone).date()
    if state.reminded_on == today:
        return False
    day_ends = start_of_day(today + timedelta(days=1), zone)
    return day_ends - now <= timedelta(hours=remind_before_hours)


def mark_reminded(state: StreakState, now: datetime, tz: str | tzinfo = "UTC") -> StreakState:
    """Record that today's reminder went out, so the job sends at most one a day."""
    _require_aware(now, "now")
    return replace(state, reminded_on=now.astimezone(resolve_zone(tz)).date())


def _start(
    state: StreakState, now: datetime, today: date, events: list[StreakEvent]
) -> tuple[StreakState, list[StreakEvent]]:
    new = replace(state, current=1, best=max(state.best, 1), last_at=now, toward_freeze=1)
    events.append(StreakEvent(StreakEventKind.STARTED, today, 1, "streak started: day 1"))
    return new, events


def _extend(
    state: StreakState,
    events: list[StreakEvent],
    now: datetime,
    today: date,
    rules: StreakRules,
) -> tuple[StreakState, list[StreakEvent]]:
    current = state.current + 1
    toward, freezes = state.toward_freeze + 1, state.freezes
    events.append(StreakEvent(StreakEventKind.EXTENDED, today, current, f"streak day {current}"))
    if toward >= rules.freeze_every_days:
        toward = 0
        if freezes < rules.max_freezes:
            freezes += 1
            text = (
                f"{rules.freeze_every_days} days in a row: earned a streak freeze "
                f"({freezes} in stock)"
            )
            events.append(StreakEvent(StreakEventKind.FREEZE_EARNED, today, current, text))
    new = replace(
        state,
        current=current,
        best=max(state.best, current),
        last_at=now,
        freezes=freezes,
        toward_freeze=toward,
    )
    return new, events


def _use_freezes(
    state: StreakState, last: date, missed: int
) -> tuple[StreakState, list[StreakEvent]]:
    events = []
    for offset in range(1, missed + 1):
        day = last + timedelta(days=offset)
        left = state.freezes - offset
        text = f"used a streak freeze for {day.isoformat()} ({left} left)"
        events.append(StreakEvent(StreakEventKind.FREEZE_USED, day, state.current, text))
    return replace(state, freezes=state.freezes - missed, toward_freeze=0), events


def _broken_text(state: StreakState, last: date, missed: int) -> str:
    first = last + timedelta(days=1)
    days = first.isoformat()
    if missed > 1:
        days += f" to {(last + timedelta(days=missed)).isoformat()} ({missed} days)"
    stock = "no freeze left" if state.freezes == 0 else f"only {state.freezes} freeze"
    if state.freezes > 1:
        stock += "s"
    return f"your {state.current}-day streak ended: missed {days} with {stock}"


def _require_aware(moment: datetime, name: str) -> None:
    # A naive datetime would silently be read as the server's local time.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {moment!r}")
