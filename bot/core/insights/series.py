"""Pure rules of the dashboard's time series: UTC days, gaps filled, running totals.

- a day is a UTC calendar day, numbered from the epoch (`storage` groups by `t // 86400`);
- a series runs from its first day with data to its last, every day in between present
  (zero when nothing happened), at most `MAX_DAYS` days (the newest ones);
- the cumulative series adds each day to the days before it, so its last value is the total.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

DAY_S = 86400
MAX_DAYS = 366

Series = list[tuple[date, int]]


def day_of(number: int) -> date:
    """The calendar date of a UTC day number."""
    return datetime.fromtimestamp(number * DAY_S, UTC).date()


def daily(points: Sequence[tuple[int, int]]) -> Series:
    """(day number, value) pairs, in order, with the missing days as zeros."""
    if not points:
        return []
    values = dict(points)
    first, last = min(values), max(values)
    first = max(first, last - MAX_DAYS + 1)
    return [(day_of(d), values.get(d, 0)) for d in range(first, last + 1)]


def cumulative(series: Series, before: int = 0) -> Series:
    """Running totals of a daily series (`before`: what came before its first day)."""
    out: Series = []
    total = before
    for day, value in series:
        total += value
        out.append((day, total))
    return out
