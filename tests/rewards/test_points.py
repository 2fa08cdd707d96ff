"""Points pay for quality: spam earns nothing, gold pays at once, consensus pays on match."""

from __future__ import annotations

import pytest

from bot.core.rewards import (
    DEFAULT_POINTS,
    LedgerKind,
    PointsRules,
    formula_text,
    points_for_gold,
    points_for_guess,
    points_for_stored_answer,
    settle_on_finalize,
    total,
)
from bot.core.rewards.points import round_half_up


def test_a_stored_answer_earns_the_base_at_once() -> None:
    entries = points_for_stored_answer(DEFAULT_POINTS)
    assert [(e.kind, e.points) for e in entries] == [(LedgerKind.BASE, DEFAULT_POINTS.base)]
    assert entries[0].reason == f"+{DEFAULT_POINTS.base} base"


def test_flagged_answers_earn_nothing_anywhere() -> None:
    why = "answered in under 1.5 s"
    outcomes = [
        points_for_stored_answer(
            DEFAULT_POINTS, streak_days=30, campaign_multiplier=3, flagged=why
        ),
        points_for_gold(DEFAULT_POINTS, correct=True, flagged=why),
        settle_on_finalize(DEFAULT_POINTS, matches=True, confidence=1.0, flagged=why),
        points_for_guess(25, flagged=why),
    ]
    for entries in outcomes:
        assert total(entries) == 0
        assert [e.kind for e in entries] == [LedgerKind.FLAGGED]
        assert why in entries[0].reason


def test_a_right_gold_answer_gets_the_bonus_at_once_and_a_wrong_one_nothing() -> None:
    right = points_for_gold(DEFAULT_POINTS, correct=True)
    wrong = points_for_gold(DEFAULT_POINTS, correct=False)
    assert total(right) == DEFAULT_POINTS.gold_bonus > 0
    assert right[0].kind is LedgerKind.GOLD
    assert total(wrong) == 0
    assert "missed a gold item" in wrong[0].reason


def test_consensus_bonus_only_when_the_answer_matches() -> None:
    agreed = settle_on_finalize(DEFAULT_POINTS, matches=True, confidence=0.93)
    disagreed = settle_on_finalize(DEFAULT_POINTS, matches=False, confidence=0.93)
    assert total(agreed) == round_half_up(DEFAULT_POINTS.consensus_bonus * 0.93) > 0
    assert agreed[0].reason == f"+{total(agreed)} agreed with consensus (0.93)"
    assert total(disagreed) == 0
    assert "did not match consensus (0.93)" in disagreed[0].reason


def test_consensus_bonus_scales_with_confidence_unless_switched_off() -> None:
    weak = total(settle_on_finalize(DEFAULT_POINTS, matches=True, confidence=0.6))
    strong = total(settle_on_finalize(DEFAULT_POINTS, matches=True, confidence=1.0))
    assert weak < strong == DEFAULT_POINTS.consensus_bonus
    flat = PointsRules(scale_by_confidence=False)
    assert total(settle_on_finalize(flat, matches=True, confidence=0.6)) == flat.consensus_bonus


def test_an_uncertain_consensus_pays_no_bonus() -> None:
    rules = PointsRules(consensus_min_confidence=0.7)
    entries = settle_on_finalize(rules, matches=True, confidence=0.65)
    assert total(entries) == 0
    assert "too uncertain" in entries[0].reason


def test_campaign_multiplier_scales_base_gold_and_consensus() -> None:
    rules = PointsRules(base=10, gold_bonus=15, consensus_bonus=10)
    base = points_for_stored_answer(rules, campaign_multiplier=1.5)
    assert total(base) == 15
    assert "10 x 1.5 campaign" in base[0].reason
    assert total(points_for_gold(rules, correct=True, campaign_multiplier=1.5)) == 23  # 22.5 up
    consensus = settle_on_finalize(rules, matches=True, confidence=0.93, campaign_multiplier=2)
    assert total(consensus) == 19  # 10 x 0.93 x 2 = 18.6
    assert total(points_for_stored_answer(rules, campaign_multiplier=0)) == 0


def test_streak_bonus_grows_per_day_and_is_capped() -> None:
    rules = PointsRules(base=10, streak_step=0.02, streak_cap=0.2)
    day = {n: points_for_stored_answer(rules, streak_days=n) for n in (0, 5, 10, 60)}
    assert len(day[0]) == 1  # no streak line when the bonus rounds to nothing
    assert day[5][1].kind is LedgerKind.STREAK
    assert day[5][1].reason == "+1 streak bonus (day 5: +10%)"
    assert total(day[10]) == 12
    assert total(day[60]) == total(day[10])  # the cap
    off = PointsRules(streak_step=0)
    assert total(points_for_stored_answer(off, streak_days=60)) == off.base


def test_guess_points_pass_through_unchanged() -> None:
    entries = points_for_guess(7, detail="first to guess 'cat'")
    assert [(e.kind, e.points, e.reason) for e in entries] == [
        (LedgerKind.GUESS, 7, "+7 first to guess 'cat'")
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"base": -1}, "points.base"),
        ({"gold_bonus": 2.5}, "points.gold_bonus"),
        ({"consensus_min_confidence": 1.5}, "points.consensus_min_confidence"),
        ({"streak_cap": -0.1}, "points.streak_cap"),
    ],
)
def test_bad_rules_are_rejected_naming_the_setting(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        PointsRules(**kwargs)  # type: ignore[arg-type]


def test_bad_inputs_are_rejected() -> None:
    with pytest.raises(ValueError, match="confidence"):
        settle_on_finalize(DEFAULT_POINTS, matches=True, confidence=93)
    with pytest.raises(ValueError, match="multiplier"):
        points_for_stored_answer(DEFAULT_POINTS, campaign_multiplier=-1)
    with pytest.raises(ValueError, match="guess points"):
        points_for_guess(-3)


def test_formula_text_shows_the_configured_numbers() -> None:
    rules = PointsRules(base=7, gold_bonus=12, consensus_bonus=9, consensus_min_confidence=0.8)
    text = formula_text(rules)
    for needle in ("7 points", "+12", "+9", "80%", "spam"):
        assert needle in text
    no_gold = formula_text(PointsRules(gold_bonus=0, streak_step=0))
    assert "(gold) item" not in no_gold
    assert "Streak" not in no_gold
