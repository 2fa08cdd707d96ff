"""Pure rules of the doodle-guessing game: matching, hints, scoring, rate limits, verdicts.

Everything here is a function of its arguments (no clock, no I/O apart from reading the
bundled `data/synonyms.json` once). The anchors, in `docs/quickdraw.md` (Where the rules come
from): scribble.rs (hint counts, close guesses, geometric time decay, 5-in-3-s rate limit),
skribbl.io and scribble.rs #362 (the first guesser earns about twice the second), KMQ and
LenoxBot (case- and typo-tolerant answers).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.games.quickdraw_matching import CategoryIndex, MatchKind, default_index, match_guess

log = logging.getLogger(__name__)


# -------------------------------------------------------------------------------------- hints


def _hideable(ch: str) -> bool:
    return ch.isalnum()


def hint_mask(word: str, revealed: set[int] | frozenset[int] = frozenset()) -> str:
    """Letters as `_` (or the letter if its index is in `revealed`), other characters shown,
    all separated by one space: `sea turtle` -> `_ _ _   _ _ _ _ _ _`, `t-shirt` ->
    `_ - _ _ _ _ _`."""
    return " ".join(c if not _hideable(c) or i in revealed else "_" for i, c in enumerate(word))


def hint_count(word: str) -> int:
    """scribble.rs: by the number of letters, <=2 -> 0 hints, <=4 -> 1, <=9 -> 2, else 3."""
    n = sum(_hideable(c) for c in word)
    return 0 if n <= 2 else 1 if n <= 4 else 2 if n <= 9 else 3


def hint_schedule(word: str, duration_s: float) -> list[float]:
    """Seconds after the start at which hint k (1..n) appears: k * duration / (n + 1)."""
    n = hint_count(word)
    return [k * duration_s / (n + 1) for k in range(1, n + 1)]


def hints_shown_at(word: str, duration_s: float, elapsed_s: float) -> int:
    """How many hints are visible `elapsed_s` seconds into the round."""
    return sum(at <= elapsed_s for at in hint_schedule(word, duration_s))


def reveal_order(word: str, seed: int | str) -> list[int]:
    """All letter indices of `word` in a deterministic shuffled order for `seed`; hint k
    reveals the first k of them."""
    order = [i for i, c in enumerate(word) if _hideable(c)]
    random.Random(f"{seed}:{word}").shuffle(order)
    return order


# ------------------------------------------------------------------------------------ scoring


@dataclass(frozen=True, slots=True)
class ScoringPreset:
    """Parameters of `guess_points`."""

    name: str
    base: float
    max_bonus: float
    decline: float
    hint_bonus: float
    minimum: int


GENTLE = ScoringPreset("gentle", base=100, max_bonus=100, decline=2.0, hint_bonus=60, minimum=10)
COMPETITIVE = ScoringPreset(
    "competitive", base=10, max_bonus=290, decline=3.0, hint_bonus=120, minimum=1
)
PRESETS: Mapping[str, ScoringPreset] = {p.name: p for p in (GENTLE, COMPETITIVE)}


def guess_points(
    order: int,
    elapsed_s: float,
    duration_s: float,
    hints_shown: int,
    hint_total: int,
    preset: ScoringPreset = GENTLE,
) -> int:
    """Points for the `order`-th correct guess (1 = first), `elapsed_s` into the round.

    points = max(minimum, round((base + max_bonus * (1 - decline / D) ** e
                                 + hint_bonus * (H - h) / H) / order))

    with D = duration, e = elapsed clamped to [0, D], H hints planned and h shown (the hint
    term is the full `hint_bonus` when H = 0). This is scribble.rs's guesser score (geometric
    time decay plus a bonus per unrevealed hint) divided by the order, so at equal speed the
    first right guess earns twice the second and three times the third. Points never rise
    with time, hints or order.
    """
    if order < 1:
        raise ValueError(f"order must be >= 1, got {order}")
    d = max(duration_s, 1e-9)
    e = min(max(elapsed_s, 0.0), d)
    decay = max(0.0, 1.0 - preset.decline / d) ** e if d > preset.decline else 1.0 - e / d
    unrevealed = 1.0 if hint_total <= 0 else max(0, hint_total - hints_shown) / hint_total
    raw = preset.base + preset.max_bonus * decay + preset.hint_bonus * unrevealed
    return max(preset.minimum, round(raw / order))


# -------------------------------------------------------------------------------- rate limits


@dataclass(frozen=True, slots=True)
class GuessLimits:
    """`max_in_window` attempts within `window_s` seconds; `max_per_round` accepted guesses."""

    max_in_window: int = 5
    window_s: float = 3.0
    max_per_round: int = 3


class GuessGate(StrEnum):
    """Outcome of `check_guess`."""

    ALLOW = "allow"
    RATE_LIMITED = "rate_limited"
    CAP_REACHED = "cap_reached"


def check_guess(
    previous_attempts: Sequence[float],
    accepted: int,
    now: float,
    limits: GuessLimits = GuessLimits(),
) -> GuessGate:
    """Whether a player's guess at time `now` (seconds) counts.

    RATE_LIMITED (ignore silently, scribble.rs) when this attempt would be the
    `max_in_window`-th within `window_s` seconds, counting every earlier attempt of the
    player in this round, refused ones included, so that a spammer stays muted until they
    pause. Otherwise CAP_REACHED when the player already has `max_per_round` accepted
    guesses (brute-forcing the 345 names must not pay). Otherwise ALLOW.
    """
    recent = sum(1 for t in previous_attempts if now - limits.window_s < t <= now)
    if recent + 1 >= limits.max_in_window:
        return GuessGate.RATE_LIMITED
    if accepted >= limits.max_per_round:
        return GuessGate.CAP_REACHED
    return GuessGate.ALLOW


# ----------------------------------------------------------------------------------- verdicts

HINT_WEIGHT = 0.5


class VerdictLabel(StrEnum):
    """Label families of a doodle (`looks_like` is written `looks_like:<category>`)."""

    RECOGNIZABLE = "recognizable"
    NOT_RECOGNIZABLE = "not_recognizable"
    LOOKS_LIKE = "looks_like"
    INSUFFICIENT = "insufficient_evidence"


@dataclass(frozen=True, slots=True)
class GuessEvidence:
    """A player's FIRST guess on a doodle, with its context (docs B.9).

    `cant_tell` is an explicit "can't tell / skip"; `kind` may carry the match judged when the
    guess was made (otherwise it is judged again here).
    """

    text: str
    hints_shown: int = 0
    after_reveal: bool = False
    cant_tell: bool = False
    kind: MatchKind | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What people made of a doodle."""

    label: str
    recognition_rate: float
    guessers: int
    top_guess: str | None
    top_share: float
    ignored_after_reveal: int


