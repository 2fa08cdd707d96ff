"""Placement and replay pacing of doodle strokes (pure math)."""

from __future__ import annotations

import pytest

from bot.render.doodle import frame_delays
from bot.render.strokes import GAP_CAP_MS, pace, place
from tests.support.images import line, stroke


def _paced(strokes: tuple) -> list:  # type: ignore[type-arg]
    return pace(strokes, place(strokes, 256, 5), 256)


def test_real_timing_starts_at_zero_and_caps_pauses() -> None:
    strokes = (line(0, 0, 10, 0, t0=2, ms=100), line(0, 5, 10, 5, t0=5102, ms=100))
    first, second = _paced(strokes)
    assert first.times[0] == 0
    assert first.times[-1] == pytest.approx(100)
    assert second.times[0] - first.times[-1] == pytest.approx(GAP_CAP_MS)
    assert second.times[-1] - second.times[0] == pytest.approx(100)


def test_short_pauses_are_kept() -> None:
    strokes = (line(0, 0, 10, 0, t0=0, ms=100), line(0, 5, 10, 5, t0=150, ms=100))
    first, second = _paced(strokes)
    assert second.times[0] - first.times[-1] == pytest.approx(50)


def test_time_never_runs_backwards() -> None:
    jittery = (stroke([(0, 0), (1, 1), (2, 2)], [0, 50, 40]), stroke([(5, 5), (6, 6)], [30, 60]))
    times = [t for s in _paced(jittery) for t in s.times]
    assert times == sorted(times)


def test_untimed_strokes_take_time_proportional_to_length() -> None:
    long, short = line(0, 0, 250, 0), line(0, 50, 25, 50)
    first, second = _paced((long, short))
    long_ms = first.times[-1] - first.times[0]
    short_ms = second.times[-1] - second.times[0]
    assert long_ms == pytest.approx(10 * short_ms, rel=0.01)
    assert second.times[0] > first.times[-1], "strokes are replayed one after the other"


def test_mixed_timing_falls_back_to_synthetic() -> None:
    strokes = (line(0, 0, 100, 0, t0=0, ms=10_000), line(0, 50, 100, 50))
    first, _ = _paced(strokes)
    assert first.times[-1] < 10_000


def test_frame_delays_use_gif_units_and_add_the_hold() -> None:
    delays = frame_delays(2345, 23, 2000)
    assert len(delays) == 23
    assert all(d % 10 == 0 and d >= 20 for d in delays)
    assert abs(sum(delays) - 2000 - 2345) <= 5, "no drift: the total is the play time"
    assert delays[-1] >= 2000
