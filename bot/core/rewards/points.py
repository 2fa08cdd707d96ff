"""Points that pay for quality: the per-answer ledger entries and the published formula.

The rule (defaults in brackets, every number configurable in `PointsRules`):

* **Base** - every stored answer earns ``round(base x campaign)`` [10 x 1.0] at once.
* **Streak** - on top of the base, ``round(base_points x min(streak_days x streak_step,
  streak_cap))`` [2 % per streak day, at most +20 %].
* **Gold** - a right answer on a gold item earns ``round(gold_bonus x campaign)`` [15] at once;
  a wrong one earns 0.
* **Consensus** - settled when the item is finalized: if the answer matches the consensus and
  the consensus confidence ``c`` is at least ``consensus_min_confidence`` [0.5], it earns
  ``round(consensus_bonus x c x campaign)`` [10 x c] (``x 1`` instead of ``x c`` when
  ``scale_by_confidence`` is off); otherwise 0.
* **Guess** - quick-draw guess points are computed by the game and passed through unchanged.
* **Drawing** - the author of a player drawing earns ``DRAWING_POINTS`` [3] each time another
  player guesses it right in a round (one payment per solver and round, paid once the right
  guess is stored); the author's own guesses on it are refused and earn nothing.
* **Typed answers** - games whose answer is typed (``Game.takes_text``: quick-draw guesses,
  transcriptions, translations) pay by the same two rules as buttons: the base (and streak)
  at once, and the consensus entry when the item is finalized. The consensus compares the
  answer's STORED label, already normalized by the game (``Game.normalize``), with the
  finalized label, which is one of those stored labels: two typed answers agree exactly when
  their normalized strings are equal, so a typed answer pays the consensus bonus only when it
  agrees with the crowd. A typed answer that matches also counts toward ``typed_agreed``.
* **Contribution** - a translation or a photo a player contributed earns, once, when the
  other players' verdict accepts it, ``round(points x campaign)`` with
  ``TRANSLATION_ACCEPTED_POINTS`` [20] for a translation and ``PHOTO_ACCEPTED_POINTS`` [25]
  for a photo (worth two to two and a half answers: it takes longer than a button, and it
  pays only when others accept it); a rejected contribution earns nothing. The author can
  never judge their own contribution.
* **Flagged** - an answer flagged as spam (for example too fast) earns nothing at all: no base,
  no streak, no gold, no consensus, no guess points.

``round`` rounds half up. Every function returns at least one `LedgerEntry` so the player can
read why an answer earned what it earned, including the zero-point outcomes ("+0 did not match
consensus (0.62)"); an engine that only stores non-zero rows filters on ``entry.points``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)


class LedgerKind(StrEnum):
    """Why points were (or were not) paid; stored in the ledger next to the points."""

    BASE = "base"
    STREAK = "streak"
    GOLD = "gold"
    CONSENSUS = "consensus"
    GUESS = "guess"
    FLAGGED = "flagged"
    DRAWING = "drawing"
    CONTRIBUTION = "contribution"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One line of a player's points ledger, e.g. ``+9 agreed with consensus (0.93)``."""

    kind: LedgerKind
    points: int
    reason: str

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True, slots=True)
class PointsRules:
    """The configurable numbers of the points formula (see the module docstring)."""

    base: int = 10
    consensus_bonus: int = 10
    consensus_min_confidence: float = 0.5
    scale_by_confidence: bool = True
    gold_bonus: int = 15
    streak_step: float = 0.02
    streak_cap: float = 0.20

    def __post_init__(self) -> None:
        for name in ("base", "consensus_bonus", "gold_bonus"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"points.{name} must be a whole number >= 0, got {value!r}")
        for name in ("consensus_min_confidence", "streak_step", "streak_cap"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"points.{name} must be a number, got {value!r}")
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"points.{name} must be between 0 and 1, got {value!r}")


DEFAULT_POINTS = PointsRules()


def round_half_up(value: float) -> int:
    """Round to the nearest whole point, halves up (2.5 -> 3), unlike Python's `round`."""
    return math.floor(value + 0.5)


