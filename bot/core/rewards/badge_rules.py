"""The badge rule language: a tiny comparison language over named counters, parsed without eval.

Grammar (``and`` binds tighter than ``or``; parentheses group)::

    rule       := all_of ("or" all_of)*
    all_of     := term ("and" term)*
    term       := "(" rule ")" | comparison
    comparison := COUNTER OP NUMBER        OP is one of  >=  >  <=  <  ==  !=

Examples: ``answers >= 10 and distinct_games >= 3``;
``gold_accuracy >= 0.9 and gold_answered >= 20`` (accuracy over at least 20 gold items);
``reviews_done >= 5 or (items_finalized >= 200 and right_in_a_row >= 10)``.

Only counters from the caller's list are accepted, and counters declared as fractions only
compare with numbers between 0 and 1 (so ``gold_accuracy >= 90`` is rejected, not silently
never met).
"""

from __future__ import annotations

import logging
import operator
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>[<>=!]+)|(?P<paren>[()])|(?P<bad>\S))"
)


class RuleError(ValueError):
    """A rule that does not parse or names an unknown counter; the message says where."""


@dataclass(frozen=True, slots=True)
class Compare:
    counter: str
    op: str
    value: float


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Condition, ...]


Condition = Compare | AllOf | AnyOf


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    column: int


def parse_rule(text: str, counters: Collection[str], fractions: Collection[str] = ()) -> Condition:
    """Parse `text` into a condition over `counters`; raises RuleError naming the problem."""
    if not isinstance(text, str) or not text.strip():
        raise RuleError("the rule is empty (example: 'answers >= 10')")
    parser = _Parser(_tokenize(text), counters, fractions)
    condition = parser.rule()
    parser.expect_end()
    return condition


def evaluate(condition: Condition, values: Mapping[str, float]) -> bool:
    """Whether `values` (counter name -> number) satisfy `condition`."""
    if isinstance(condition, Compare):
        return _OPS[condition.op](values[condition.counter], condition.value)
    if isinstance(condition, AllOf):
        return all(evaluate(part, values) for part in condition.parts)
    return any(evaluate(part, values) for part in condition.parts)


Check = Callable[[Any], bool]
"""A compiled condition: reads the counters as attributes of its argument."""


def compile_rule(condition: Condition) -> Check:
    """`condition` as one callable over an object whose attributes are the counters
    (`PlayerCounters`): the same answer as `evaluate` over that object's values, without
    walking the tree on each call. Built from closures over the parsed tree (no eval)."""
    if isinstance(condition, Compare):
        return _compare(condition)
    parts = tuple(compile_rule(part) for part in condition.parts)
    if isinstance(condition, AllOf):
        if len(parts) == 2:
            first, second = parts
            return lambda c: first(c) and second(c)
        return lambda c: all(part(c) for part in parts)
    if len(parts) == 2:
        first, second = parts
        return lambda c: first(c) or second(c)
    return lambda c: any(part(c) for part in parts)


def _compare(condition: Compare) -> Check:
    get = operator.attrgetter(condition.counter)
    value = condition.value
    op = condition.op
    if op == ">=":
        return lambda c: get(c) >= value
    if op == ">":
        return lambda c: get(c) > value
    if op == "<=":
        return lambda c: get(c) <= value
    if op == "<":
        return lambda c: get(c) < value
    if op == "==":
        return lambda c: get(c) == value
    compare = _OPS[op]
    return lambda c: compare(get(c), value)


def progress(condition: Condition, values: Mapping[str, float]) -> float:
    """How close `values` are to meeting `condition`, from 0 to 1 (1 exactly when met).

    A ``>=``/``>`` comparison scores ``actual / target``; other comparisons score 0 or 1; ``and``
    averages its parts, ``or`` takes the best one.
    """
    if evaluate(condition, values):
        return 1.0
    if isinstance(condition, Compare):
        if condition.op in (">=", ">") and condition.value > 0:
            return min(max(values[condition.counter] / condition.value, 0.0), 0.99)
        return 0.0
    scores = [progress(part, values) for part in condition.parts]
    if isinstance(condition, AllOf):
        return min(sum(scores) / len(scores), 0.99)
    return max(scores)


def counters_in(condition: Condition) -> set[str]:
    """The counter names a condition reads."""
    if isinstance(condition, Compare):
        return {condition.counter}
    return set().union(*(counters_in(part) for part in condition.parts))


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # only trailing whitespace is left
            break
        kind = match.lastgroup or "bad"
        tokens.append(_Token(kind, match.group(kind), match.start(kind) + 1))
        position = match.end()
    for token in tokens:
        if token.kind == "bad":
            raise RuleError(f"unexpected character {token.text!r} at column {token.column}")
    return tokens


class _Parser:
    """Recursive descent over the token list; one method per grammar rule."""

    def __init__(
        self, tokens: list[_Token], counters: Collection[str], fractions: Collection[str]
    ) -> None:
        self.tokens = tokens
        self.index = 0
        self.counters = counters
        self.fractions = fractions

    def rule(self) -> Condition:
        parts = [self.all_of()]
        while self._accept_word("or"):
            parts.append(self.all_of())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def all_of(self) -> Condition:
        parts = [self.term()]
        while self._accept_word("and"):
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def term(self) -> Condition:
        token = self._next("a counter name or '('")
        if token.text == "(":
            inner = self.rule()
            closing = self._next("')'")
            if closing.text != ")":
                raise self._error(closing, "')'")
            return inner
        if token.kind != "name" or token.text in ("and", "or"):
            raise self._error(token, "a counter name")
        return self.comparison(token)

    def comparison(self, name: _Token) -> Compare:
        if name.text not in self.counters:
            known = ", ".join(sorted(self.counters))
            raise RuleError(
                f"unknown counter {name.text!r} at column {name.column} (known: {known})"
            )
        op = self._next(f"a comparison after {name.text!r} (>=, >, <=, <, ==, !=)")
        if op.kind != "op":
            raise self._error(op, "a comparison (>=, >, <=, <, ==, !=)")
        if op.text not in _OPS:
            raise RuleError(
                f"bad operator {op.text!r} at column {op.column} (use >=, >, <=, <, == or !=)"
            )
        number = self._next(f"a number after {op.text!r}")
        if number.kind != "num":
            raise self._error(number, "a number")
        value = float(number.text) if "." in number.text else int(number.text)
        if name.text in self.fractions and not 0 <= value <= 1:
            raise RuleError(
                f"{name.text} is a fraction between 0 and 1 (0.9 means 90 %), "
                f"got {number.text} at column {number.column}"
            )
        return Compare(name.text, op.text, value)

    def expect_end(self) -> None:
        if self.index < len(self.tokens):
            raise self._error(self.tokens[self.index], "'and', 'or' or the end of the rule")

    def _accept_word(self, word: str) -> bool:
        if self.index < len(self.tokens) and self.tokens[self.index].text == word:
            self.index += 1
            return True
        return False

    def _next(self, expected: str) -> _Token:
        if self.index >= len(self.tokens):
            raise RuleError(f"the rule ends too early: expected {expected}")
        token = self.tokens[self.index]
        self.index += 1
        return token

    @staticmethod
    def _error(token: _Token, expected: str) -> RuleError:
        return RuleError(f"expected {expected} at column {token.column}, found {token.text!r}")
