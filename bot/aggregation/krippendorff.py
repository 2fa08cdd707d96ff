"""Krippendorff's alpha for interval data (ratings on a numeric scale).

Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011 (Annenberg School for
Communication, University of Pennsylvania), section C (interval metric). Units are the items,
coders the players, values the ratings. Only units with at least two values (m_u >= 2) are
pairable; n = sum of m_u over them. With the interval difference delta(c, k) = (c - k)^2:

    D_o = 1/n * sum_u 1/(m_u - 1) * sum_{i != j in u} (x_i - x_j)^2
    D_e = 1/(n (n - 1)) * sum_{i != j over all pairable values} (x_i - x_j)^2
    alpha = 1 - D_o / D_e

Since sum_{i != j} (x_i - x_j)^2 = 2 m SS (SS the sum of squared deviations from the mean of
the m values), this is alpha = 1 - (n - 1) * sum_u [m_u SS_u / (m_u - 1)] / (n SS_all).

1 is perfect agreement, 0 chance level, negative systematic disagreement. NaN when undefined:
fewer than two pairable values, or every pairable value the same (nothing to explain). One
value per coder and unit: a later row for the same (unit, coder) replaces an earlier one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from bot.aggregation.metrics import krippendorff_alpha_nominal


def _ss(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return sum((x - mean) ** 2 for x in values)


def krippendorff_alpha_interval(rows: Iterable[tuple[str, str, float]]) -> float:
    """Alpha (interval) of long-form (unit, coder, value) rows (see the module docstring)."""
    cells: dict[str, dict[str, float]] = {}
    for unit, coder, value in rows:
        cells.setdefault(unit, {})[coder] = float(value)
    units = [list(c.values()) for c in cells.values() if len(c) >= 2]
    pooled = [x for u in units for x in u]
    n = len(pooled)
    if n < 2:
        return math.nan
    total = _ss(pooled)
    if total <= 1e-12 * max(1.0, max(abs(x) for x in pooled)) ** 2:
        return math.nan
    within = sum(len(u) * _ss(u) / (len(u) - 1) for u in units)
    return 1.0 - (n - 1) * within / (n * total)


def alpha_at_level(level: str, rows: Sequence[tuple[str, str, str]]) -> float:
    """Krippendorff's alpha of long-form (unit, coder, label) rows at a game's level of
    measurement: "interval" (labels are numbers) or "nominal" (any other level)."""
    if level == "interval":
        return krippendorff_alpha_interval((u, c, float(lab)) for u, c, lab in rows)
    return krippendorff_alpha_nominal(rows)
