"""Keys and buckets of the leaderboard rollup (tables `board_totals` and `board_hist`).

A board is a scope (global, one community, one campaign) and a period (all time, the current
week, today). Its period key is 0 for all time, the ordinal of the week's Monday for a week
and the ordinal of the date for a day, both read in the scope's time zone by the caller.

Ranks are competition ranks: 1 + the number of visible players with MORE points, so players
with equal points share a rank. The histogram makes that count cheap: `bucket_of(points)` is
the points themselves below `EXACT_BELOW` (1024), and above it 64 buckets per power of two
(bucket width 2**(k-6) for points in [2**k, 2**(k+1))). A rank is the sum of the buckets above
the player's bucket plus, in a wide bucket, the players of that bucket with more points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

SCOPE_GLOBAL, SCOPE_COMMUNITY, SCOPE_CAMPAIGN = 0, 1, 2
PERIOD_ALL, PERIOD_WEEK, PERIOD_DAY = 0, 1, 2
PERIODS = (PERIOD_ALL, PERIOD_WEEK, PERIOD_DAY)
EXACT_BELOW = 1024
_SUB = 64  # buckets per power of two above EXACT_BELOW
_LOG_EXACT = EXACT_BELOW.bit_length() - 1  # 10

POINTS_COL = {PERIOD_ALL: "all_pts", PERIOD_WEEK: "week_pts", PERIOD_DAY: "day_pts"}
KEY_COL = {PERIOD_ALL: None, PERIOD_WEEK: "week_key", PERIOD_DAY: "day_key"}


@dataclass(frozen=True, slots=True)
class BoardKey:
    """One board: scope, scope id (0 for global), period and period key (0 for all time)."""

    scope: int
    scope_id: int
    period: int
    period_key: int = 0


def bucket_of(points: int) -> int:
    """The histogram bucket of a positive total (see the module docstring)."""
    if points < EXACT_BELOW:
        return points
    k = points.bit_length() - 1
    shift = k - 6
    return EXACT_BELOW + (k - _LOG_EXACT) * _SUB + ((points - (1 << k)) >> shift)


def bucket_bounds(bucket: int) -> tuple[int, int]:
    """The smallest and largest total that fall into `bucket`."""
    if bucket < EXACT_BELOW:
        return bucket, bucket
    octave, sub = divmod(bucket - EXACT_BELOW, _SUB)
    k = octave + _LOG_EXACT
    width = 1 << (k - 6)
    low = (1 << k) + sub * width
    return low, low + width - 1


def period_keys(ts: float, zone: tzinfo) -> tuple[int, int]:
    """(week key, day key) of the instant `ts` in `zone`: ordinals of the local Monday and
    the local date."""
    day = datetime.fromtimestamp(ts, zone).date()
    ordinal = day.toordinal()
    return ordinal - day.weekday(), ordinal


def day_start(ordinal: int, zone: tzinfo) -> float:
    """The instant (epoch seconds) the local day `ordinal` begins in `zone`."""
    return datetime.combine(date.fromordinal(ordinal), time(0), tzinfo=zone).timestamp()


def period_bounds(ts: float, zone: tzinfo) -> tuple[tuple[int, float, float], ...]:
    """((week key, start, end), (day key, start, end)) of the local week and day holding the
    instant `ts` in `zone`; an instant t lies in them iff start <= t < end."""
    week, day = period_keys(ts, zone)
    return (
        (week, day_start(week, zone), day_start(week + 7, zone)),
        (day, day_start(day, zone), day_start(day + 1, zone)),
    )


class PeriodClock:
    """`period_keys` with a cache of the current local day per zone: an answer batch asks
    for thousands of instants within the same few seconds."""

    def __init__(self) -> None:
        self._days: dict[tzinfo, tuple[float, float, int, int]] = {}

    def keys(self, ts: float, zone: tzinfo) -> tuple[int, int]:
        hit = self._days.get(zone)
        if hit is not None and hit[0] <= ts < hit[1]:
            return hit[2], hit[3]
        week, day = period_keys(ts, zone)
        self._days[zone] = (day_start(day, zone), day_start(day + 1, zone), week, day)
        return week, day
