"""Badges, defined as data: each is awarded once, when its rule first holds over the counters.

A badge is a TOML table (``[[badges]]``, the last list of the shipped config.toml, which holds
the default set; a user config file's own list replaces it)::

    [[badges]]
    id = "explorer"                 # lowercase letters, digits, _ ; stored, so never rename
    name = "Explorer"
    emoji = "🧭"
    description = "Answer 10 tasks across 3 different games."
    rule = "answers >= 10 and distinct_games >= 3"

`rule` uses the language of `badge_rules` over the `PlayerCounters` fields listed in
`COUNTERS`. `earned` returns the badges whose rule holds and that the player does not hold
yet, so a badge is awarded once and never taken back; awarding retroactively at start is the
same call over every player's counters.
"""

from __future__ import annotations

import dataclasses
import logging
import operator
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.rewards.badge_rules import (
    Check,
    Condition,
    RuleError,
    compile_rule,
    parse_rule,
    progress,
)

log = logging.getLogger(__name__)

COUNTERS: dict[str, str] = {
    "answers": "answers stored (all games)",
    "gold_answered": "gold (check) items answered",
    "gold_right": "gold items answered right",
    "gold_accuracy": "gold_right / gold_answered, a fraction 0..1 (0 before any gold)",
    "streak_days": "current daily streak in days",
    "best_streak": "longest daily streak ever",
    "distinct_games": "different games played",
    "first_correct_guesses": "quick-draw rounds where the player guessed right first",
    "correct_guesses": "right quick-draw guesses",
    "items_finalized": "items finalized with one of the player's answers",
    "campaigns_contributed": "campaigns the player answered in",
    "platforms_used": "platforms used (Discord, Telegram)",
    "right_in_a_row": "longest run of answers matching consensus or gold",
    "reviews_done": "contested items reviewed or resolved",
    "typed_agreed": "typed answers (transcriptions, translations, guesses) that matched the "
    "finished label when their item was finalized",
    "translations_accepted": "translations the player contributed that others accepted",
    "photos_accepted": "photos the player contributed that others accepted",
    "contributions_accepted": "translations_accepted + photos_accepted",
    "level": "current level (1..18)",
    "points": "lifetime points",
}
FRACTION_COUNTERS = frozenset({"gold_accuracy"})
BADGE_KEYS = ("id", "name", "emoji", "description", "rule")
_ID = re.compile(r"[a-z][a-z0-9_]{0,31}")


class BadgeConfigError(ValueError):
    """Invalid badge definitions; the message lists every problem with badge id and key."""


@dataclass(slots=True)
class PlayerCounters:
    """A snapshot of one player's counters, the only input of badge rules. Read-only by
    convention (not frozen: the answer batch builds one per player, and a frozen dataclass
    of this width costs several times more to build)."""

    answers: int = 0
    gold_answered: int = 0
    gold_right: int = 0
    streak_days: int = 0
    best_streak: int = 0
    distinct_games: int = 0
    first_correct_guesses: int = 0
    correct_guesses: int = 0
    items_finalized: int = 0
    campaigns_contributed: int = 0
    platforms_used: int = 0
    right_in_a_row: int = 0
    reviews_done: int = 0
    typed_agreed: int = 0
    translations_accepted: int = 0
    photos_accepted: int = 0
    level: int = 1
    points: int = 0

    def __post_init__(self) -> None:
        if min(_ALL(self)) >= 0 and self.gold_right <= self.gold_answered:
            return  # the common case, checked in one call
        negative = [name for name in _FIELDS if getattr(self, name) < 0]
        if negative:
            raise ValueError(f"player counters must be >= 0: {', '.join(negative)}")
        if self.gold_right > self.gold_answered:
            raise ValueError(
                f"gold_right ({self.gold_right}) exceeds gold_answered ({self.gold_answered})"
            )

    @property
    def gold_accuracy(self) -> float:
        """Share of gold items answered right; 0.0 before the first gold item."""
        return self.gold_right / self.gold_answered if self.gold_answered else 0.0

    @property
    def contributions_accepted(self) -> int:
        """Accepted contributions of every kind (translations and photos)."""
        return self.translations_accepted + self.photos_accepted

    def values(self) -> dict[str, float]:
        """Every counter by name, as rules read them."""
        return {name: getattr(self, name) for name in COUNTERS}


