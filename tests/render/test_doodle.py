"""Doodle PNG and GIF replay, checked by opening the bytes and looking at the pixels."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image

from bot.render import render_doodle_gif, render_doodle_image, render_doodle_png
from bot.render.doodle import SUPERSAMPLE, _Pen
from bot.render.strokes import padding
from storage.doodles import Stroke
from tests.support.images import (
    frame_count,
    gif_frames,
    gray,
    ink,
    ink_box,
    levels,
    line,
    open_image,
    stroke,
)

# A house in Google's simplified frame (0..255), with a dot for a window handle.
HOUSE = (
    stroke([(0, 120), (128, 0), (255, 120)]),
    stroke([(30, 120), (30, 255), (225, 255), (225, 120)]),
    stroke([(170, 200), (170, 200)]),
)
# The same kind of doodle as a raw device would record it: floats, negatives, timing.
RAW = (
    line(-420.5, -80.25, -120.75, -80.25, t0=0, ms=700),
    line(-120.75, -80.25, -270.0, 180.5, t0=1000, ms=600),
    line(-270.0, 180.5, -420.5, -80.25, t0=1900, ms=800),
)


def test_png_is_a_grayscale_square_of_the_requested_size() -> None:
    for size in (128, 256, 512):
        data = render_doodle_png(HOUSE, size=size)
        image = open_image(data, "PNG")
        assert image.size == (size, size)
        assert len(data) < 100 * 1024
        assert image.mode == "L"


def test_png_ink_is_anti_aliased() -> None:
    image = open_image(render_doodle_png(HOUSE), "PNG")
    grays = levels(image)
    assert 0 in grays and 255 in grays
    assert len(grays - {0, 255}) >= 8, "edges should blend through intermediate grays"


def test_lines_are_at_least_four_pixels_wide_at_256() -> None:
    vertical = (stroke([(128, 0), (128, 255)]),)
    image = gray(open_image(render_doodle_png(vertical), "PNG"))
    row = [int(image.getpixel((x, 128)) or 0) for x in range(256)]  # type: ignore[arg-type]
    assert sum(1 for v in row if v < 128) >= 4


def test_raw_float_negative_coordinates_fill_the_canvas_and_stay_inside() -> None:
    image = open_image(render_doodle_png(RAW), "PNG")
    box = ink_box(image)
    assert box is not None
    left, top, right, bottom = box
    assert left > 0 and top > 0 and right < 256 and bottom < 256
    assert max(right - left, bottom - top) > 0.8 * 256, "the drawing is scaled up to the canvas"


def test_raw_scale_is_uniform_and_centred() -> None:
    wide = (line(1000.0, 5000.0, 3000.0, 5000.0), line(1000.0, 6000.0, 3000.0, 6000.0))
    box = ink_box(open_image(render_doodle_png(wide), "PNG"))
    assert box is not None
    width, height = box[2] - box[0], box[3] - box[1]
    assert width / height == pytest.approx(2.0, rel=0.1)
    assert (box[1] + box[3]) / 2 == pytest.approx(128, abs=2)


def test_simplified_data_keeps_googles_frame() -> None:
    # A doodle that spans only 0..100 of the 0..255 frame stays small instead of being blown up.
    small = (stroke([(0, 0), (100, 0), (100, 100)]),)
    box = ink_box(open_image(render_doodle_png(small), "PNG"))
    assert box is not None
    span = 256 - 2 * padding(256, 5)
    assert box[2] - box[0] == pytest.approx(100 / 255 * span + 5, abs=3)


def test_dot_only_drawing_leaves_ink_at_each_dot() -> None:
    # Two-point dots at opposite corners of Google's frame: they land exactly on the padding.
    dots = (stroke([(0, 0), (0, 0)]), stroke([(255, 255), (255, 255)]))
    image = gray(open_image(render_doodle_png(dots), "PNG"))
    pad = padding(256, 5)
    for x, y in ((pad, pad), (256 - pad, 256 - pad)):
        assert int(image.getpixel((round(x), round(y))) or 0) < 64  # type: ignore[arg-type]
    assert ink(image) > 2 * 10, "each dot is a filled circle, not a single pixel"


def test_single_point_stroke_is_a_dot_in_the_middle() -> None:
    image = gray(open_image(render_doodle_png((stroke([(3.5, -7.25)]),)), "PNG"))
    assert int(image.getpixel((128, 128)) or 0) < 64  # type: ignore[arg-type]
    assert 10 < ink(image) < 60


def test_line_ends_are_round() -> None:
    bar = (stroke([(50, 128), (200, 128)]),)
    image = gray(open_image(render_doodle_png(bar), "PNG"))
    pad = padding(256, 5)
    end_x, mid_y = (pad + v * (256 - 2 * pad) / 255 for v in (200, 128))
    beyond = int(image.getpixel((math.floor(end_x + 2.5), math.floor(mid_y))) or 0)  # type: ignore[arg-type]
    corner = int(image.getpixel((math.floor(end_x + 2.5), math.floor(mid_y) - 3)) or 0)  # type: ignore[arg-type]
    assert beyond < 128, "the cap extends past the last point"
    assert corner > beyond + 64, "the cap is rounded, not square"


def test_rendering_is_deterministic() -> None:
    assert render_doodle_png(RAW) == render_doodle_png(RAW)
    assert render_doodle_gif(RAW) == render_doodle_gif(RAW)


@pytest.mark.parametrize(
    ("strokes", "message"),
    [
        ((), "no strokes"),
        ((stroke([(0, 0), (math.nan, 1)]),), "stroke 0, point 1"),
        ((stroke([(0, 0)]), stroke([(math.inf, 1)])), "stroke 1, point 0"),
    ],
)
def test_bad_strokes_are_named(strokes: tuple[Stroke, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_doodle_png(strokes)


def test_bad_options_are_named() -> None:
    with pytest.raises(ValueError, match="size"):
        render_doodle_png(HOUSE, size=8)
    with pytest.raises(ValueError, match="line_width"):
        render_doodle_png(HOUSE, line_width=0)
    with pytest.raises(ValueError, match="target_ms"):
        render_doodle_gif(HOUSE, target_ms=10)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(
                st.floats(-1e6, 1e6, allow_nan=False), st.floats(-1e6, 1e6, allow_nan=False)
            ),
            min_size=1,
            max_size=12,
        ),
        min_size=1,
        max_size=5,
    )
)
@example([[(256.0, 0.0), (256.0, 2.6751819523565475e-131)]])  # a huge scale once put it at x=0
def test_any_finite_coordinates_stay_inside_the_canvas(
    points: list[list[tuple[float, float]]],
) -> None:
    image = open_image(render_doodle_png([stroke(p) for p in points]), "PNG")
    box = ink_box(image)
    assert box is not None, "something is always drawn"
    assert box[0] > 0 and box[1] > 0 and box[2] < 256 and box[3] < 256


# --- GIF replay -------------------------------------------------------------------------------


def test_gif_is_an_endless_animation() -> None:
    data = render_doodle_gif(RAW)
    image = open_image(data, "GIF")
    assert image.size == (256, 256)
    assert len(data) < 100 * 1024
    assert image.mode in ("L", "P")
    assert getattr(image, "is_animated", False) and frame_count(image) > 1
    assert image.info["loop"] == 0
    assert 10 <= frame_count(image) <= 40


def test_gif_builds_up_to_the_full_drawing_and_holds_it() -> None:
    frames = list(gif_frames(open_image(render_doodle_gif(RAW), "GIF")))
    inks = [ink(frame) for frame, _ in frames]
    assert inks[0] < inks[-1]
    assert inks == sorted(inks), "ink only accumulates"
    still = open_image(render_doodle_png(RAW), "PNG")
    last = frames[-1][0]
    assert inks[-1] == pytest.approx(ink(still), rel=0.08)
    assert len(levels(last) - {0, 255}) >= 4, "frames are anti-aliased"
    assert frames[-1][1] >= 2000, "the finished drawing stays up"


def test_gif_replays_strokes_in_order() -> None:
    left = line(10, 10, 10, 245, t0=0, ms=800)
    right = line(245, 10, 245, 245, t0=900, ms=800)
    frames = [f for f, _ in gif_frames(open_image(render_doodle_gif((left, right)), "GIF"))]

    def first_with_ink(x0: int, x1: int) -> int:
        return next(i for i, f in enumerate(frames) if ink(f.crop((x0, 0, x1, 256))))

    assert first_with_ink(0, 128) < first_with_ink(128, 256)


def test_gif_caps_long_pauses_between_strokes() -> None:
    # 10 s of thinking between two half-second strokes: the replay should not wait for it.
    first = line(10, 10, 245, 10, t0=0, ms=500)
    second = line(10, 245, 245, 245, t0=10_500, ms=500)
    frames = list(gif_frames(open_image(render_doodle_gif((first, second)), "GIF")))
    played = sum(ms for _, ms in frames[:-1])
    assert played <= 1500
    appears = next(i for i, (f, _) in enumerate(frames) if ink(f.crop((0, 128, 256, 256))))
    assert appears < len(frames) - 2, "the second stroke is drawn, not popped in at the end"


def test_gif_compresses_long_drawings_to_the_target() -> None:
    slow = tuple(line(10, 10 + 20 * i, 245, 10 + 20 * i, t0=2000 * i, ms=1800) for i in range(10))
    frames = list(gif_frames(open_image(render_doodle_gif(slow, target_ms=3000), "GIF")))
    total = sum(ms for _, ms in frames)
    assert 3000 + 2000 - 100 <= total <= 3000 + 2000 + 100


def test_untimed_strokes_replay_too() -> None:
    image = open_image(render_doodle_gif(HOUSE), "GIF")
    frames = [f for f, _ in gif_frames(image)]
    assert frame_count(image) > 2
    assert ink(frames[0]) < ink(frames[len(frames) // 2]) < ink(frames[-1])


def test_gif_of_a_single_dot_still_animates_and_shows_the_dot() -> None:
    image = open_image(render_doodle_gif((stroke([(5, 5)], [0]),)), "GIF")
    frames = [f for f, _ in gif_frames(image)]
    assert frame_count(image) >= 2
    assert ink(frames[0]) == 0 and ink(frames[-1]) > 10


def test_frames_redraw_only_what_changed_yet_match_a_full_redraw() -> None:
    pen = _Pen(256, 5)
    small = Image.new("L", (256, 256), 255)
    for piece in ([(10.3, 10.7), (90.2, 40.9)], [(90.2, 40.9), (200.5, 240.1)], [(128, 3)]):
        pen.polyline(piece)
        pen.flush_into(small)
        assert small.tobytes() == pen.canvas.reduce(SUPERSAMPLE).tobytes()


def test_rendered_image_wraps_bytes_with_alt_text() -> None:
    still = render_doodle_image(RAW)
    assert still.filename == "doodle.png" and still.width == still.height == 256
    assert "doodle" in still.alt_text and "3 strokes" in still.alt_text
    replay = render_doodle_image(RAW, animated=True, subject="a triangle")
    assert replay.filename.endswith(".gif")
    assert "a triangle" in replay.alt_text
    assert "triangle" not in still.alt_text, "no spoiler unless the subject is given"
    open_image(replay.data, "GIF")
