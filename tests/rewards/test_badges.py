"""Badges: data-first definitions, safe rules, clear errors, each awarded once."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.core.rewards import (
    COUNTERS,
    BadgeConfigError,
    PlayerCounters,
    default_badges,
    earned,
    parse_badges,
)
from bot.core.rewards.badge_rules import counters_in

BADGES_TOML = Path(__file__).resolve().parents[2] / "config.toml"

# One hand-made snapshot per shipped badge that should earn it.
CRAFTED: dict[str, dict[str, int]] = {
    "first_answer": {"answers": 1},
    "explorer": {"answers": 10, "distinct_games": 3},
    "answers_100": {"answers": 100},
    "answers_1000": {"answers": 1000},
    "answers_10000": {"answers": 10000},
    "two_worlds": {"platforms_used": 2},
    "quick_eye": {"first_correct_guesses": 1},
    "sharpshooter": {"first_correct_guesses": 25},
    "doodle_decoder": {"correct_guesses": 100},
    "streak_3": {"streak_days": 3, "best_streak": 3},
    "streak_7": {"best_streak": 7},
    "streak_30": {"best_streak": 30},
    "calibrated": {"gold_answered": 10, "gold_right": 8},
    "gold_standard": {"gold_answered": 20, "gold_right": 18},
    "in_sync": {"right_in_a_row": 10},
    "unerring": {"right_in_a_row": 50},
    "campaigner": {"campaigns_contributed": 1},
    "raid_veteran": {"campaigns_contributed": 5},
    "closer": {"items_finalized": 100},
    "arbiter": {"reviews_done": 10},
    "all_rounder": {"distinct_games": 3, "gold_answered": 20, "gold_right": 20},
    "insider": {"level": 6},
    "grandmaster": {"level": 18},
    "high_scorer": {"points": 10000},
    "scribe": {"typed_agreed": 25},
    "translator": {"translations_accepted": 5},
    "photographer": {"photos_accepted": 3},
    "field_reporter": {"photos_accepted": 25},
    "contributor": {"translations_accepted": 1},
}


def shipped() -> dict[str, Any]:
    with BADGES_TOML.open("rb") as handle:
        return tomllib.load(handle)


def good(**overrides: str) -> dict[str, str]:
    entry = {
        "id": "explorer",
        "name": "Explorer",
        "emoji": "🧭",
        "description": "Answer 10 tasks across 3 games.",
        "rule": "answers >= 10 and distinct_games >= 3",
    }
    entry.update(overrides)
    return entry


def test_badges_toml_loads_with_tomllib_into_at_least_18_valid_badges() -> None:
    badges = parse_badges(shipped()["badges"], source="config.toml")
    assert len(badges) >= 18
    assert len({b.id for b in badges}) == len(badges)
    assert [b.id for b in default_badges()] == [b.id for b in badges]


def test_every_shipped_badge_has_a_crafted_snapshot() -> None:
    assert set(CRAFTED) == {b.id for b in default_badges()}


@pytest.mark.parametrize("badge", default_badges(), ids=lambda b: b.id)
def test_each_shipped_badge_is_earned_by_its_snapshot_and_not_by_zero(badge: Any) -> None:
    assert badge.is_met(PlayerCounters(**CRAFTED[badge.id]))
    assert not badge.is_met(PlayerCounters())
    assert badge.progress(PlayerCounters()) < 1.0


def test_the_required_kinds_of_badge_ship() -> None:
    used = set().union(*(counters_in(b.condition) for b in default_badges()))
    for counter in (
        "distinct_games",
        "platforms_used",
        "first_correct_guesses",
        "streak_days",
        "gold_accuracy",
        "campaigns_contributed",
        "right_in_a_row",
    ):
        assert counter in used


def test_explorer_needs_both_ten_tasks_and_three_games() -> None:
    explorer = next(b for b in default_badges() if b.id == "explorer")
    assert not explorer.is_met(PlayerCounters(answers=50, distinct_games=2))
    assert not explorer.is_met(PlayerCounters(answers=9, distinct_games=3))
    assert explorer.is_met(PlayerCounters(answers=10, distinct_games=3))
    assert 0 < explorer.progress(PlayerCounters(answers=5, distinct_games=3)) < 1


def test_gold_accuracy_counts_only_over_enough_gold_items() -> None:
    gold = next(b for b in default_badges() if b.id == "gold_standard")
    assert not gold.is_met(PlayerCounters(gold_answered=10, gold_right=10))  # too few
    assert not gold.is_met(PlayerCounters(gold_answered=40, gold_right=35))  # 87.5 %
    assert gold.is_met(PlayerCounters(gold_answered=40, gold_right=36))
    assert PlayerCounters().gold_accuracy == 0.0


def test_badges_are_awarded_once() -> None:
    badges = default_badges()
    veteran = PlayerCounters(answers=150, distinct_games=3, platforms_used=2, level=6)
    first = earned(badges, veteran, set())
    ids = {b.id for b in first}
    assert {"first_answer", "explorer", "answers_100", "two_worlds", "insider"} <= ids
    assert earned(badges, veteran, ids) == []
    later = earned(badges, PlayerCounters(answers=1000, distinct_games=3), ids)
    assert [b.id for b in later] == ["answers_1000"]


def test_or_and_parentheses_in_rules() -> None:
    rounder = next(b for b in default_badges() if b.id == "all_rounder")
    assert rounder.is_met(PlayerCounters(distinct_games=3, correct_guesses=20))
    assert not rounder.is_met(PlayerCounters(distinct_games=2, correct_guesses=20))


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (good(rule="answerz >= 10"), "badge 'explorer': key 'rule': unknown counter 'answerz'"),
        (
            good(rule="answers => 10"),
            "badge 'explorer': key 'rule': bad operator '=>' at column 9",
        ),
        (good(rule="answers 10"), "key 'rule': expected a comparison (>=, >, <=, <, ==, !=)"),
        (good(rule="answers >= ten"), "key 'rule': expected a number at column 12"),
        (good(rule="answers >= 10 and"), "key 'rule': the rule ends too early"),
        (good(rule="(answers >= 1"), "key 'rule': the rule ends too early: expected ')'"),
        (good(rule="answers >= 1)"), "key 'rule': expected 'and', 'or' or the end"),
        (good(rule="answers >= 1 & level > 2"), "unexpected character '&' at column 14"),
        (good(rule="__import__('os')"), "key 'rule':"),
        (good(rule="gold_accuracy >= 90"), "gold_accuracy is a fraction between 0 and 1"),
        (good(rule=""), "key 'rule' must be a non-empty string"),
        ({k: v for k, v in good().items() if k != "rule"}, "badge 'explorer': missing key 'rule'"),
        ({k: v for k, v in good().items() if k != "id"}, "badge #1 (no id): missing key 'id'"),
        (good(colour="red"), "badge 'explorer': unknown key 'colour'"),
        (good(id="Explorer!"), "key 'id': use 1-32 lowercase letters"),
    ],
)
def test_parse_errors_name_the_badge_and_the_key(entry: dict[str, str], expected: str) -> None:
    with pytest.raises(BadgeConfigError) as caught:
        parse_badges([entry], source="config.toml")
    assert expected in str(caught.value)
    assert "config.toml" in str(caught.value)


def test_duplicate_ids_and_every_problem_are_reported_together() -> None:
    entries = [good(), good(name="Explorer again"), good(id="other", rule="level >> 3")]
    with pytest.raises(BadgeConfigError) as caught:
        parse_badges(entries)
    message = str(caught.value)
    assert "badge 'explorer': key 'id': duplicate id 'explorer'" in message
    assert "badge 'other': key 'rule'" in message


def test_badges_must_be_an_array_of_tables() -> None:
    with pytest.raises(BadgeConfigError, match=r"array of tables"):
        parse_badges({"id": "x"})  # type: ignore[arg-type]
    with pytest.raises(BadgeConfigError, match=r"badge #1 \(no id\): must be a table"):
        parse_badges(["explorer"])  # type: ignore[list-item]


def test_counters_are_validated_and_all_readable_by_rules() -> None:
    assert set(PlayerCounters().values()) == set(COUNTERS)
    with pytest.raises(ValueError, match="answers"):
        PlayerCounters(answers=-1)
    with pytest.raises(ValueError, match="gold_right"):
        PlayerCounters(gold_answered=1, gold_right=2)
