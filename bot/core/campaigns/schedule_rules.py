"""When a channel's scheduled rounds run: pure rules over a time zone and `now`.

A schedule has an interval (`every` minutes), a daily window of active hours in the
community's time zone, a maximum number of rounds per day and quiet days.

Rules:
- Window: on each local date D that is not a quiet day, the window opens at D + `start` and
  closes at D + `end`; when `end <= start` it closes on D + 1 (so "22:00-02:00" crosses
  midnight and "00:00-24:00" is the whole day). Local times are turned into instants with the
  zone's rules of that date, so a window keeps its wall-clock hours across DST changes; a
  start that falls in a spring-forward gap opens when the clocks show the first real time
  after it (02:30 in a 02:00->03:00 gap opens at 03:30).
- A window belongs to the date it opens on: quiet days and the per-day maximum are counted
  by that date (a 22:00-02:00 window on Friday is Friday's, even after midnight).
- A run is due when `now >= next_run_at`. A due run posts one round if `now` is inside a
  window whose day has not reached its maximum; the next run is `now + every` (or the end of
  the window when the maximum is reached), moved to the next window opening if that instant
  is outside every window. Because the next run is computed from `now`, runs missed while the
  process was down (or the campaign paused) collapse into one round: they are coalesced,
  never replayed in a burst.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.campaigns import texts
from bot.core.kernel.errors import InvalidInput
from bot.core.kernel.settings import CampaignSettings

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-–]\s*(\d{1,2})(?::(\d{2}))?\s*$")
MAX_EVERY_MINUTES = 7 * 24 * 60


@dataclass(frozen=True, slots=True)
class Rule:
    """A schedule's rule. Minutes are counted from local midnight; `max_per_day` 0 means no
    maximum; `quiet_days` holds weekday numbers (0 = Monday)."""

    every_minutes: int
    start_minute: int = 0
    end_minute: int = 0
    max_per_day: int = 0
    quiet_days: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if not 1 <= self.every_minutes <= MAX_EVERY_MINUTES:
            raise InvalidInput(texts.BAD_EVERY, most=MAX_EVERY_MINUTES, minutes=self.every_minutes)
        if not (0 <= self.start_minute < 1440 and 0 <= self.end_minute <= 1440):
            raise InvalidInput(texts.HOURS_OUT_OF_DAY)
        if self.max_per_day < 0:
            raise InvalidInput(texts.BAD_MAX_PER_DAY, max_per_day=self.max_per_day)
        if len(self.quiet_days) >= 7 or not self.quiet_days <= set(range(7)):
            raise InvalidInput(texts.QUIET_EVERY_DAY)


@dataclass(frozen=True, slots=True)
class Decision:
    """What a due run does: post a round or not, when to run next, the day's count."""

    post: bool
    next_run_at: float
    day_key: str
    day_count: int


def rule_from(
    defaults: CampaignSettings,
    every: int | None = None,
    hours: str | None = None,
    max_per_day: int | None = None,
    quiet_days: str | None = None,
) -> Rule:
    """The rule asked for, each value left out (None) taken from `[campaigns]`."""
    start, end = parse_hours(defaults.hours if hours is None else hours)
    return Rule(
        defaults.every_minutes if every is None else every,
        start,
        end,
        defaults.max_per_day if max_per_day is None else max_per_day,
        parse_days(defaults.quiet_days if quiet_days is None else quiet_days),
    )


