"""The badge rule language: precedence, grouping, and no way to run code."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.core.rewards.badge_rules import (
    AllOf,
    AnyOf,
    Compare,
    RuleError,
    compile_rule,
    evaluate,
    parse_rule,
    progress,
)

NAMES = {"answers", "points", "level"}


def test_and_binds_tighter_than_or() -> None:
    rule = parse_rule("answers >= 1 or points >= 5 and level >= 3", NAMES)
    assert rule == AnyOf(
        (
            Compare("answers", ">=", 1),
            AllOf((Compare("points", ">=", 5), Compare("level", ">=", 3))),
        )
    )


def test_parentheses_group() -> None:
    rule = parse_rule("(answers >= 1 or points >= 5) and level >= 3", NAMES)
    assert evaluate(rule, {"answers": 1, "points": 0, "level": 3})
    assert not evaluate(rule, {"answers": 1, "points": 0, "level": 2})


@pytest.mark.parametrize(
    ("op", "met", "unmet"),
    [(">", 11, 10), ("<=", 10, 11), ("<", 9, 10), ("==", 10, 9), ("!=", 9, 10)],
)
def test_every_operator(op: str, met: int, unmet: int) -> None:
    rule = parse_rule(f"answers {op} 10", NAMES)
    assert evaluate(rule, {"answers": met})
    assert not evaluate(rule, {"answers": unmet})


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('x')",
        "answers.__class__ >= 1",
        "answers >= 1; level >= 1",
        "1 >= 0",
    ],
)
def test_code_is_never_run_only_rejected(text: str) -> None:
    with pytest.raises(RuleError):
        parse_rule(text, NAMES)


def test_progress_is_partial_until_met() -> None:
    rule = parse_rule("answers >= 10 and level >= 4", NAMES)
    assert progress(rule, {"answers": 5, "level": 2}) == pytest.approx(0.5)
    assert progress(rule, {"answers": 10, "level": 4}) == 1.0
    assert progress(rule, {"answers": 10, "level": 3.99}) < 1.0


def test_compiled_rule_agrees_with_the_interpreter() -> None:
    """The compiled form the answer batch uses gives the same verdict on every input."""
    rules = [
        "answers >= 10",
        "answers > 3 and points <= 50",
        "answers < 2 or points == 7 or level != 1",
        "(answers >= 1 or points >= 5) and level >= 3",
        "answers >= 1 and points >= 5 and level >= 3 or answers == 0",
        "((answers >= 4))",
    ]
    values = [0, 1, 2, 3, 4, 5, 7, 10, 11, 50, 51]
    for text in rules:
        rule = parse_rule(text, NAMES)
        check = compile_rule(rule)
        for answers in values:
            for points in values:
                for level in (1, 2, 3, 4):
                    counters = SimpleNamespace(answers=answers, points=points, level=level)
                    expected = evaluate(rule, vars(counters))
                    assert check(counters) is expected, (text, vars(counters))
