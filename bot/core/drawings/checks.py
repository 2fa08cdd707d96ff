"""Checks of a drawing as the page sends it (pure): every problem is an `InvalidInput` whose
message names the part that is wrong (the canvas, a stroke, a point) and the limit.

Rules: the canvas is 1..`max_canvas` pixels each way; at least one stroke, at most
`max_strokes`, at most `max_points` points in all; each stroke has points and x, y, t lists of
one length; coordinates are finite and inside the canvas give or take a margin (a tenth of its
larger side: a pen may slip past the edge); t is milliseconds since the drawing's first point,
never negative and never decreasing, across strokes too (Quick, Draw!'s raw format)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.core.drawings import texts
from bot.core.drawings.models import RawDrawing, RawStroke
from bot.core.kernel.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Caps:
    max_strokes: int
    max_points: int
    max_canvas: int


def check_drawing(raw: RawDrawing, caps: Caps) -> None:
    """Raise `InvalidInput` naming the first problem of `raw` (see the module rules)."""
    w, h = raw.width, raw.height
    if not (1 <= w <= caps.max_canvas and 1 <= h <= caps.max_canvas):
        raise InvalidInput(texts.CANVAS_SIZE, width=w, height=h, most=caps.max_canvas)
    if not raw.strokes:
        raise InvalidInput(texts.NO_STROKES)
    if len(raw.strokes) > caps.max_strokes:
        raise InvalidInput(texts.TOO_MANY_STROKES, count=len(raw.strokes), most=caps.max_strokes)
    total = sum(len(s.x) for s in raw.strokes)
    if total > caps.max_points:
        raise InvalidInput(texts.TOO_MANY_POINTS, count=total, most=caps.max_points)
    margin = max(w, h) / 10
    last_t = 0
    for i, stroke in enumerate(raw.strokes):
        _check_lists(i, stroke)
        for j, (x, y, t) in enumerate(zip(stroke.x, stroke.y, stroke.t, strict=True)):
            if not (math.isfinite(x) and math.isfinite(y)):
                raise InvalidInput(texts.NOT_FINITE, stroke=i, point=j)
            if not (-margin <= x <= w + margin and -margin <= y <= h + margin):
                raise InvalidInput(texts.OUTSIDE, stroke=i, point=j, x=x, y=y, width=w, height=h)
            if t < 0:
                raise InvalidInput(texts.NEGATIVE_TIME, stroke=i, point=j, t=t)
            if t < last_t:
                raise InvalidInput(texts.TIME_BACKWARDS, stroke=i, point=j, t=t, before=last_t)
            last_t = t


def _check_lists(i: int, stroke: RawStroke) -> None:
    nx, ny, nt = len(stroke.x), len(stroke.y), len(stroke.t)
    if nx != ny or nx != nt:
        raise InvalidInput(texts.UNEQUAL_LISTS, stroke=i, nx=nx, ny=ny, nt=nt)
    if nx == 0:
        raise InvalidInput(texts.EMPTY_STROKE, stroke=i)


def duration_ms(raw: RawDrawing) -> int:
    """Milliseconds from the first point to the last (a checked drawing)."""
    return int(raw.strokes[-1].t[-1]) - int(raw.strokes[0].t[0])
