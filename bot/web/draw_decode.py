"""Decoding what the drawing page sends (issue 15) into `RawDrawing`, with a clear message
naming what is wrong (`DrawInputError`, answered 400 by `bot.web.draw_page`).

Rules (Quick, Draw!'s raw format, nothing else about the device):
- the body is a JSON object: `prompt_id` (a positive integer), `width` and `height` (whole
  canvas pixels, 1..`MAX_SIDE`), `strokes`: a list of 1..`MAX_STROKES` strokes, each
  `[xs, ys, ts]`, three lists of the same length (1..`MAX_POINTS_PER_STROKE` points);
- x and y are finite numbers (a stroke may leave the canvas while the pointer is captured,
  so they are not clamped; they are kept as drawn); t are whole milliseconds since the
  drawing's first point: >= 0 and never decreasing, within a stroke and from one stroke to
  the next;
- at most `MAX_POINTS` points in all; unknown keys are ignored (never stored).
"""

from __future__ import annotations

import math
from typing import Any

from bot.core.drawings.models import RawDrawing, RawStroke

MAX_SIDE = 4096
MAX_STROKES = 200
MAX_POINTS_PER_STROKE = 4000
MAX_POINTS = 20_000


class DrawInputError(ValueError):
    """The body is not a drawing the page could have sent; `message` says what is wrong."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def positive_int(body: dict[str, Any], key: str, limit: int = 2**53) -> int:
    """`body[key]` as an integer 1..limit, or `DrawInputError` naming the key."""
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        raise DrawInputError(f"{key} must be a whole number from 1 to {limit}")
    return value


def _numbers(values: Any, what: str) -> tuple[float, ...]:
    if not isinstance(values, list):
        raise DrawInputError(f"{what} must be a list of numbers")
    out: list[float] = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise DrawInputError(f"{what} must hold finite numbers only")
        out.append(float(v))
    return tuple(out)


def _times(values: Any, what: str, after: int) -> tuple[int, ...]:
    if not isinstance(values, list):
        raise DrawInputError(f"{what} must be a list of whole milliseconds")
    out: list[int] = []
    last = after
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise DrawInputError(f"{what} must hold whole milliseconds >= 0")
        if v < last:
            raise DrawInputError(f"{what} must never decrease (t is time since the first point)")
        out.append(v)
        last = v
    return tuple(out)


def _stroke(raw: Any, n: int, after: int) -> RawStroke:
    where = f"strokes[{n}]"
    if not isinstance(raw, list) or len(raw) != 3:
        raise DrawInputError(f"{where} must be [xs, ys, ts]")
    xs, ys = _numbers(raw[0], f"{where} xs"), _numbers(raw[1], f"{where} ys")
    ts = _times(raw[2], f"{where} ts", after)
    if not len(xs) == len(ys) == len(ts):
        raise DrawInputError(f"{where}: xs, ys and ts must have the same length")
    if not 1 <= len(xs) <= MAX_POINTS_PER_STROKE:
        raise DrawInputError(f"{where} must have 1 to {MAX_POINTS_PER_STROKE} points")
    return RawStroke(xs, ys, ts)


def decode_drawing(body: dict[str, Any]) -> RawDrawing:
    """The drawing in `body` (see the module rules), or `DrawInputError`."""
    width = positive_int(body, "width", MAX_SIDE)
    height = positive_int(body, "height", MAX_SIDE)
    strokes = body.get("strokes")
    if not isinstance(strokes, list) or not 1 <= len(strokes) <= MAX_STROKES:
        raise DrawInputError(
            f"strokes must be a list of 1 to {MAX_STROKES} strokes: draw something"
        )
    out: list[RawStroke] = []
    after = 0
    for n, raw in enumerate(strokes):
        stroke = _stroke(raw, n, after)
        after = stroke.t[-1]
        out.append(stroke)
    if sum(len(s.t) for s in out) > MAX_POINTS:
        raise DrawInputError(f"a drawing may have at most {MAX_POINTS} points")
    return RawDrawing(tuple(out), width, height)
