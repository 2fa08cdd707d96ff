"""Krippendorff's alpha for interval data: the paper's worked example, hand-computed cases,
and invariance under renaming coders and units."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.aggregation.krippendorff import krippendorff_alpha_interval
from bot.aggregation.metrics import krippendorff_alpha_nominal

# Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", section C: four observers,
# twelve units, missing values as None. The paper gives alpha = 0.743 (nominal) and 0.849
# (interval) for these data.
PAPER = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def _rows(data: dict[str, list[int | None]]) -> list[tuple[str, str, float]]:
    return [
        (f"u{u}", coder, float(v))
        for coder, values in data.items()
        for u, v in enumerate(values)
        if v is not None
    ]


def test_the_papers_example() -> None:
    rows = _rows(PAPER)
    assert round(krippendorff_alpha_nominal([(u, c, str(v)) for u, c, v in rows]), 3) == 0.743
    assert round(krippendorff_alpha_interval(rows), 3) == 0.849


def test_hand_computed_two_coders() -> None:
    # Units (1, 2) and (3, 3): n = 4, pooled mean 2.25, SS_all = 1.5625 + 0.0625 + 2 * 0.5625
    # = 2.75; within: unit 1 has m = 2, SS = 0.5, so 2 * 0.5 / 1 = 1; unit 2 adds 0.
    # alpha = 1 - 3 * 1 / (4 * 2.75) = 1 - 3/11.
    rows = [("a", "x", 1.0), ("a", "y", 2.0), ("b", "x", 3.0), ("b", "y", 3.0)]
    assert math.isclose(krippendorff_alpha_interval(rows), 1 - 3 / 11)


def test_perfect_agreement_is_one_and_systematic_disagreement_is_negative() -> None:
    same = [(u, c, float(v)) for u, v in (("a", 1), ("b", 3), ("c", 5)) for c in "xyz"]
    assert krippendorff_alpha_interval(same) == 1.0
    opposed = [("a", "x", 1.0), ("a", "y", 5.0), ("b", "x", 5.0), ("b", "y", 1.0)]
    assert krippendorff_alpha_interval(opposed) < 0


def test_undefined_without_pairs_or_variation() -> None:
    assert math.isnan(krippendorff_alpha_interval([]))
    assert math.isnan(krippendorff_alpha_interval([("a", "x", 1.0), ("b", "x", 2.0)]))
    assert math.isnan(krippendorff_alpha_interval([("a", "x", 3.0), ("a", "y", 3.0)]))


def test_a_later_value_of_the_same_coder_replaces_the_earlier() -> None:
    rows = [("a", "x", 1.0), ("a", "y", 2.0), ("b", "x", 3.0), ("b", "y", 3.0)]
    assert krippendorff_alpha_interval([("a", "x", 5.0), *rows]) == (
        krippendorff_alpha_interval(rows)
    )


ratings = st.lists(
    st.tuples(st.integers(0, 7), st.integers(0, 5), st.integers(1, 5)), min_size=2, max_size=40
)


@settings(derandomize=True, max_examples=150)
@given(ratings)
def test_renaming_coders_and_units_and_reordering_keep_alpha(
    data: list[tuple[int, int, int]],
) -> None:
    dedup = {(u, c): v for u, c, v in data}
    rows = [(f"u{u}", f"c{c}", float(v)) for (u, c), v in dedup.items()]
    renamed = [(f"item-{7 - int(u[1:])}", f"p{c[1:]}x", v) for u, c, v in rows]
    shuffled = list(reversed(renamed))
    a, b = krippendorff_alpha_interval(rows), krippendorff_alpha_interval(shuffled)
    assert (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, abs_tol=1e-9)


# crowd-kit 1.4.2's `crowdkit.metrics.data.alpha_krippendorff(df, distance=interval_distance)`
# (nltk's squared difference) on these rows printed 0.6904761904761905, and on PAPER
# 0.8491071428571428 (run by bench/rate.py's CK_SCRIPT in a venv with crowd-kit installed;
# unit "d" has one rating and is not pairable).
CROWDKIT_FIXTURE = [
    ("a", "p1", 1), ("a", "p2", 2), ("a", "p3", 1), ("b", "p1", 5), ("b", "p2", 4),
    ("b", "p4", 5), ("c", "p2", 3), ("c", "p3", 3), ("c", "p4", 2), ("c", "p1", 4),
    ("d", "p1", 2), ("e", "p3", 4), ("e", "p4", 4), ("f", "p2", 1), ("f", "p4", 3),
]  # fmt: skip


def test_matches_crowdkit_on_a_small_fixture_and_the_paper() -> None:
    rows = [(u, c, float(v)) for u, c, v in CROWDKIT_FIXTURE]
    assert math.isclose(krippendorff_alpha_interval(rows), 0.6904761904761905, abs_tol=1e-12)
    assert math.isclose(
        krippendorff_alpha_interval(_rows(PAPER)), 0.8491071428571428, abs_tol=1e-12
    )
