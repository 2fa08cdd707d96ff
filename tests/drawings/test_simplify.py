"""Quick, Draw!'s simplification (bot/games/drawing_simplify.py), as pure functions."""

from __future__ import annotations

import itertools

from bot.games.drawing_simplify import rdp, resample, simplify


def test_drawing_lands_in_the_255_box_aligned_top_left() -> None:
    out = simplify([((100.0, 600.0), (50.0, 300.0)), ((100.0, 100.0), (300.0, 50.0))])
    xs = [x for s in out for x in s[0]]
    ys = [y for s in out for y in s[1]]
    assert min(xs) == 0 and min(ys) == 0
    assert max(max(xs), max(ys)) == 255
    assert max(ys) == round(250 * 255 / 500)  # the uniform scale keeps the aspect ratio


def test_rdp_removes_collinear_points_and_keeps_corners_in_order() -> None:
    line = [(float(i), 0.0) for i in range(50)] + [(49.0, float(j)) for j in range(1, 30)]
    kept = rdp(line, 2.0)
    assert kept == [(0.0, 0.0), (49.0, 0.0), (49.0, 29.0)]


def test_resample_spaces_points_one_pixel_apart_and_keeps_both_ends() -> None:
    pts = resample([(0.0, 0.0), (10.0, 0.0), (10.0, 3.5)], 1.0)
    assert pts[0] == (0.0, 0.0) and pts[-1] == (10.0, 3.5)
    assert len(pts) == 15  # 0..10 on x (11 points), 1..3 on y (3), then the end
    assert all(b[0] >= a[0] for a, b in itertools.pairwise(pts))


def test_strokes_keep_their_order_and_a_single_point_becomes_a_dot() -> None:
    out = simplify([((0.0, 100.0), (0.0, 0.0)), ((40.0,), (80.0,)), ((0.0, 0.0), (100.0, 10.0))])
    assert len(out) == 3
    assert out[0] == ((0, 255), (0, 0))
    assert out[1] == ((102, 102), (204, 204))
    assert out[2][0] == (0, 0) and out[2][1] == (255, 26)


def test_a_wobbly_line_within_epsilon_is_one_segment() -> None:
    xs = tuple(float(i) for i in range(0, 256))
    ys = tuple(100.0 + (0.5 if i % 2 else -0.5) for i in range(0, 256))
    out = simplify([(xs, ys)])
    assert len(out[0][0]) == 2
