"""The multilabel game: options, the canonical label, refusals, and the per-attribute verdict."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.kernel.errors import InvalidInput
from bot.games.base import JudgesAnswers
from bot.games.multilabel import MultilabelGame
from bot.games.registry import get_game
from storage.rows import CampaignRow, ItemRow

GAME = MultilabelGame()
ATTRS = ["happy", "sad", "angry"]


def _campaign(options: list[str] = ATTRS) -> CampaignRow:
    opts = GAME.check_options(options)
    q = GAME.default_question()
    return CampaignRow(
        1, "faces", "multilabel", 1, q, opts, 2, 5, 0.8, 0.1, 1, "active", None, "", {}, 0.0
    )


def _item(gold: str | None = None) -> ItemRow:
    return ItemRow(1, 1, "image", "x", None, None, gold, None, None, {})


def test_registered_and_judges_its_answers() -> None:
    assert isinstance(get_game("multilabel"), JudgesAnswers)
    keys = [o.key for o in GAME.options(_campaign(), _item())]
    assert keys == ["happy", "sad", "angry", "none"]


def test_canonical_label_is_option_order_joined_by_bar() -> None:
    c, i = _campaign(), _item()
    assert GAME.normalize(c, i, "angry|happy") == "happy|angry"
    assert GAME.normalize(c, i, "Sad, HAPPY") == "happy|sad"
    assert GAME.normalize(c, i, "None of these") == "none"
    assert GAME.describe(c, i, "happy|angry") == "happy, angry"
    assert GAME.describe(c, i, "none") == "None of these"


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("", "at least one"),
        (" | ", "at least one"),
        ("happy|bored", "'bored'"),
        ("none|sad", "None of these cannot go with sad"),
    ],
)
def test_refusals_name_the_problem(value: str, named: str) -> None:
    with pytest.raises(InvalidInput, match=named):
        GAME.normalize(_campaign(), _item(), value)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["one"], "2 to 12"),
        ([f"a{i}" for i in range(13)], "2 to 12"),
        (["red", "none"], "reserved"),
        (["red", "a|b"], "may not contain"),
        (["red", "Red"], "duplicate"),
    ],
)
def test_bad_attribute_lists_are_refused(options: list[str], named: str) -> None:
    with pytest.raises(InvalidInput, match=named):
        GAME.check_options(options)


def test_gold_is_an_exact_set_match() -> None:
    gold = _item(gold="sad, happy")
    assert GAME.is_correct(gold, "happy|sad") is True
    assert GAME.is_correct(gold, "happy") is False
    assert GAME.is_correct(gold, "happy|sad|angry") is False
    assert GAME.is_correct(_item(gold="none"), "none") is True
    assert GAME.is_correct(_item(), "happy") is None


def test_verdict_on_toy_answers() -> None:
    c, i = _campaign(), _item()
    # three equally reliable players: happy by all, sad by two of three, angry by nobody
    v = GAME.judge(c, i, ["happy|sad", "happy|sad", "happy"], [0.8, 0.8, 0.8])
    assert v.label == "happy|sad"
    # sad: 2 yes vs 1 no at q = 0.8 -> odds 4:1, P = 0.8: the least certain attribute
    assert v.confidence == pytest.approx(0.8)
    assert v.agreement == pytest.approx((1 + 2 / 3 + 1) / 3)
    # a reliable "none" outweighs two unreliable "angry"
    v = GAME.judge(c, i, ["none", "angry", "angry"], [0.99, 0.6, 0.6])
    assert v.label == "none"


def test_a_tie_on_an_attribute_leaves_it_out_at_half_confidence() -> None:
    v = GAME.judge(_campaign(), _item(), ["happy", "sad"], [0.7, 0.7])
    assert v.label == "none"
    assert v.confidence == pytest.approx(0.5)


ANSWERS = st.lists(
    st.tuples(
        st.sets(st.sampled_from(ATTRS)).map(
            lambda s: "|".join(a for a in ATTRS if a in s) or "none"
        ),
        st.floats(0.05, 0.95),
    ),
    min_size=1,
    max_size=8,
)


@settings(derandomize=True, max_examples=60)
@given(ANSWERS, st.randoms(use_true_random=False))
def test_answer_order_does_not_change_the_verdict(
    answers: list[tuple[str, float]], rnd: object
) -> None:
    c, i = _campaign(), _item()
    base = GAME.judge(c, i, [a for a, _ in answers], [w for _, w in answers])
    shuffled = list(answers)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    again = GAME.judge(c, i, [a for a, _ in shuffled], [w for _, w in shuffled])
    assert again.label == base.label
    assert again.confidence == pytest.approx(base.confidence)
    assert again.agreement == pytest.approx(base.agreement)


def test_gold_in_a_campaign_forgives_one_slip_in_five_attributes() -> None:
    """The tutorial and the gold checks judge each attribute: 4 of 5 judged as the gold set
    does is right; 3 of 5 is wrong; the exact match stays what `is_correct` reports."""
    gold = _item(gold="happy|sad")
    five = _campaign(["happy", "sad", "angry", "calm", "bored"])
    assert GAME.is_correct_in(five, gold, "happy|sad") is True
    assert GAME.is_correct_in(five, gold, "happy") is True  # sad missed: 4 of 5 right
    assert GAME.is_correct_in(five, gold, "happy|sad|angry") is True  # one extra
    assert GAME.is_correct_in(five, gold, "happy|angry") is False  # 3 of 5
    assert GAME.is_correct_in(five, gold, "none") is False  # 3 of 5
    assert GAME.is_correct(gold, "happy") is False
    assert GAME.is_correct_in(five, _item(), "happy") is None
