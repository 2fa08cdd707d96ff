"""Levels: 18 levels on a documented, configurable XP curve.

A new player is level 1 with 0 XP; the top level is `LevelCurve.max_level` (18 by default,
like Crowdsource by Google). The default curve is MEE6's, which Discord users already know:
going from level ``L`` to ``L + 1`` costs ``a*n^2 + b*n + c`` XP with ``n = L - 1`` and
``a, b, c = 5, 50, 100``. So level 2 needs 100 XP in total, level 3 needs 255, level 11 needs
4,675 (MEE6's level 10) and level 18 needs 15,980.

A curve can instead be an explicit list of total-XP thresholds, one per level, starting at 0
and strictly increasing (``thresholds[i]`` is the total XP needed to reach level ``i + 1``).

From `STATS_UNLOCK_LEVEL` (6) on, a player sees their own accuracy and agreement figures.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

STATS_UNLOCK_LEVEL = 6
DEFAULT_MAX_LEVEL = 18


class LevelCurveError(ValueError):
    """A level curve that cannot work (not strictly increasing, too short, bad key...)."""


def _validate_thresholds(thresholds: tuple[int, ...]) -> None:
    if len(thresholds) < 2:
        raise LevelCurveError(f"levels: need at least 2 levels, got {len(thresholds)}")
    for index, value in enumerate(thresholds):
        if isinstance(value, bool) or not isinstance(value, int):
            raise LevelCurveError(
                f"levels.thresholds[{index}] (level {index + 1}) must be a whole number, "
                f"got {value!r}"
            )
    if thresholds[0] != 0:
        raise LevelCurveError(f"levels.thresholds[0] (level 1) must be 0, got {thresholds[0]}")
    for index in range(1, len(thresholds)):
        if thresholds[index] <= thresholds[index - 1]:
            raise LevelCurveError(
                f"levels.thresholds must be strictly increasing: level {index + 1} needs "
                f"{thresholds[index]} XP, not more than level {index} ({thresholds[index - 1]})"
            )


@dataclass(frozen=True, slots=True)
class LevelInfo:
    """Where a total of `xp` puts a player.

    `xp_for_next` is the size of the current level's span (the "/ 255" in "120 / 255 XP"),
    `xp_to_next` what is still missing; both are None at the top level, where progress is 1.
    """

    level: int
    xp: int
    xp_into_level: int
    xp_for_next: int | None
    xp_to_next: int | None
    progress: float

    @property
    def is_max(self) -> bool:
        return self.xp_for_next is None


@dataclass(frozen=True, slots=True)
class LevelCurve:
    """Total XP needed per level: ``thresholds[i]`` reaches level ``i + 1``; ``[0] == 0``."""

    thresholds: tuple[int, ...]

    def __post_init__(self) -> None:
        _validate_thresholds(self.thresholds)

    @classmethod
    def polynomial(
        cls, a: int = 5, b: int = 50, c: int = 100, max_level: int = DEFAULT_MAX_LEVEL
    ) -> LevelCurve:
        """The curve where level ``L -> L + 1`` costs ``a*n^2 + b*n + c`` XP, ``n = L - 1``."""
        if max_level < 2:
            raise LevelCurveError(f"levels.max_level must be at least 2, got {max_level}")
        totals = [0]
        for n in range(max_level - 1):
            cost = a * n * n + b * n + c
            if cost <= 0:
                raise LevelCurveError(
                    f"levels: a*n^2 + b*n + c = {a}*{n}^2 + {b}*{n} + {c} = {cost} XP to go from "
                    f"level {n + 1} to {n + 2}; every level must cost more than 0 XP"
                )
            totals.append(totals[-1] + cost)
        return cls(tuple(totals))

    @classmethod
    def from_thresholds(cls, thresholds: Sequence[int]) -> LevelCurve:
        """An explicit curve: total XP to reach level 1, 2, ... (first 0, strictly increasing)."""
        return cls(tuple(thresholds))

    @classmethod
    def from_config(cls, raw: Mapping[str, Any]) -> LevelCurve:
        """Build from a `[levels]` table: ``thresholds = [...]`` or ``a, b, c, max_level``."""
        known = {"thresholds", "a", "b", "c", "max_level"}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise LevelCurveError(
                f"levels: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})"
            )
        if "thresholds" in raw:
            extra = sorted(set(raw) & {"a", "b", "c", "max_level"})
            if extra:
                raise LevelCurveError(
                    f"levels: give either 'thresholds' or a, b, c, max_level, not both "
                    f"(found {extra[0]!r})"
                )
            values = raw["thresholds"]
            if isinstance(values, str | bytes) or not isinstance(values, Sequence):
                raise LevelCurveError("levels.thresholds must be a list of whole numbers")
            return cls.from_thresholds(values)
        args = {key: raw[key] for key in ("a", "b", "c", "max_level") if key in raw}
        for key, value in args.items():
            if isinstance(value, bool) or not isinstance(value, int):
                raise LevelCurveError(f"levels.{key} must be a whole number, got {value!r}")
        return cls.polynomial(**args)

    @property
    def max_level(self) -> int:
        return len(self.thresholds)

    def xp_to_reach(self, level: int) -> int:
        """Total XP needed to reach `level` (1..max_level)."""
        if not 1 <= level <= self.max_level:
            raise ValueError(f"level must be between 1 and {self.max_level}, got {level}")
        return self.thresholds[level - 1]

    def level_for(self, xp: int) -> LevelInfo:
        """The level reached with `xp` total XP (a negative total counts as 0)."""
        xp = max(xp, 0)
        level = bisect.bisect_right(self.thresholds, xp)
        floor = self.thresholds[level - 1]
        if level == self.max_level:
            return LevelInfo(level, xp, xp - floor, None, None, 1.0)
        span = self.thresholds[level] - floor
        into = xp - floor
        return LevelInfo(level, xp, into, span, span - into, into / span)

    def level_number(self, xp: int) -> int:
        """`level_for(xp).level` alone (the answer batch asks it for every player)."""
        return bisect.bisect_right(self.thresholds, max(xp, 0))

    def levels_gained(self, old_xp: int, new_xp: int) -> list[int]:
        """Every level newly reached going from `old_xp` to `new_xp` (empty when not higher)."""
        old_level = self.level_for(old_xp).level
        new_level = self.level_for(new_xp).level
        return list(range(old_level + 1, new_level + 1))


DEFAULT_CURVE = LevelCurve.polynomial()


def level_for(xp: int, curve: LevelCurve = DEFAULT_CURVE) -> LevelInfo:
    """`LevelCurve.level_for` on the default (or a given) curve."""
    return curve.level_for(xp)


def levels_gained(old_xp: int, new_xp: int, curve: LevelCurve = DEFAULT_CURVE) -> list[int]:
    """`LevelCurve.levels_gained` on the default (or a given) curve."""
    return curve.levels_gained(old_xp, new_xp)


def can_see_accuracy(level: int) -> bool:
    """From level 6 (`STATS_UNLOCK_LEVEL`) a player sees their own accuracy and agreement."""
    return level >= STATS_UNLOCK_LEVEL