_FIELDS = tuple(f.name for f in dataclasses.fields(PlayerCounters))
_ALL = operator.attrgetter(*_FIELDS)


@dataclass(frozen=True, slots=True)
class BadgeDef:
    """One badge: display fields, the rule text as written and its parsed condition (with
    its compiled form, `check`, built once here)."""

    id: str
    name: str
    emoji: str
    description: str
    rule: str
    condition: Condition
    check: Check = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "check", compile_rule(self.condition))

    def is_met(self, counters: PlayerCounters) -> bool:
        return self.check(counters)

    def progress(self, counters: PlayerCounters) -> float:
        """0..1 towards the badge (see `badge_rules.progress`)."""
        return progress(self.condition, counters.values())


def parse_badges(raw: Sequence[Mapping[str, Any]], *, source: str = "badges") -> list[BadgeDef]:
    """Validate and parse badge tables; raises BadgeConfigError listing every problem.

    Each problem names `source`, the badge (by id, or by position when the id is missing) and
    the key: missing or unknown keys, empty text, a bad id, a duplicate id, and rule errors
    (unknown counter, bad operator, syntax).
    """
    if isinstance(raw, str | bytes | Mapping) or not isinstance(raw, Sequence):
        raise BadgeConfigError(f"{source}: 'badges' must be an array of tables ([[badges]])")
    problems: list[str] = []
    badges: list[BadgeDef] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        label = _label(entry, index, source)
        found = _check_entry(entry, label)
        if found:
            problems.extend(found)
            continue
        if entry["id"] in seen:
            problems.append(f"{label}: key 'id': duplicate id {entry['id']!r}")
            continue
        seen.add(entry["id"])
        try:
            condition = parse_rule(entry["rule"], COUNTERS, FRACTION_COUNTERS)
        except RuleError as exc:
            problems.append(f"{label}: key 'rule': {exc}")
            continue
        fields = {key: entry[key].strip() for key in BADGE_KEYS}
        badges.append(BadgeDef(**fields, condition=condition))
    if problems:
        raise BadgeConfigError("invalid badges:\n" + "\n".join(problems))
    log.debug("parsed %d badges from %s", len(badges), source)
    return badges


def earned(
    badges: Iterable[BadgeDef], counters: PlayerCounters, already: Collection[str]
) -> list[BadgeDef]:
    """The badges newly earned: rule met and id not in `already`, in definition order."""
    return [b for b in badges if b.id not in already and b.check(counters)]


SHIPPED_CONFIG = Path(__file__).resolve().parents[3] / "config.toml"


def default_badges() -> list[BadgeDef]:
    """The shipped badge set (the ``[[badges]]`` of the shipped config.toml), parsed."""
    text = SHIPPED_CONFIG.read_text(encoding="utf-8")
    return parse_badges(tomllib.loads(text)["badges"], source="config.toml")


def _label(entry: object, index: int, source: str) -> str:
    if isinstance(entry, Mapping) and isinstance(entry.get("id"), str) and entry["id"]:
        return f"{source}: badge {entry['id']!r}"
    return f"{source}: badge #{index + 1} (no id)"


def _check_entry(entry: object, label: str) -> list[str]:
    if not isinstance(entry, Mapping):
        return [f"{label}: must be a table with keys {', '.join(BADGE_KEYS)}"]
    problems = [f"{label}: unknown key {key!r}" for key in entry if key not in BADGE_KEYS]
    for key in BADGE_KEYS:
        if key not in entry:
            problems.append(f"{label}: missing key {key!r}")
        elif not isinstance(entry[key], str) or not entry[key].strip():
            problems.append(f"{label}: key {key!r} must be a non-empty string")
    if not problems and not _ID.fullmatch(entry["id"]):
        problems.append(
            f"{label}: key 'id': use 1-32 lowercase letters, digits or _ starting with a letter"
        )
    return problems
