"""Online rules: Beta reliability, Toloka's weighted posterior, the stop rule, the tally."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.aggregation.online import (
    Decision,
    OnlineTally,
    beta_reliability,
    decide,
    weighted_posterior,
    worker_accuracy,
)


def test_beta_reliability_is_the_posterior_mean() -> None:
    assert beta_reliability(8, 10, 1.0, 1.0) == pytest.approx(9 / 12)
    assert beta_reliability(0, 0, 3.0, 1.0) == pytest.approx(0.75)


def test_worker_accuracy_uses_toloka_smoothing() -> None:
    # q = (K + correct) / (2K + total) with K = 0.5
    assert worker_accuracy(4, 5) == pytest.approx(4.5 / 6)
    assert worker_accuracy(0, 0) == pytest.approx(0.5)


@pytest.mark.parametrize(("correct", "total"), [(3, 2), (-1, 2), (0, -1)])
def test_beta_reliability_rejects_impossible_counts(correct: int, total: int) -> None:
    with pytest.raises(ValueError, match="correct"):
        beta_reliability(correct, total, 1.0, 1.0)


def test_beta_reliability_rejects_non_positive_priors() -> None:
    with pytest.raises(ValueError, match="Beta prior"):
        beta_reliability(1, 2, 0.0, 1.0)


def test_weighted_posterior_matches_a_hand_computation() -> None:
    # Y = 3; votes a (q=.8), a (q=.6), b (q=.9)
    # a: .8 * .6 * (.1/2) = .024;  b: (.2/2) * (.4/2) * .9 = .018;  c: .1 * .2 * .05 = .001
    posterior = weighted_posterior([("a", 0.8), ("a", 0.6), ("b", 0.9)], ["a", "b", "c"])
    total = 0.024 + 0.018 + 0.001
    assert posterior == pytest.approx({"a": 0.024 / total, "b": 0.018 / total, "c": 0.001 / total})


def test_no_votes_gives_the_uniform_prior() -> None:
    assert weighted_posterior([], ["x", "y", "z", "w"]) == pytest.approx(
        dict.fromkeys("xyzw", 0.25)
    )


def test_free_text_labels_join_the_option_set() -> None:
    posterior = weighted_posterior([("giraffe", 0.7), ("horse", 0.7)], ["cat", "dog"])
    assert set(posterior) == {"cat", "dog", "giraffe", "horse"}
    assert posterior["giraffe"] == pytest.approx(posterior["horse"])
    assert posterior["giraffe"] > posterior["cat"]
    assert math.isclose(sum(posterior.values()), 1.0)


def test_a_single_label_leaves_room_for_something_else() -> None:
    # Y is at least 2: one vote with q = .8 gives .8 / (.8 + .2)
    assert weighted_posterior([("yes", 0.8)], []) == pytest.approx({"yes": 0.8})


def test_extreme_accuracies_are_clamped() -> None:
    posterior = weighted_posterior([("a", 1.0), ("b", 1.0)], ["a", "b"])
    assert posterior == pytest.approx({"a": 0.5, "b": 0.5})
    assert 0.0 < weighted_posterior([("a", 0.0)], ["a", "b"])["a"] < 0.01


@given(
    votes=st.lists(
        st.tuples(st.sampled_from("abcd"), st.floats(0.0, 1.0, allow_nan=False)), max_size=50
    )
)
def test_posterior_is_a_distribution(votes: list[tuple[str, float]]) -> None:
    posterior = weighted_posterior(votes, ["a", "b", "c"])
    assert math.isclose(sum(posterior.values()), 1.0, rel_tol=1e-9)
    assert all(0.0 <= p <= 1.0 for p in posterior.values())


def test_many_votes_do_not_underflow() -> None:
    posterior = weighted_posterior([("a", 0.9)] * 500 + [("b", 0.9)] * 499, ["a", "b"])
    assert posterior["a"] == pytest.approx(0.9)


@pytest.mark.parametrize(
    ("n", "best", "expected"),
    [
        (2, 0.99, Decision.OPEN),  # below min overlap, however confident
        (3, 0.79, Decision.OPEN),
        (3, 0.80, Decision.FINALIZED),  # threshold is inclusive
        (6, 0.50, Decision.OPEN),
        (7, 0.79, Decision.REVIEW),
        (7, 0.80, Decision.FINALIZED),
        (9, 0.55, Decision.REVIEW),
    ],
)
def test_decide_boundaries(n: int, best: float, expected: Decision) -> None:
    posterior = {"a": best, "b": 1.0 - best}
    assert decide(n, posterior, min_overlap=3, max_overlap=7, threshold=0.8) is expected


def test_decide_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="min_overlap"):
        decide(1, {}, min_overlap=5, max_overlap=3, threshold=0.8)
    with pytest.raises(ValueError, match="threshold"):
        decide(1, {}, min_overlap=1, max_overlap=3, threshold=1.5)


def test_tally_accumulates_votes() -> None:
    tally = OnlineTally().add("a", 0.9).add("b", 0.6).add("b", 0.6)
    assert tally.n_answers == 3
    assert tally.counts == {"a": 1, "b": 2}
    assert tally.evidence == pytest.approx({"a": 0.9, "b": 1.2})
    assert tally.candidate() == "b"
    assert tally.posterior(["a", "b"]) == weighted_posterior(tally.votes, ["a", "b"])
    assert OnlineTally().candidate() is None


def test_tally_retires_a_confident_item() -> None:
    tally = OnlineTally()
    decisions = []
    for _ in range(3):
        tally = tally.add("cat", 0.85)
        decisions.append(tally.decide(["cat", "dog"], 3, 7, 0.8))
    assert decisions == [Decision.OPEN, Decision.OPEN, Decision.FINALIZED]
