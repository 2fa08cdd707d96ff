"""Hints, scoring, guess rate limits and doodle verdicts."""

from __future__ import annotations

import pytest

from bot.games.quickdraw_matching import MatchKind
from bot.games.quickdraw_rules import (
    COMPETITIVE,
    GENTLE,
    PRESETS,
    GuessEvidence,
    GuessGate,
    GuessLimits,
    ScoringPreset,
    check_guess,
    doodle_verdict,
    guess_points,
    hint_count,
    hint_mask,
    hint_schedule,
    hints_shown_at,
    reveal_order,
)

# ---------------------------------------------------------------------------------- hints


@pytest.mark.parametrize(
    ("word", "revealed", "mask"),
    [
        ("apple", set(), "_ _ _ _ _"),
        ("sea turtle", set(), "_ _ _   _ _ _ _ _ _"),
        ("t-shirt", set(), "_ - _ _ _ _ _"),
        ("apple", {0, 4}, "a _ _ _ e"),
        ("The Mona Lisa", {0}, "T _ _   _ _ _ _   _ _ _ _"),
    ],
)
def test_hint_mask(word: str, revealed: set[int], mask: str) -> None:
    assert hint_mask(word, revealed) == mask


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("ax", 0),
        ("cat", 1),
        ("bear", 1),
        ("apple", 2),
        ("pineapple", 2),
        ("hot dog", 2),
        ("sea turtle", 2),
        ("helicopter", 3),
        ("The Eiffel Tower", 3),
    ],
)
def test_hint_count_follows_scribble_rs(word: str, count: int) -> None:
    assert hint_count(word) == count


def test_hint_schedule_is_evenly_spaced() -> None:
    assert hint_schedule("helicopter", 120) == [30, 60, 90]
    assert hint_schedule("apple", 30) == [10, 20]
    assert hint_schedule("ax", 30) == []
    assert [hints_shown_at("apple", 30, s) for s in (0, 9.9, 10, 25, 30)] == [0, 0, 1, 2, 2]


def test_reveal_order_is_deterministic_letters_only() -> None:
    order = reveal_order("sea turtle", seed=7)
    assert order == reveal_order("sea turtle", seed=7)
    assert sorted(order) == [0, 1, 2, 4, 5, 6, 7, 8, 9]
    others = {tuple(reveal_order("sea turtle", seed=s)) for s in range(10)}
    assert len(others) > 1


# -------------------------------------------------------------------------------- scoring


@pytest.mark.parametrize("name", ["gentle", "competitive"])
def test_first_right_guess_earns_about_twice_the_second(name: str) -> None:
    first = guess_points(1, 5.0, 30.0, 0, 2, PRESETS[name])
    second = guess_points(2, 6.0, 30.0, 0, 2, PRESETS[name])
    assert 1.8 <= first / second <= 2.4


@pytest.mark.parametrize("name", ["gentle", "competitive"])
def test_points_never_rise_with_time_hints_or_order(name: str) -> None:
    p = PRESETS[name]
    by_time = [guess_points(1, s, 30, 0, 2, p) for s in range(0, 31, 3)]
    assert by_time == sorted(by_time, reverse=True) and by_time[0] > by_time[-1]
    by_hints = [guess_points(1, 10, 30, h, 2, p) for h in range(3)]
    assert by_hints == sorted(by_hints, reverse=True) and by_hints[0] > by_hints[-1]
    by_order = [guess_points(k, 10, 30, 0, 2, p) for k in range(1, 8)]
    assert by_order == sorted(by_order, reverse=True)
    assert min(by_order) >= p.minimum


def test_competitive_rewards_speed_more_than_gentle() -> None:
    def spread(p: ScoringPreset) -> float:
        return guess_points(1, 1, 30, 0, 2, p) / guess_points(1, 29, 30, 0, 2, p)

    assert spread(COMPETITIVE) > spread(GENTLE)


def test_points_clamp_odd_inputs() -> None:
    assert guess_points(1, -5, 30, 0, 0) == guess_points(1, 0, 30, 0, 0)
    assert guess_points(1, 99, 30, 0, 0) == guess_points(1, 30, 30, 0, 0)
    assert guess_points(1, 1, 1.5, 0, 0) > 0  # a round shorter than the decline factor
    with pytest.raises(ValueError, match="order"):
        guess_points(0, 1, 30, 0, 0)


