"""Quick, Draw! doodles as a still PNG and as an animated GIF replay.

Drawing rule: black ink on white, grayscale. Strokes are drawn on a canvas `SUPERSAMPLE` (4)
times larger: straight segments of the line width plus a filled circle of the same diameter at
every vertex, which gives round joins and round caps (same look as `joint="curve"` plus end
dots, 4× faster), and a stroke whose points coincide is a single filled circle, a dot. The
default line width is 5 px at 256 px (Telegram re-encodes photos; thinner lines blur), scaled
with the size. Placement and timing rules are in `bot.render.strokes`.

Anti-aliasing: the still PNG scales the canvas down with LANCZOS. GIF frames use a 4×4 box
filter (exact 16-sample coverage) over the changed box only, then 16 gray levels: the canvas
persists between frames and each frame draws only its new pieces, so a frame costs what
changed in it, not the whole canvas (measured in `bench/render.py`).

Replay rule (`render_doodle_gif`):

- The drawing's paced duration `D` (pauses capped at 300 ms, see `strokes.pace`) plays in
  `P = min(max(D, 1 s), target_ms)` ms: long drawings are sped up to `target_ms` (3 s by
  default), very short ones slowed to 1 s.
- `n = clamp(round(P / 100 ms), 10, 40)` frames: frame 0 is blank, frame k shows everything
  drawn by paced time `k·D/(n − 1)`, cutting the segment in progress at that instant; the last
  frame is the complete drawing, held `hold_ms` (2 s) longer. Delays are `P/n` each, rounded to
  GIF's 10 ms unit without drift. `loop=0` (forever), disposal 1 (frames accumulate). Pillow
  merges identical consecutive frames, so the file can hold fewer than `n`.

Output is deterministic: the same strokes and options give the same bytes.
"""

from __future__ import annotations

import io
import itertools
import logging
import math
from collections.abc import Sequence

from PIL import Image, ImageDraw

from bot.render.models import RenderedImage
from bot.render.strokes import PlacedStroke, Point, pace, place, point_at
from storage.doodles import Stroke

log = logging.getLogger(__name__)

SUPERSAMPLE = 4
INK, PAPER = 0, 255
MIN_PLAY_MS, FRAME_MS = 1000, 100
MIN_FRAMES, MAX_FRAMES = 10, 40
GIF_UNIT_MS, MIN_DELAY_MS = 10, 20
GIF_LEVELS = 16
_QUANTIZE = [round(v * (GIF_LEVELS - 1) / 255) for v in range(256)]
_GRAYS = [g for k in range(GIF_LEVELS) for g in (round(k * 255 / (GIF_LEVELS - 1)),) * 3]


def default_line_width(size: int) -> int:
    """5 px at 256 px, proportional to the size, never under 4 px."""
    return max(4, round(size * 5 / 256))


def _check_options(size: int, line_width: int) -> None:
    if not 32 <= size <= 1024:  # the 4× canvas of 1024 px is already 16 MB
        raise ValueError(f"doodle size must be 32..1024 px, got {size}")
    if not 1 <= line_width <= size // 8:
        raise ValueError(f"line_width must be 1..{size // 8} px at size {size}, got {line_width}")


class _Pen:
    """Draws on the supersampled canvas and remembers the changed box (output pixels)."""

    def __init__(self, size: int, line_width: int) -> None:
        self.size = size
        self.canvas = Image.new("L", (size * SUPERSAMPLE, size * SUPERSAMPLE), PAPER)
        self._draw = ImageDraw.Draw(self.canvas)
        self._width = line_width * SUPERSAMPLE
        self._radius = (self._width - 1) / 2
        self._margin = line_width / 2 + 1
        self._dirty: list[float] | None = None

    def polyline(self, points: Sequence[Point]) -> None:
        """One piece of a stroke with round joins and round caps (a dot when points coincide)."""
        # ImageDraw puts coordinate k at the centre of pixel k: shift so that point p covers
        # the output pixel [floor(p), floor(p) + 1) after scaling down.
        big = [(x * SUPERSAMPLE - 0.5, y * SUPERSAMPLE - 0.5) for x, y in points]
        if any(p != big[0] for p in big):
            self._draw.line(big, fill=INK, width=self._width)
        r = self._radius
        for x, y in big:
            self._draw.ellipse((x - r, y - r, x + r, y + r), fill=INK)
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        box = [min(xs), min(ys), max(xs), max(ys)]
        if self._dirty is None:
            self._dirty = box
        else:
            d = self._dirty
            self._dirty = [
                min(d[0], box[0]),
                min(d[1], box[1]),
                max(d[2], box[2]),
                max(d[3], box[3]),
            ]

    def flush_into(self, small: Image.Image) -> None:
        """Box-filter the changed box of the canvas into `small` (no-op when nothing changed).

        The box filter averages each 4×4 block, so re-sampling only the changed blocks gives
        exactly the pixels a whole-canvas `reduce(4)` would.
        """
        if self._dirty is None:
            return
        m, size, s = self._margin, self.size, SUPERSAMPLE
        x0, y0 = max(0, math.floor(self._dirty[0] - m)), max(0, math.floor(self._dirty[1] - m))
        x1 = min(size, math.ceil(self._dirty[2] + m))
        y1 = min(size, math.ceil(self._dirty[3] + m))
        self._dirty = None
        if x0 < x1 and y0 < y1:
            small.paste(self.canvas.crop((x0 * s, y0 * s, x1 * s, y1 * s)).reduce(s), (x0, y0))

    def finish(self) -> Image.Image:
        """The whole canvas scaled down with LANCZOS (the still image)."""
        size = (self.size, self.size)
        return self.canvas.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _place(
    strokes: Sequence[Stroke], size: int, line_width: int | None
) -> tuple[int, list[tuple[Point, ...]]]:
    width = default_line_width(size) if line_width is None else line_width
    _check_options(size, width)
    return width, place(strokes, size, width)