def streak_fraction(rules: PointsRules, streak_days: int) -> float:
    """The streak bonus as a fraction of the base: ``min(streak_days x step, cap)``."""
    return min(max(streak_days, 0) * rules.streak_step, rules.streak_cap)


def total(entries: Iterable[LedgerEntry]) -> int:
    """The sum of the points of `entries`."""
    return sum(entry.points for entry in entries)


def points_for_stored_answer(
    rules: PointsRules,
    *,
    campaign_multiplier: float = 1.0,
    streak_days: int = 0,
    flagged: str | None = None,
) -> list[LedgerEntry]:
    """Entries paid at once for a stored answer: base (x campaign), then the streak bonus.

    `flagged` is the reason an answer earns nothing (e.g. ``"answered in under 1.5 s"``);
    `streak_days` is the player's current streak including today.
    """
    if flagged is not None:
        return [_flagged_entry(flagged)]
    _check_multiplier(campaign_multiplier)
    base = round_half_up(rules.base * campaign_multiplier)
    reason = f"+{base} base"
    if campaign_multiplier != 1.0:
        reason += f" ({rules.base} x {campaign_multiplier:g} campaign)"
    entries = [LedgerEntry(LedgerKind.BASE, base, reason)]
    fraction = streak_fraction(rules, streak_days)
    bonus = round_half_up(base * fraction)
    if bonus > 0:
        text = f"+{bonus} streak bonus (day {streak_days}: +{fraction:.0%})"
        entries.append(LedgerEntry(LedgerKind.STREAK, bonus, text))
    return entries


def points_for_gold(
    rules: PointsRules,
    *,
    correct: bool,
    campaign_multiplier: float = 1.0,
    flagged: str | None = None,
) -> list[LedgerEntry]:
    """The gold entry, paid at once: ``round(gold_bonus x campaign)`` when right, else 0."""
    if flagged is not None:
        return [_flagged_entry(flagged)]
    _check_multiplier(campaign_multiplier)
    if not correct:
        return [LedgerEntry(LedgerKind.GOLD, 0, "+0 missed a gold item")]
    bonus = round_half_up(rules.gold_bonus * campaign_multiplier)
    return [LedgerEntry(LedgerKind.GOLD, bonus, f"+{bonus} right on a gold item")]


def settle_on_finalize(
    rules: PointsRules,
    *,
    matches: bool,
    confidence: float,
    campaign_multiplier: float = 1.0,
    flagged: str | None = None,
) -> list[LedgerEntry]:
    """The consensus entry, settled when the item is finalized with `confidence` in [0, 1].

    Pays ``round(consensus_bonus x confidence x campaign)`` when the answer `matches` the
    consensus and ``confidence >= consensus_min_confidence``; 0 with the reason otherwise.
    """
    if not 0.0 <= confidence <= 1.0:
        raise ValueError(f"consensus confidence must be between 0 and 1, got {confidence!r}")
    if flagged is not None:
        return [_flagged_entry(flagged)]
    _check_multiplier(campaign_multiplier)
    shown = f"{confidence:.2f}"
    if not matches:
        return [LedgerEntry(LedgerKind.CONSENSUS, 0, f"+0 did not match consensus ({shown})")]
    if confidence < rules.consensus_min_confidence:
        text = f"+0 consensus too uncertain ({shown} < {rules.consensus_min_confidence:.2f})"
        return [LedgerEntry(LedgerKind.CONSENSUS, 0, text)]
    scale = confidence if rules.scale_by_confidence else 1.0
    bonus = round_half_up(rules.consensus_bonus * scale * campaign_multiplier)
    return [LedgerEntry(LedgerKind.CONSENSUS, bonus, f"+{bonus} agreed with consensus ({shown})")]


def points_for_guess(
    points: int, *, detail: str = "correct guess", flagged: str | None = None
) -> list[LedgerEntry]:
    """Quick-draw guess points, computed by the game, passed through unchanged (never < 0)."""
    if flagged is not None:
        return [_flagged_entry(flagged)]
    if points < 0:
        raise ValueError(f"guess points must be >= 0, got {points}")
    return [LedgerEntry(LedgerKind.GUESS, points, f"+{points} {detail}")]


