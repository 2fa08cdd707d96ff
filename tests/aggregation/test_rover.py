"""ROVER word alignment: crowd-kit's outputs on a fixture, our rules where they differ, properties.

The CROWDKIT literals were produced by crowd-kit 1.4.2's `crowdkit.aggregation.texts.ROVER`
(tokenizer `str.split`, detokenizer `" ".join`) with
`bench/rover_vs_crowdkit.py --crowdkit-python /tmp/ck/bin/python`, whose FIXTURE is the same
tasks; crowd-kit is not installed in the test environment, so its answers are pinned here.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.aggregation.rover import RoverResult, rover

FIXTURE: dict[str, list[str]] = {
    "t1": ["a b c d", "b z d e", "b c d e f"],
    "t2": [
        "the quick brown fox",
        "the quick brown fox",
        "the quick brwn fox",
        "the quick fox",
        "The quick brown fox jumps",
    ],
    "t3": ["hello world", "helo world", "hello world", "hello wrld", "Hello World"],
    "t4": [
        "once upon a time",
        "once upon time",
        "once upon a time",
        "once upon a a time",
        "upon a time",
    ],
    "t5": [
        "green apples and red pears",
        "green apples and pears",
        "green apple and red pears",
        "green apples red pears",
        "green apples and red pears",
        "grean apples and red pears",
        "green apples and red bears",
    ],
    "t6": [
        "keep the door closed",
        "keep door closed",
        "keep the door closed please",
        "Keep the door closed",
    ],
    "t7": ["river", "rivers", "river", "River"],
    "t8": [
        "a cup of tea",
        "cup of tea",
        "a cup of tee",
        "a cup tea",
        "a cup of tea",
        "a mug of tea",
    ],
}

# crowd-kit 1.4.2 ROVER on FIXTURE (see the module docstring).
CROWDKIT: dict[str, str] = {
    "t1": "b c d e",
    "t2": "the quick brown fox",
    "t3": "hello world",
    "t4": "once upon a time",
    "t5": "green apples and red pears",
    "t6": "keep the door closed",
    "t7": "river",
    "t8": "a cup of tea",
}


@pytest.mark.parametrize("task", sorted(FIXTURE))
def test_rover_equals_crowdkit_on_the_fixture(task: str) -> None:
    assert rover(FIXTURE[task]).text == CROWDKIT[task]


def test_the_voted_text_can_be_no_single_answer() -> None:
    result = rover(["a b c d", "b z d e", "b c d e f"])
    assert result.text == "b c d e"
    assert result.text not in FIXTURE["t1"]
    # b: 3 of 3; c: 2 of 3 (z lost); d: 3 of 3; e: 2 of 3 (a and f lost to the empty word)
    assert result.position_support == pytest.approx((1.0, 2 / 3, 1.0, 2 / 3))
    assert result.support == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("answers", "expected", "support"),
    [
        # a tie goes to the longer word, as in crowd-kit 1.4.2 ("red tree" there too)
        (["ed tree", "red tree"], "red tree", 0.5),
        # an inserted word against an equal weight of "nothing here": any word beats empty
        (["a b", "a c b"], "a c b", 0.5),
        # equal lengths: the larger string ("cat" > "bat"), as in crowd-kit
        (["bat sat", "cat sat"], "cat sat", 0.5),
    ],
)
def test_ties_go_to_the_longer_word_then_the_larger_string_as_in_crowdkit(
    answers: list[str], expected: str, support: float
) -> None:
    assert rover(answers).text == expected
    assert rover(list(reversed(answers))).text == expected  # whatever the order
    assert rover(answers).support == pytest.approx(support)


def test_a_majority_wins_in_any_order_where_crowdkit_splits_repeated_words() -> None:
    # crowd-kit 1.4.2: "a a" for this order, "a" for ["a", "a", "a a a"].
    assert (
        rover(["a", "a a a", "a"]) == rover(["a", "a", "a a a"]) == RoverResult("a", (1.0,), 1.0)
    )


def test_answers_without_words_are_ignored_where_crowdkit_counts_them_as_empty_votes() -> None:
    # crowd-kit 1.4.2 gives "x": its two empty answers outvote "y" and "z" at position 2.
    result = rover(["x y", "", "   ", "x z"])
    assert result == RoverResult("x z", (1.0, 0.5), 0.5)  # y and z tie: the larger string


def test_weights_decide_each_position() -> None:
    answers = ["the red door", "the rod door", "the rod door"]
    assert rover(answers).text == "the rod door"
    weighted = rover(answers, [3.0, 1.0, 1.0])
    assert weighted.text == "the red door"
    assert weighted.position_support == pytest.approx((1.0, 0.6, 1.0))
    assert weighted.support == pytest.approx(0.6)


def test_weights_can_drop_a_word_nobody_trusted() -> None:
    result = rover(["open the gate", "open gate", "open gate"], [1.0, 2.0, 2.0])
    assert result.text == "open gate"
    assert result.position_support == pytest.approx((1.0, 1.0))


def test_all_zero_weights_count_as_equal_weights() -> None:
    assert rover(["a b", "a c", "a c"], [0.0, 0.0, 0.0]) == rover(["a b", "a c", "a c"])


def test_no_answers_give_an_empty_text_with_no_support() -> None:
    assert rover([]) == RoverResult("", (), 0.0)
    assert rover(["", " "]) == RoverResult("", (), 0.0)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([1.0], "2 answers but 1 weights"),
        ([1.0, -1.0], "non-negative"),
        ([1.0, float("nan")], "finite"),
    ],
)
def test_bad_weights_are_refused_with_a_reason(weights: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rover(["a", "b"], weights)


def test_words_are_compared_exactly_so_callers_normalise_case_first() -> None:
    assert rover(["River", "river", "River"]).text == "River"
    assert rover([a.lower() for a in ["River", "river", "RIVER"]]) == RoverResult(
        "river", (1.0,), 1.0
    )


words = st.sampled_from(["a", "the", "cat", "cats", "sat", "on", "mat", "red", "door", "x"])
phrases = st.lists(words, min_size=1, max_size=6).map(" ".join)


@settings(derandomize=True, max_examples=200)
@given(phrase=phrases, copies=st.integers(min_value=1, max_value=6))
def test_identical_answers_give_that_answer_with_full_support(phrase: str, copies: int) -> None:
    result = rover([phrase] * copies)
    assert result.text == phrase
    assert result.support == 1.0
    assert result.position_support == (1.0,) * len(phrase.split())


@settings(derandomize=True, max_examples=200)
@given(phrase=st.lists(words, min_size=1, max_size=6).map("  ".join))
def test_a_single_answer_returns_itself(phrase: str) -> None:
    result = rover([phrase])
    assert result.text == " ".join(phrase.split())
    assert result.support == 1.0


@settings(derandomize=True, max_examples=300)
@given(
    majority=phrases,
    others=st.lists(phrases, min_size=0, max_size=4),
    extra=st.integers(min_value=0, max_value=2),
    data=st.data(),
)
def test_order_of_answers_does_not_change_a_strict_majority(
    majority: str, others: list[str], extra: int, data: st.DataObject
) -> None:
    answers = [majority] * (len(others) + 1 + extra) + others
    shuffled = data.draw(st.permutations(answers))
    assert rover(shuffled).text == rover(answers).text == majority
