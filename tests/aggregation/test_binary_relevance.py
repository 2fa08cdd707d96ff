"""BinaryRelevance over our Dawid-Skene against crowd-kit 1.4.2's `BinaryRelevance(DawidSkene())`.

The CROWDKIT literals were produced by crowd-kit 1.4.2 (in a throwaway venv,
`pip install crowd-kit==1.4.2`) with
`bench/multilabel_vs_crowdkit.py --json --seed S --crowdkit-python /tmp/ck/bin/python` on the
generated sets of `bot.aggregation.multilabel_data.generate` (seed 17: 200 tasks, 5
attributes, 15 workers, overlap 5; seed 5 likewise), and, for the per-task labels, by
`crowdkit_sets` of that script on `generate(3, n_tasks=12, n_workers=6, overlap=4,
attributes=("cat", "dog", "bird"))`. crowd-kit is not installed in the test environment, so
its answers are pinned here; the live comparison is bench/aggregate.py's.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.aggregation.binary_relevance import BinaryRelevance
from bot.aggregation.majority import MajorityVote
from bot.aggregation.multilabel_data import generate, scores

CROWDKIT_SCORES = {
    17: {"attribute_accuracy": 93.0, "micro_f1": 89.4894894894895, "exact_match": 70.5},
    5: {"attribute_accuracy": 90.6, "micro_f1": 87.01657458563537, "exact_match": 62.5},
}
CROWDKIT_SMALL = {
    "t0000": "cat|dog",
    "t0001": "cat|dog",
    "t0002": "bird",
    "t0003": "cat|dog",
    "t0004": "bird",
    "t0005": "cat|dog|bird",
    "t0006": "none",
    "t0007": "dog|bird",
    "t0008": "dog",
    "t0009": "cat|dog|bird",
    "t0010": "cat|bird",
    "t0011": "cat",
}


@pytest.mark.parametrize("seed", sorted(CROWDKIT_SCORES))
def test_within_half_a_point_of_crowdkit(seed: int) -> None:
    data = generate(seed)
    ours = BinaryRelevance(attributes=data.attributes).fit(data.rows).sets_
    got = scores(data.attributes, data.truth, ours)
    for measure, theirs in CROWDKIT_SCORES[seed].items():
        assert abs(got[measure] - theirs) <= 0.5, measure


def test_same_labels_as_crowdkit_on_a_small_set() -> None:
    data = generate(3, n_tasks=12, n_workers=6, overlap=4, attributes=("cat", "dog", "bird"))
    assert BinaryRelevance(attributes=data.attributes).fit_predict(data.rows) == CROWDKIT_SMALL


def test_toy_answers_with_a_known_result() -> None:
    rows = [
        ("img1", "ann", "red|blue"),
        ("img1", "bob", "red"),
        ("img1", "cy", "red|blue"),
        ("img2", "ann", "none"),
        ("img2", "bob", "none"),
        ("img2", "cy", "green"),
    ]
    model = BinaryRelevance(MajorityVote, attributes=["red", "green", "blue"]).fit(rows)
    assert model.labels_ == {"img1": "red|blue", "img2": "none"}
    assert model.probas_["img1"]["red"] == pytest.approx(1.0)
    assert model.probas_["img2"]["green"] == pytest.approx(1 / 3)
    assert set(model.aggregators_) == {"red", "green", "blue"}


def test_attributes_nobody_picked_are_absent_and_none_is_empty() -> None:
    rows = [("t", "a", "none"), ("t", "b", "none")]
    assert BinaryRelevance().fit_predict(rows) == {"t": "none"}


@settings(derandomize=True, max_examples=25, deadline=None)
@given(st.integers(0, 1000), st.randoms(use_true_random=False))
def test_renaming_workers_and_row_order_do_not_change_labels(seed: int, rnd: object) -> None:
    data = generate(seed, n_tasks=15, n_workers=6, overlap=3, attributes=("a", "b", "c"))
    base = BinaryRelevance(attributes=data.attributes).fit_predict(data.rows)
    shuffled = [(t, w[::-1], label) for t, w, label in data.rows]
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert BinaryRelevance(attributes=data.attributes).fit_predict(shuffled) == base