def doodle_verdict(
    first_guesses: Sequence[GuessEvidence],
    word: str,
    min_guessers: int = 3,
    threshold: float = 0.5,
    index: CategoryIndex | None = None,
) -> Verdict:
    """Label a doodle from its players' first guesses.

    Guesses made after the word was revealed are ignored (not independent, docs B.5). Over
    the N remaining guessers:

    * a correct guess (EXACT, SYNONYM, or CLOSE, i.e. a typo of the word) made with h hints
      showing counts `HINT_WEIGHT ** h` (1, 0.5, 0.25 ...) as recognition, because the hint
      letters did part of the work; wrong guesses and "can't tell" count 0 and are never
      discounted (hints only help, so a miss with hints is a full miss);
    * recognition_rate = sum of those credits / N;
    * every guess names a canonical category (`CategoryIndex.lookup`, a unique typo allowed);
      the top guess is the most named one (ties: alphabetical), its share = count / N.

    Label: `insufficient_evidence` if N < min_guessers; else `recognizable` if the rate is
    >= threshold; else `looks_like:<category>` if the top guess is another category with
    share >= threshold; else `not_recognizable`.
    """
    idx = default_index() if index is None else index
    eligible = [g for g in first_guesses if not g.after_reveal]
    credit = 0.0
    named: dict[str, int] = {}
    for g in eligible:
        if g.cant_tell:
            continue
        kind = g.kind or match_guess(g.text, word, index=idx).kind
        if kind is not MatchKind.WRONG:
            credit += HINT_WEIGHT ** max(g.hints_shown, 0)
            category: str | None = word
        else:
            category = idx.lookup(g.text)
        if category is not None:
            named[category] = named.get(category, 0) + 1
    n = len(eligible)
    rate = credit / n if n else 0.0
    top = min(named, key=lambda c: (-named[c], c)) if named else None
    share = named[top] / n if top is not None else 0.0
    if n < min_guessers:
        label = VerdictLabel.INSUFFICIENT.value
    elif rate >= threshold:
        label = VerdictLabel.RECOGNIZABLE.value
    elif top is not None and top != word and share >= threshold:
        label = f"{VerdictLabel.LOOKS_LIKE.value}:{top}"
    else:
        label = VerdictLabel.NOT_RECOGNIZABLE.value
    return Verdict(label, rate, n, top, share, len(first_guesses) - n)
