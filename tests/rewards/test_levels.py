"""Levels: 18 levels on the MEE6 curve by default, custom curves validated."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.rewards import (
    DEFAULT_CURVE,
    STATS_UNLOCK_LEVEL,
    LevelCurve,
    LevelCurveError,
    can_see_accuracy,
    level_for,
    levels_gained,
)


def test_default_curve_has_18_levels_and_mee6_costs() -> None:
    assert DEFAULT_CURVE.max_level == 18
    for level in range(1, 18):
        n = level - 1
        cost = DEFAULT_CURVE.xp_to_reach(level + 1) - DEFAULT_CURVE.xp_to_reach(level)
        assert cost == 5 * n * n + 50 * n + 100
    assert DEFAULT_CURVE.xp_to_reach(11) == 4675  # MEE6's published total for its level 10


def test_boundaries() -> None:
    assert level_for(0).level == 1
    assert level_for(99).level == 1
    assert level_for(100).level == 2
    top = DEFAULT_CURVE.xp_to_reach(18)
    assert level_for(top - 1).level == 17
    assert level_for(top).level == 18


def test_progress_inside_a_level() -> None:
    info = level_for(150)  # level 2 spans 100..255
    assert (info.level, info.xp_into_level, info.xp_for_next, info.xp_to_next) == (2, 50, 155, 105)
    assert info.progress == pytest.approx(50 / 155)
    assert not info.is_max


def test_max_level_has_no_next() -> None:
    info = level_for(10**9)
    assert info.level == 18
    assert info.is_max
    assert info.xp_for_next is None
    assert info.xp_to_next is None
    assert info.progress == 1.0


def test_negative_xp_counts_as_zero() -> None:
    assert level_for(-50).level == 1
    assert level_for(-50).xp_into_level == 0


def test_levels_gained_lists_every_new_level() -> None:
    assert levels_gained(90, 300) == [2, 3]
    assert levels_gained(100, 120) == []
    assert levels_gained(300, 90) == []


def test_custom_explicit_curve() -> None:
    curve = LevelCurve.from_config({"thresholds": [0, 15, 75, 250, 500]})
    assert curve.max_level == 5
    assert curve.level_for(74).level == 2
    assert curve.level_for(500).is_max
    assert curve.levels_gained(0, 300) == [2, 3, 4]


def test_custom_polynomial_curve() -> None:
    curve = LevelCurve.from_config({"a": 0, "b": 100, "c": 75, "max_level": 30})
    assert curve.max_level == 30
    assert curve.xp_to_reach(2) == 75
    assert curve.xp_to_reach(3) == 75 + 175


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"thresholds": [0, 100, 100, 300]}, "strictly increasing: level 3"),
        ({"thresholds": [10, 100]}, r"thresholds\[0\] \(level 1\) must be 0"),
        ({"thresholds": [0]}, "at least 2 levels"),
        ({"thresholds": [0, "ten"]}, r"thresholds\[1\] \(level 2\) must be a whole number"),
        ({"thresholds": "0,10"}, "must be a list"),
        ({"a": -5, "b": 0, "c": 10}, "every level must cost more than 0"),
        ({"a": 5, "max_level": 1}, "max_level must be at least 2"),
        ({"a": 1.5}, "levels.a must be a whole number"),
        ({"step": 5}, "unknown key 'step'"),
        ({"thresholds": [0, 10], "a": 1}, "either 'thresholds' or"),
    ],
)
def test_invalid_curves_are_rejected_with_a_message(raw: dict[str, object], message: str) -> None:
    with pytest.raises(LevelCurveError, match=message):
        LevelCurve.from_config(raw)


def test_accuracy_unlocks_at_level_6() -> None:
    assert STATS_UNLOCK_LEVEL == 6
    assert not can_see_accuracy(5)
    assert can_see_accuracy(6)
    assert can_see_accuracy(18)


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_level_is_monotone_in_xp(xp1: int, xp2: int) -> None:
    low, high = sorted((xp1, xp2))
    assert level_for(low).level <= level_for(high).level
    gained = levels_gained(low, high)
    assert len(gained) == level_for(high).level - level_for(low).level


@given(st.sets(st.integers(1, 10**7), min_size=1, max_size=40), st.integers(0, 10**7))
def test_any_increasing_curve_places_xp_between_its_thresholds(
    thresholds: set[int], xp: int
) -> None:
    curve = LevelCurve.from_thresholds([0, *sorted(thresholds)])
    info = curve.level_for(xp)
    assert curve.xp_to_reach(info.level) <= xp
    assert 0.0 <= info.progress <= 1.0
    if not info.is_max:
        assert xp < curve.xp_to_reach(info.level + 1)
        assert info.xp_into_level + (info.xp_to_next or 0) == info.xp_for_next
