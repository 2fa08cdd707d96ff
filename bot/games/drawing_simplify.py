"""Simplify a drawing the way Quick, Draw!'s simplified files are made (pure functions).

Rule (Quick, Draw! dataset README, "Simplified Drawing files", github.com/googlecreativelab/
quickdraw-dataset; see docs/quickdraw.md):
1. align the drawing to the top-left corner, so the minimum x and y are 0;
2. scale it uniformly so the larger extent is 255 (the other may be smaller); a drawing with
   no extent (one point) stays at 0;
3. resample every stroke at 1-pixel spacing along its path (its first and last point kept);
4. simplify every stroke with Ramer-Douglas-Peucker, epsilon 2.0;
then round to integers in 0..255. Timing is dropped. Stroke order and point order are kept;
a stroke reduced to a single point becomes a "dot" of two equal points, as in Google's files.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

BOX = 255
EPSILON = 2.0
SPACING = 1.0

Points = list[tuple[float, float]]
IntStroke = tuple[tuple[int, ...], tuple[int, ...]]


def simplify(strokes: Sequence[tuple[Sequence[float], Sequence[float]]]) -> list[IntStroke]:
    """Raw strokes (x list, y list each) -> simplified strokes with integer 0..255 points."""
    scaled = normalize([list(zip(xs, ys, strict=True)) for xs, ys in strokes])
    out: list[IntStroke] = []
    for pts in scaled:
        kept = rdp(resample(pts, SPACING), EPSILON)
        xs = tuple(_clamp(x) for x, _ in kept)
        ys = tuple(_clamp(y) for _, y in kept)
        if len(xs) == 1:
            xs, ys = xs * 2, ys * 2
        out.append((xs, ys))
    return out


def normalize(strokes: Sequence[Points]) -> list[Points]:
    """Steps 1 and 2: top-left at (0, 0), the larger extent scaled to `BOX`."""
    every = [p for s in strokes for p in s]
    if not every:
        return []
    min_x = min(x for x, _ in every)
    min_y = min(y for _, y in every)
    extent = max(max(x for x, _ in every) - min_x, max(y for _, y in every) - min_y)
    scale = BOX / extent if extent > 0 else 0.0
    return [[((x - min_x) * scale, (y - min_y) * scale) for x, y in s] for s in strokes]


def resample(points: Points, spacing: float) -> Points:
    """Step 3: points every `spacing` along the path, from the first point; the last point
    is kept too."""
    if len(points) < 2:
        return list(points)
    out = [points[0]]
    carry = 0.0  # path length since the last emitted point
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        seg = math.hypot(x1 - x0, y1 - y0)
        pos = spacing - carry
        while pos <= seg:
            f = pos / seg
            out.append((x0 + (x1 - x0) * f, y0 + (y1 - y0) * f))
            pos += spacing
        carry = seg - (pos - spacing)
    if out[-1] != points[-1]:
        out.append(points[-1])
    return out


def rdp(points: Points, epsilon: float) -> Points:
    """Step 4: Ramer-Douglas-Peucker, iterative; the first and last point are always kept
    and the kept points stay in order."""
    n = len(points)
    if n < 3:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        lo, hi = stack.pop()
        far, far_d = -1, epsilon
        for i in range(lo + 1, hi):
            d = _distance(points[i], points[lo], points[hi])
            if d > far_d:
                far, far_d = i, d
        if far >= 0:
            keep[far] = True
            stack.extend(((lo, far), (far, hi)))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from `p` to the segment a-b (to `a` when the segment is a point)."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    f = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + f * dx), py - (ay + f * dy))


def _clamp(v: float) -> int:
    return max(0, min(BOX, round(v)))
