"""Box and point geometry (`bot.aggregation.boxes`): IoU, matching, clustering, merging, and
the locate verdict's invariants (renaming players or reordering answers changes nothing)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.aggregation import boxes as geo
from bot.games.locate import LocateGame, dump
from storage.rows import CampaignRow, ItemRow

GAME = LocateGame()
ITEM = ItemRow(1, 1, "image", "scene.png", None, None, None, None, None,
               {"width": 200, "height": 100})  # fmt: skip


def campaign(**raw: str) -> CampaignRow:
    s = GAME.check_settings(raw)
    return CampaignRow(1, "c", "locate", 1, "", [], 2, 5, 0.8, 0.0, 1, "active", None, "", s, 0.0)


def test_iou_of_known_boxes() -> None:
    assert geo.iou((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert geo.iou((0, 0, 10, 10), (20, 20, 5, 5)) == 0.0
    assert geo.iou((0, 0, 10, 10), (5, 0, 10, 10)) == pytest.approx(50 / 150)
    assert geo.iou((0, 0, 10, 10), (2, 2, 5, 5)) == pytest.approx(25 / 100)
    assert geo.iou((0, 0, 10, 10), (10, 0, 10, 10)) == 0.0  # touching edges share no area


def test_clustering_keeps_one_mark_per_answer_per_cluster() -> None:
    # answer 0 drew two overlapping boxes on the one object others boxed once
    answers = [[(10, 10, 20, 20), (12, 11, 20, 20)], [(11, 10, 20, 20)], [(100, 50, 9, 9)]]
    clusters = geo.cluster(answers, [0.9, 0.9, 0.9], geo.iou, 0.5)
    supports = sorted(c.support for c in clusters)
    assert supports == [1, 1, 2]
    for c in clusters:
        owners = [i for i, _ in c.members]
        assert len(owners) == len(set(owners))


def test_merge_is_reliability_weighted() -> None:
    merged = geo.merge([(0, 0, 10, 10), (10, 10, 20, 20)], [3.0, 1.0])
    assert merged == pytest.approx((2.5, 2.5, 12.5, 12.5))


def test_points_match_within_the_radius() -> None:
    sim = geo.point_similarity(5.0)
    assert geo.match_count([(10, 10)], [(13, 14)], sim, 0.0) == 1  # 5 px away
    assert geo.match_count([(10, 10)], [(14, 14)], sim, 0.0) == 0  # 5.66 px away


def test_matching_is_one_to_one() -> None:
    truth = [(0, 0, 10, 10), (50, 50, 10, 10)]
    assert geo.match_count(truth, [(0, 0, 10, 10), (1, 0, 10, 10)], geo.iou, 0.5) == 1
    assert geo.match_count(truth, [(1, 1, 10, 10), (49, 50, 10, 10)], geo.iou, 0.5) == 2


def _box() -> st.SearchStrategy[tuple[float, float, float, float]]:
    return st.tuples(
        st.integers(0, 150), st.integers(0, 60), st.integers(5, 50), st.integers(5, 40)
    ).map(lambda t: (float(t[0]), float(t[1]), float(t[2]), float(t[3])))


@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    st.lists(st.lists(_box(), max_size=3), min_size=1, max_size=6),
    st.lists(st.floats(0.55, 0.99), min_size=6, max_size=6),
    st.randoms(use_true_random=False),
)
def test_the_verdict_ignores_answer_order_and_player_names(
    marks: list[list[tuple[float, float, float, float]]],
    qs: list[float],
    rnd: random.Random,
) -> None:
    """Answers carry no player names; permuting (answer, weight) pairs is renaming players
    and changing the order they answered in: the verdict must not move."""
    c = campaign()
    answers = [GAME.normalize(c, ITEM, dump("box", m)) for m in marks]
    weights = [round(q, 3) for q in qs[: len(answers)]]
    before = GAME.judge(c, ITEM, answers, weights)
    pairs = list(zip(answers, weights, strict=True))
    rnd.shuffle(pairs)
    after = GAME.judge(c, ITEM, [a for a, _ in pairs], [w for _, w in pairs])
    assert after.label == before.label
    assert after.confidence == pytest.approx(before.confidence)
    assert (after.agreement or 0) == pytest.approx(before.agreement or 0)
