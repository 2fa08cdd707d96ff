"""Procedural demo doodles: deterministic, varied, timed like real raw drawings."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bot.demo import DEMO_CATEGORIES, demo_drawing, demo_drawings
from bot.games.quickdraw_matching import known_categories
from storage.quickdraw_formats import drawing_to_ndjson, read_quickdraw


def test_same_seed_same_drawings_other_seed_other_drawings() -> None:
    a, b, c = demo_drawings(20, seed=1), demo_drawings(20, seed=1), demo_drawings(20, seed=2)
    assert a == b
    assert [d.key_id for d in a] == [d.key_id for d in b]
    assert [d.key_id for d in a] != [d.key_id for d in c]
    assert demo_drawings(5, seed=1) == a[:5]


def test_at_least_twelve_official_categories_all_used() -> None:
    assert len(DEMO_CATEGORIES) >= 12
    assert set(DEMO_CATEGORIES) <= set(known_categories())
    assert {d.word for d in demo_drawings(len(DEMO_CATEGORIES), seed=3)} == set(DEMO_CATEGORIES)


def test_key_ids_are_unique_sixteen_digit_strings() -> None:
    ids = [d.key_id for d in demo_drawings(300, seed=5)]
    assert len(set(ids)) == len(ids)
    assert all(k is not None and k.isdigit() and len(k) == 16 for k in ids)


def test_raw_style_timing_is_plausible() -> None:
    for d in demo_drawings(60, seed=9):
        assert d.timed
        times = [t for s in d.strokes for t in s.t or ()]
        assert times[0] == 0 and times == sorted(times)
        assert 100 <= times[-1] <= 25_000  # Quick, Draw! gave players 20 s
        pairs = itertools.pairwise(d.strokes)
        gaps = [b.t[0] - a.t[-1] for a, b in pairs if a.t and b.t]
        assert all(g >= 100 for g in gaps)


def test_some_strokes_are_dots() -> None:
    dots = [
        s
        for d in demo_drawings(40, seed=4)
        for s in d.strokes
        if len(s.x) == 2 and s.x[0] == s.x[1] and s.y[0] == s.y[1]
    ]
    assert len(dots) >= 10


def test_shapes_vary_between_drawings_of_a_category() -> None:
    first, second = demo_drawing("house", 1), demo_drawing("house", 2)
    assert first.strokes != second.strokes
    assert len(demo_drawing("sun", 1).strokes) >= 8  # the disc and its rays


def test_poor_drawings_are_marked_and_differ_from_good_ones() -> None:
    drawings = demo_drawings(200, seed=11, poor_share=0.3)
    poor = [d for d in drawings if d.extra["demo_quality"].startswith("poor")]
    assert 30 <= len(poor) <= 90
    assert all(d.recognized is False for d in poor)
    assert demo_drawing("cat", 1, "poor").strokes != demo_drawing("cat", 1).strokes
    assert all(d.recognized for d in demo_drawings(30, seed=11, poor_share=0.0))


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ValueError, match="no demo doodle for 'dragon'"):
        demo_drawing("dragon", 1)
    with pytest.raises(ValueError, match="quality"):
        demo_drawing("cat", 1, "awful")


def test_demo_drawings_export_and_import_as_raw_ndjson(tmp_path: Path) -> None:
    drawings = demo_drawings(16, seed=2)
    path = tmp_path / "demo.ndjson"
    path.write_text("".join(drawing_to_ndjson(d) + "\n" for d in drawings), encoding="utf-8")
    result = read_quickdraw(path)
    assert result.problems == []
    assert [d.key_id for d in result.drawings] == [d.key_id for d in drawings]
    assert [d.strokes for d in result.drawings] == [d.strokes for d in drawings]