def render_doodle_png(
    strokes: Sequence[Stroke], size: int = 256, line_width: int | None = None
) -> bytes:
    """The whole doodle as an anti-aliased grayscale PNG of `size`×`size` pixels."""
    width, placed = _place(strokes, size, line_width)
    pen = _Pen(size, width)
    for points in placed:
        pen.polyline(points)
    buf = io.BytesIO()
    pen.finish().save(buf, format="PNG")
    return buf.getvalue()


def frame_delays(play_ms: float, frames: int, hold_ms: int) -> list[int]:
    """`frames` delays summing to `play_ms` in GIF's 10 ms unit, the last one plus `hold_ms`."""
    bounds = [round(k * play_ms / frames / GIF_UNIT_MS) * GIF_UNIT_MS for k in range(frames + 1)]
    delays = [max(MIN_DELAY_MS, b - a) for a, b in itertools.pairwise(bounds)]
    delays[-1] += round(hold_ms / GIF_UNIT_MS) * GIF_UNIT_MS
    return delays


class _Replay:
    """Per-stroke progress of the pen: index of the next point and where the pen stands."""

    def __init__(self, strokes: Sequence[PlacedStroke], pen: _Pen) -> None:
        self._strokes = strokes
        self._pen = pen
        self._next = [0] * len(strokes)
        self._at: list[Point | None] = [None] * len(strokes)

    def advance_to(self, when: float) -> None:
        """Draw every piece of every stroke up to paced time `when`."""
        for i, stroke in enumerate(self._strokes):
            nxt, n = self._next[i], len(stroke.points)
            if nxt >= n or stroke.times[0] > when:
                continue
            start = self._at[i]
            path = [] if start is None else [start]
            while nxt < n and stroke.times[nxt] <= when:
                path.append(stroke.points[nxt])
                nxt += 1
            if nxt < n:  # cut the segment in progress where the pen is now
                path.append(point_at(stroke, nxt, when))
            if start is None or any(p != start for p in path):
                self._pen.polyline(path)
            self._next[i], self._at[i] = nxt, path[-1]


def _gif_frame(image: Image.Image) -> Image.Image:
    """A 16-gray palette copy of the frame: 4-bit LZW codes keep the file small and fast."""
    frame = image.point(_QUANTIZE)
    frame.putpalette(_GRAYS)
    return frame


def render_doodle_gif(
    strokes: Sequence[Stroke],
    size: int = 256,
    target_ms: int = 3000,
    line_width: int | None = None,
    hold_ms: int = 2000,
) -> bytes:
    """An animated GIF replaying the strokes in order (pacing rule in the module docstring)."""
    if not 500 <= target_ms <= 20_000:
        raise ValueError(f"target_ms must be 500..20000, got {target_ms}")
    if not 0 <= hold_ms <= 10_000:
        raise ValueError(f"hold_ms must be 0..10000, got {hold_ms}")
    width, points = _place(strokes, size, line_width)
    placed = pace(strokes, points, size)
    end = max(s.times[-1] for s in placed)
    play = min(max(end, MIN_PLAY_MS), target_ms)
    count = min(MAX_FRAMES, max(MIN_FRAMES, round(play / FRAME_MS)))
    pen = _Pen(size, width)
    replay = _Replay(placed, pen)
    small = Image.new("L", (size, size), PAPER)
    frames = [_gif_frame(small)]
    for k in range(1, count):
        replay.advance_to(math.inf if k == count - 1 else end * k / (count - 1))
        pen.flush_into(small)
        frames.append(_gif_frame(small))
    buf = io.BytesIO()
    frames[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=frame_delays(play, count, hold_ms),
        loop=0,
        disposal=1,
        optimize=False,
    )
    return buf.getvalue()


def render_doodle_image(
    strokes: Sequence[Stroke],
    *,
    animated: bool = False,
    subject: str | None = None,
    size: int = 256,
) -> RenderedImage:
    """PNG or GIF replay with a filename and alt text.

    The alt text names the subject only when `subject` is given: pass it after the answer is
    revealed, never while players are still guessing.
    """
    data = render_doodle_gif(strokes, size) if animated else render_doodle_png(strokes, size)
    what = f"a hand-drawn doodle of {subject}" if subject else "a hand-drawn doodle"
    count = len(strokes)
    noun = "stroke" if count == 1 else "strokes"
    if animated:
        alt = f"Animated replay of {what}, drawn stroke by stroke ({count} {noun})."
    else:
        alt = f"{what[0].upper()}{what[1:]} in black ink on white ({count} {noun})."
    name = "doodle.gif" if animated else "doodle.png"
    return RenderedImage(data=data, filename=name, alt_text=alt, width=size, height=size)
