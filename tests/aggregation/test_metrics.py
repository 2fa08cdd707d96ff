"""Krippendorff's alpha and the accuracy helper."""

from __future__ import annotations

import math

import pytest

from bot.aggregation.metrics import accuracy, krippendorff_alpha_nominal

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers,
# twelve units, missing values; the nominal alpha printed there is 0.743.
KRIPPENDORFF_2011 = [
    "1 2 3 3 2 1 4 1 2 . . .",
    "1 2 3 3 2 2 4 1 2 5 . 3",
    ". 3 3 3 2 3 4 2 2 5 1 .",
    "1 2 3 3 2 4 4 1 2 5 1 .",
]


def long_form(matrix: list[str]) -> list[tuple[str, str, str]]:
    return [
        (f"unit{u}", f"coder{c}", value)
        for c, line in enumerate(matrix)
        for u, value in enumerate(line.split())
        if value != "."
    ]


def test_alpha_matches_krippendorffs_worked_example() -> None:
    assert krippendorff_alpha_nominal(long_form(KRIPPENDORFF_2011)) == pytest.approx(
        0.743, abs=5e-4
    )


def test_perfect_agreement_is_one() -> None:
    rows = [(f"u{u}", f"c{c}", "yes" if u % 2 else "no") for u in range(6) for c in range(3)]
    assert krippendorff_alpha_nominal(rows) == pytest.approx(1.0)


def test_systematic_disagreement_is_negative() -> None:
    rows = [(f"u{u}", "c1", "yes") for u in range(5)] + [(f"u{u}", "c2", "no") for u in range(5)]
    assert krippendorff_alpha_nominal(rows) < 0


def test_alpha_is_undefined_without_variation_or_pairs() -> None:
    assert math.isnan(krippendorff_alpha_nominal([("u1", "c1", "a"), ("u1", "c2", "a")]))
    assert math.isnan(krippendorff_alpha_nominal([("u1", "c1", "a"), ("u2", "c2", "b")]))


def test_accuracy_scores_gold_tasks_with_a_prediction() -> None:
    result = accuracy({"t1": "a", "t2": "b", "t3": "c"}, {"t1": "a", "t2": "x", "t4": "a"})
    assert (result.correct, result.scored, result.missing) == (1, 2, 1)
    assert result.value == pytest.approx(0.5)
    assert math.isnan(accuracy({}, {"t": "a"}).value)
