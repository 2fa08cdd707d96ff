"""Typed answers and contributions (issue 16): contributions pay when accepted, the new
badge counters feed the shipped badges, and /help says how both pay."""

from __future__ import annotations

import pytest

from bot.core.rewards import (
    COUNTERS,
    DEFAULT_POINTS,
    PHOTO_ACCEPTED_POINTS,
    TRANSLATION_ACCEPTED_POINTS,
    BadgeConfigError,
    LedgerKind,
    PlayerCounters,
    default_badges,
    earned,
    formula_text,
    parse_badges,
    points_for_contribution,
    settle_on_finalize,
    total,
)


def test_an_accepted_translation_and_photo_pay_their_points_with_a_readable_reason() -> None:
    translation = points_for_contribution("translation")
    photo = points_for_contribution("photo")
    assert [(e.kind, e.points) for e in translation] == [
        (LedgerKind.CONTRIBUTION, TRANSLATION_ACCEPTED_POINTS)
    ]
    assert translation[0].reason == f"+{TRANSLATION_ACCEPTED_POINTS} your translation was accepted"
    assert photo[0].reason == f"+{PHOTO_ACCEPTED_POINTS} your photo was accepted"
    assert total(photo) == PHOTO_ACCEPTED_POINTS


def test_contributions_pay_more_than_one_answer_but_less_than_a_gold_and_consensus_streak() -> (
    None
):
    one_answer = DEFAULT_POINTS.base + DEFAULT_POINTS.consensus_bonus
    assert DEFAULT_POINTS.base < TRANSLATION_ACCEPTED_POINTS <= PHOTO_ACCEPTED_POINTS
    assert 2 * one_answer >= PHOTO_ACCEPTED_POINTS


def test_the_campaign_multiplier_scales_contribution_points_and_says_so() -> None:
    entries = points_for_contribution("photo", campaign_multiplier=1.5)
    assert total(entries) == 38  # 25 x 1.5 = 37.5, halves up
    assert "(25 x 1.5 campaign)" in entries[0].reason
    assert total(points_for_contribution("translation", campaign_multiplier=0)) == 0


def test_unknown_kinds_and_bad_multipliers_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown contribution kind 'video'"):
        points_for_contribution("video")
    with pytest.raises(ValueError, match="campaign multiplier"):
        points_for_contribution("photo", campaign_multiplier=-1)


def test_a_typed_answer_pays_the_consensus_only_when_it_matches() -> None:
    right = settle_on_finalize(DEFAULT_POINTS, matches=True, confidence=0.8)
    wrong = settle_on_finalize(DEFAULT_POINTS, matches=False, confidence=0.8)
    assert total(right) == 8
    assert total(wrong) == 0


def test_help_says_how_typed_answers_and_contributions_pay() -> None:
    text = formula_text(DEFAULT_POINTS)
    assert "Typed answers" in text
    assert "agrees with the finished label" in text
    assert f"+{TRANSLATION_ACCEPTED_POINTS} for a translation" in text
    assert f"+{PHOTO_ACCEPTED_POINTS} for a photo" in text
    assert "nothing if rejected" in text


def test_the_new_counters_are_readable_by_rules_and_contributions_add_both_kinds() -> None:
    for name in (
        "typed_agreed",
        "translations_accepted",
        "photos_accepted",
        "contributions_accepted",
    ):
        assert name in COUNTERS
    counters = PlayerCounters(translations_accepted=2, photos_accepted=3)
    assert counters.values()["contributions_accepted"] == 5
    with pytest.raises(ValueError, match="photos_accepted"):
        PlayerCounters(photos_accepted=-1)


def test_the_new_badges_ship_and_each_is_earned_once() -> None:
    badges = default_badges()
    ids = {b.id for b in badges}
    assert {"scribe", "translator", "photographer", "field_reporter", "contributor"} <= ids
    got = earned(badges, PlayerCounters(photos_accepted=3), set())
    assert [b.id for b in got] == ["photographer", "contributor"]
    assert earned(badges, PlayerCounters(photos_accepted=3), {b.id for b in got}) == []
    assert not any(b.id == "scribe" for b in earned(badges, PlayerCounters(typed_agreed=24), ()))


def test_a_rule_over_an_unknown_counter_is_still_refused() -> None:
    entry = {
        "id": "scribbler",
        "name": "Scribbler",
        "emoji": "📝",
        "description": "Type a lot.",
        "rule": "typed_answers >= 5",
    }
    with pytest.raises(BadgeConfigError, match="unknown counter 'typed_answers'"):
        parse_badges([entry], source="config.toml")
    entry["rule"] = "contributions_accepted >= 2 and typed_agreed >= 1"
    assert parse_badges([entry])[0].is_met(PlayerCounters(photos_accepted=2, typed_agreed=1))