DRAWING_POINTS = 3
"""What the author of a player drawing earns each time another player recognises it."""


def points_for_drawing(word: str) -> list[LedgerEntry]:
    """The author's points when another player guessed their drawing of `word` right."""
    return [
        LedgerEntry(
            LedgerKind.DRAWING,
            DRAWING_POINTS,
            f"+{DRAWING_POINTS} your drawing of {word} was recognised",
        )
    ]


TRANSLATION = "translation"
PHOTO = "photo"
TRANSLATION_ACCEPTED_POINTS = 20
"""What an accepted translation earns its author (x the campaign multiplier)."""
PHOTO_ACCEPTED_POINTS = 25
"""What an accepted photo earns its author (x the campaign multiplier)."""
CONTRIBUTION_POINTS: dict[str, tuple[int, str]] = {
    TRANSLATION: (TRANSLATION_ACCEPTED_POINTS, "your translation was accepted"),
    PHOTO: (PHOTO_ACCEPTED_POINTS, "your photo was accepted"),
}
"""Contribution kind (`contributions.kind`) -> (points, what the ledger line says)."""


def points_for_contribution(kind: str, *, campaign_multiplier: float = 1.0) -> list[LedgerEntry]:
    """The author's points for an ACCEPTED contribution of `kind` (``translation`` or
    ``photo``): ``round(points x campaign)``; an unknown kind raises ValueError."""
    found = CONTRIBUTION_POINTS.get(kind)
    if found is None:
        known = ", ".join(sorted(CONTRIBUTION_POINTS))
        raise ValueError(f"unknown contribution kind {kind!r} (known: {known})")
    _check_multiplier(campaign_multiplier)
    base, what = found
    points = round_half_up(base * campaign_multiplier)
    reason = f"+{points} {what}"
    if campaign_multiplier != 1.0:
        reason += f" ({base} x {campaign_multiplier:g} campaign)"
    return [LedgerEntry(LedgerKind.CONTRIBUTION, points, reason)]


def formula_text(rules: PointsRules) -> str:
    """The formula as shown to players in /help (plain text, one rule per line)."""
    lines = [f"• {rules.base} points for every answer."]
    if rules.streak_step > 0 and rules.streak_cap > 0:
        lines.append(
            f"• Streak bonus: +{rules.streak_step:.0%} of the base per day of your streak, "
            f"at most +{rules.streak_cap:.0%}."
        )
    if rules.gold_bonus:
        lines.append(f"• +{rules.gold_bonus} at once when you get a check (gold) item right.")
    if rules.consensus_bonus:
        scaled = " × the consensus confidence" if rules.scale_by_confidence else ""
        lines.append(
            f"• When an item is finished: +{rules.consensus_bonus}{scaled} if you agreed with "
            f"the consensus (only when confidence is at least "
            f"{rules.consensus_min_confidence:.0%})."
        )
    lines.append("• Quick-draw guesses earn the game's guess points.")
    lines.append(
        f"• Your own drawings earn +{DRAWING_POINTS} each time another player recognises one "
        "in a round (you cannot guess your own)."
    )
    lines.append(
        "• Typed answers (transcriptions, translations, guesses) earn the same: points at "
        "once, and the consensus bonus only when what you typed agrees with the finished label."
    )
    lines.append(
        f"• Contributions pay when other players accept them: +{TRANSLATION_ACCEPTED_POINTS} "
        f"for a translation, +{PHOTO_ACCEPTED_POINTS} for a photo (nothing if rejected; "
        "you never judge your own)."
    )
    lines.append("• Campaign multipliers apply to base, gold, consensus and contribution points.")
    lines.append("• Answers flagged as spam (for example far too fast) earn nothing.")
    return "\n".join(lines)


def _flagged_entry(reason: str) -> LedgerEntry:
    return LedgerEntry(LedgerKind.FLAGGED, 0, f"+0 answer flagged: {reason}")


def _check_multiplier(multiplier: float) -> None:
    if not math.isfinite(multiplier) or multiplier < 0:
        raise ValueError(f"campaign multiplier must be a number >= 0, got {multiplier!r}")