# ----------------------------------------------------------------------------- rate limits


def test_fifth_guess_within_three_seconds_is_rate_limited() -> None:
    limits = GuessLimits(max_in_window=5, window_s=3.0, max_per_round=99)
    assert check_guess([0.0, 0.5, 1.0], 3, 1.5, limits) is GuessGate.ALLOW
    assert check_guess([0.0, 0.5, 1.0, 1.5], 4, 2.0, limits) is GuessGate.RATE_LIMITED
    # refused attempts count too, so the spammer stays muted until they pause
    assert check_guess([0.0, 0.5, 1.0, 1.5, 2.0], 4, 2.5, limits) is GuessGate.RATE_LIMITED
    assert check_guess([0.0, 0.5, 1.0, 1.5, 2.0], 4, 5.5, limits) is GuessGate.ALLOW


def test_guess_cap_per_round() -> None:
    limits = GuessLimits(max_per_round=3)
    assert check_guess([1.0, 10.0], 2, 20.0, limits) is GuessGate.ALLOW
    assert check_guess([1.0, 10.0, 15.0], 3, 20.0, limits) is GuessGate.CAP_REACHED


# -------------------------------------------------------------------------------- verdicts


def _g(
    text: str, hints: int = 0, after_reveal: bool = False, cant_tell: bool = False
) -> GuessEvidence:
    return GuessEvidence(text, hints, after_reveal=after_reveal, cant_tell=cant_tell)


def test_mostly_right_first_guesses_make_it_recognizable() -> None:
    v = doodle_verdict([_g("cat"), _g("kitty"), _g("dog"), _g("Cats")], "cat", 3, 0.5)
    assert v.label == "recognizable"
    assert v.recognition_rate == pytest.approx(0.75)
    assert (v.top_guess, v.guessers) == ("cat", 4)


def test_guesses_naming_another_category_make_looks_like() -> None:
    v = doodle_verdict([_g("dog"), _g("puppy"), _g("a dog"), _g("cat")], "cat", 3, 0.5)
    assert v.label == "looks_like:dog"
    assert v.top_share == pytest.approx(0.75)


def test_scattered_wrong_guesses_are_not_recognizable() -> None:
    guesses = [_g("dog"), _g("blob"), _g("", cant_tell=True), _g("horse"), _g("cat")]
    v = doodle_verdict(guesses, "cat", 3, 0.5)
    assert v.label == "not_recognizable"
    assert v.recognition_rate == pytest.approx(0.2)


def test_too_few_guessers_is_insufficient() -> None:
    assert doodle_verdict([_g("cat"), _g("cat")], "cat", 3, 0.5).label == "insufficient_evidence"


def test_guesses_after_the_reveal_are_ignored() -> None:
    guesses = [_g("dog"), _g("dog"), _g("horse")] + [_g("cat", after_reveal=True)] * 5
    v = doodle_verdict(guesses, "cat", 3, 0.5)
    assert v.label == "looks_like:dog" and v.ignored_after_reveal == 5 and v.guessers == 3


def test_right_guesses_made_with_hints_weigh_less() -> None:
    plain = doodle_verdict([_g("cat"), _g("cat"), _g("dog")], "cat", 3, 0.5)
    hinted = doodle_verdict([_g("cat", 1), _g("cat", 2), _g("dog")], "cat", 3, 0.5)
    assert plain.recognition_rate == pytest.approx(2 / 3)
    assert hinted.recognition_rate == pytest.approx((0.5 + 0.25) / 3)
    assert (plain.label, hinted.label) == ("recognizable", "not_recognizable")


def test_typo_of_the_word_counts_as_recognition_and_stored_kind_wins() -> None:
    v = doodle_verdict([_g("elephnat"), _g("elephnt"), _g("mouse")], "elephant", 3, 0.5)
    assert v.label == "recognizable" and v.top_guess == "elephant"
    stored = [GuessEvidence("whatever", kind=MatchKind.EXACT)] * 3
    assert doodle_verdict(stored, "cat", 3, 0.5).recognition_rate == 1.0