def zone(name: str) -> ZoneInfo:
    """The time zone called `name` (InvalidInput naming it when unknown)."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(texts.UNKNOWN_TIME_ZONE, name=name) from None


def parse_hours(text: str) -> tuple[int, int]:
    """`"9-21"`, `"09:00-21:30"`, `"22:00-02:00"`, `"all"` -> (start, end) minutes."""
    if text.strip().lower() in ("all", "always", "any", "24h", ""):
        return 0, 0
    m = _HOURS.match(text)
    if m is None:
        raise InvalidInput(texts.HOURS_NOT_A_RANGE, text=text)
    sh, sm, eh, em = (int(g) if g else 0 for g in m.groups())
    if sh > 23 or sm > 59 or em > 59 or eh > 24 or (eh == 24 and em):
        raise InvalidInput(texts.HOURS_NOT_ONE_DAY, text=text)
    return sh * 60 + sm, (eh * 60 + em) % 1440 if eh < 24 else 1440


def parse_days(text: str) -> frozenset[int]:
    """`"sat,sun"` (or full names, any case, spaces allowed; "none" for no quiet day)."""
    days: set[int] = set()
    for word in re.split(r"[,\s]+", text.strip().lower()):
        if word in ("", "none", "-"):
            continue
        key = word[:3]
        if key not in DAY_NAMES:
            raise InvalidInput(texts.QUIET_NOT_A_DAY, word=word)
        days.add(DAY_NAMES.index(key))
    return frozenset(days)


def format_hours(start: int, end: int) -> str:
    if (start, end) in ((0, 0), (0, 1440)):
        return "all day"
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def format_days(days: frozenset[int]) -> str:
    return ",".join(DAY_NAMES[d] for d in sorted(days)) or "none"


def _local(day: date, minute: int, tz: ZoneInfo) -> float:
    """The instant the clocks in `tz` show `minute` after midnight of `day` (see the rule on
    DST gaps: fold=0 reads a missing time with the offset in force before the change)."""
    extra, minute = divmod(minute, 1440)
    wall = datetime.combine(day + timedelta(days=extra), time(minute // 60, minute % 60))
    return wall.replace(tzinfo=tz).timestamp()


def window(rule: Rule, day: date, tz: ZoneInfo) -> tuple[float, float]:
    """The window of local date `day`: [opens, closes)."""
    end = rule.end_minute if rule.end_minute > rule.start_minute else rule.end_minute + 1440
    return _local(day, rule.start_minute, tz), _local(day, end, tz)


def window_at(rule: Rule, t: float, tz: ZoneInfo) -> tuple[float, float, date] | None:
    """The window containing instant `t` (opens, closes, its date), or None."""
    today = datetime.fromtimestamp(t, tz).date()
    for day in (today - timedelta(days=1), today):
        if day.weekday() in rule.quiet_days:
            continue
        opens, closes = window(rule, day, tz)
        if opens <= t < closes:
            return opens, closes, day
    return None


def next_active(rule: Rule, t: float, tz: ZoneInfo) -> float:
    """The first instant at or after `t` inside a window."""
    if window_at(rule, t, tz) is not None:
        return t
    today = datetime.fromtimestamp(t, tz).date()
    for offset in range(0, 9):
        day = today + timedelta(days=offset)
        if day.weekday() in rule.quiet_days:
            continue
        opens, _ = window(rule, day, tz)
        if opens >= t:
            return opens
    raise AssertionError("a rule with an active weekday always has a next window")


def first_run(rule: Rule, now: float, tz: ZoneInfo) -> float:
    """When a new schedule runs first: now if a window is open, else when the next opens."""
    return next_active(rule, now, tz)


def plan(rule: Rule, now: float, tz: ZoneInfo, day_key: str, day_count: int) -> Decision:
    """What a due run does at `now`, given the day (`day_key`, ISO date) and count of the
    last post (see the module rules)."""
    found = window_at(rule, now, tz)
    if found is None:
        return Decision(False, next_active(rule, now, tz), day_key, day_count)
    _opens, closes, day = found
    key = day.isoformat()
    count = day_count if key == day_key else 0
    if rule.max_per_day and count >= rule.max_per_day:
        return Decision(False, next_active(rule, closes, tz), key, count)
    count += 1
    nxt = now + rule.every_minutes * 60
    if rule.max_per_day and count >= rule.max_per_day:
        nxt = max(nxt, closes)
    return Decision(True, next_active(rule, nxt, tz), key, count)


def describe(rule: Rule) -> str:
    """One line: `every 60 min, 09:00-21:00, at most 8 a day, quiet on sat,sun`."""
    parts = [f"every {rule.every_minutes} min", format_hours(rule.start_minute, rule.end_minute)]
    if rule.max_per_day:
        parts.append(f"at most {rule.max_per_day} a day")
    if rule.quiet_days:
        parts.append(f"quiet on {format_days(rule.quiet_days)}")
    return ", ".join(parts)
