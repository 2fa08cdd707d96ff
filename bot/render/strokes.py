"""Doodle geometry and replay pacing: pure math over `Stroke`s, no Pillow.

Placement rule (`place`): output coordinates are pixels of a `size`×`size` canvas.

- Simplified data (no timing, every coordinate in 0..255, Google's frame) keeps Google's scale,
  `p = pad + v·(size − 2·pad)/255`, and is centred along its shorter side.
- Anything else (raw data: floats, negatives, any device's range) is normalised by its
  bounding box: one uniform scale `(size − 2·pad)/max(width, height)`, centred.
- A drawing whose points all coincide becomes one dot in the middle.
- `pad` is 6 % of the size plus half the line width, so thick lines never touch the edge.

Pacing rule (`pace`): every point gets a replay time in ms.

- Timed (raw) drawings use `t`, forced non-decreasing and shifted to start at 0; the pause
  before each stroke is capped at `GAP_CAP_MS` (300 ms): players pause to think, viewers
  should not have to wait for them.
- Untimed (simplified) drawings get synthetic time proportional to length: the pen moves
  `PEN_SPEED` output pixels per ms (scaled to a 256 px canvas) and rests `SYNTHETIC_GAP_MS`
  between strokes; a dot takes no time.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

from storage.doodles import Stroke

log = logging.getLogger(__name__)

GAP_CAP_MS = 300.0
SYNTHETIC_GAP_MS = 150.0
PEN_SPEED = 0.5
"""Synthetic pen speed in pixels of a 256 px canvas per ms (a 256 px line takes 0.5 s)."""
SIMPLIFIED_MAX = 255.0

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class PlacedStroke:
    """A stroke in canvas pixels with one replay time (ms) per point."""

    points: tuple[Point, ...]
    times: tuple[float, ...]


def padding(size: int, line_width: float) -> float:
    """Blank margin around the drawing, in pixels."""
    return size * 0.06 + line_width / 2


def check_strokes(strokes: Sequence[Stroke]) -> None:
    """Reject input that cannot be drawn, naming the stroke and point."""
    if not strokes:
        raise ValueError("doodle has no strokes to draw")
    for i, s in enumerate(strokes):
        for j, (x, y) in enumerate(zip(s.x, s.y, strict=True)):
            if not (math.isfinite(x) and math.isfinite(y)):
                raise ValueError(f"stroke {i}, point {j}: coordinate is not finite ({x}, {y})")


def is_simplified(strokes: Sequence[Stroke]) -> bool:
    """Untimed and inside Google's 0..255 frame."""
    return all(
        s.t is None and all(0 <= v <= SIMPLIFIED_MAX for v in (*s.x, *s.y)) for s in strokes
    )


def place(strokes: Sequence[Stroke], size: int, line_width: float) -> list[tuple[Point, ...]]:
    """Map every stroke to canvas pixels (see the module rule)."""
    check_strokes(strokes)
    xs = [v for s in strokes for v in s.x]
    ys = [v for s in strokes for v in s.y]
    min_x, min_y = min(xs), min(ys)
    width, height = max(xs) - min_x, max(ys) - min_y
    span = size - 2 * padding(size, line_width)
    extent = SIMPLIFIED_MAX if is_simplified(strokes) else max(width, height) or 1.0
    scale = span / extent
    # measured from the box's corner, not as `x * scale + offset`: with a tiny extent the scale
    # is huge and the two large terms of the latter cancel to garbage (a point at the edge)
    off_x = (size - width * scale) / 2
    off_y = (size - height * scale) / 2
    return [
        tuple(
            ((x - min_x) * scale + off_x, (y - min_y) * scale + off_y)
            for x, y in zip(s.x, s.y, strict=True)
        )
        for s in strokes
    ]


def pace(
    strokes: Sequence[Stroke], placed: Sequence[tuple[Point, ...]], size: int
) -> list[PlacedStroke]:
    """Attach replay times to placed strokes (see the module rule)."""
    timings = [s.t for s in strokes if s.t is not None]
    if len(timings) == len(strokes):
        times = _real_times(timings)
    else:
        times = _synthetic_times(placed, size)
    return [PlacedStroke(p, t) for p, t in zip(placed, times, strict=True)]


def _real_times(timings: Sequence[tuple[int, ...]]) -> list[tuple[float, ...]]:
    out: list[tuple[float, ...]] = []
    shift = 0.0  # time removed so far: the start offset plus the excess of long pauses
    last_raw: float | None = None
    last_end = 0.0
    for t in timings:
        raw = [float(v) for v in t]
        for j in range(1, len(raw)):  # some devices jitter: never let time run backwards
            raw[j] = max(raw[j], raw[j - 1])
        if last_raw is None:
            shift = raw[0]
        else:
            start = max(raw[0], last_raw)
            gap = start - last_raw
            shift += max(0.0, gap - GAP_CAP_MS)
            raw = [max(v, last_raw) for v in raw]
        stroke_times = tuple(max(v - shift, last_end) for v in raw)
        out.append(stroke_times)
        last_raw, last_end = raw[-1], stroke_times[-1]
    return out


def _synthetic_times(placed: Sequence[tuple[Point, ...]], size: int) -> list[tuple[float, ...]]:
    speed = PEN_SPEED * size / 256
    out: list[tuple[float, ...]] = []
    clock = 0.0
    for i, pts in enumerate(placed):
        if i:
            clock += SYNTHETIC_GAP_MS
        times = [clock]
        for a, b in itertools.pairwise(pts):
            clock += math.dist(a, b) / speed
            times.append(clock)
        out.append(tuple(times))
    return out


def point_at(stroke: PlacedStroke, index: int, when: float) -> Point:
    """Pen position at time `when` between point `index - 1` and point `index`."""
    (x0, y0), (x1, y1) = stroke.points[index - 1], stroke.points[index]
    t0, t1 = stroke.times[index - 1], stroke.times[index]
    f = 1.0 if t1 <= t0 else min(1.0, max(0.0, (when - t0) / (t1 - t0)))
    return (x0 + (x1 - x0) * f, y0 + (y1 - y0) * f)
