"""Pure rules of the doodle-guessing game: matching, hints, scoring, rate limits, verdicts.

Everything here is a function of its arguments (no clock, no I/O apart from reading the
bundled `data/synonyms.json` once). The anchors, in `docs/quickdraw.md` (Where the rules come
from): scribble.rs (hint counts, close guesses, geometric time decay, 5-in-3-s rate limit),
skribbl.io and scribble.rs #362 (the first guesser earns about twice the second), KMQ and
LenoxBot (case- and typo-tolerant answers).
"""

from __future__ import annotations

import json
import logging
import random
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

SYNONYMS_PATH = Path(__file__).with_name("data") / "synonyms.json"
_ARTICLES = frozenset({"the", "a", "an"})
_SEPARATORS = str.maketrans({"-": " ", "_": " ", "\u2010": " ", "\u2013": " ", "\u2014": " "})

# ------------------------------------------------------------------------------ normalisation


def normalize(text: str) -> str:
    """The comparison key of a guess or a category name.

    Rule, in order: Unicode NFKC; casefold; strip accents (drop combining marks after NFD);
    `-`, `_` and dashes become spaces; other punctuation and symbols are dropped; whitespace is
    collapsed; a leading article (`the`, `a`, `an`) is dropped when words follow; the words
    are joined without spaces (`t-shirt` = `t shirt` = `tshirt`, `see saw` = `seesaw`);
    finally a simple plural and the spelling of the ending are folded (see `_fold_plural`).
    The key is for comparing only; it is not meant to be shown.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = text.translate(_SEPARATORS)
    text = "".join(c if c.isalnum() or c.isspace() else "" for c in text)
    words = text.split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return _fold_plural("".join(words))


def _fold_plural(key: str) -> str:
    """Map singular and simple plural to one key (a tiny Porter step 1a).

    1. drop a final `s` unless the key ends in `ss`, `us` or `is` (`glass`, `bus`, `cactus`);
    2. drop a final `e` after `s x z h o i`, where English adds `-es` or `-ies`
       (`boxes`->`boxe`->`box`, `horses`/`horse` -> `hors`, `shoes`/`shoe` -> `sho`);
    3. turn a final `y` into `i` (`berries`->`berrie`->`berri`; `berry` -> `berri`).
    Each step applies only to keys longer than 3 letters (`bus`, `axe`, `bee` stay put).
    Irregular plurals (`mice`, `teeth`, `leaves`) are listed as synonyms instead.
    """
    if len(key) > 3 and key.endswith("s") and not key.endswith(("ss", "us", "is")):
        key = key[:-1]
    if len(key) > 3 and key.endswith(("se", "xe", "ze", "he", "oe", "ie")):
        key = key[:-1]
    if len(key) > 3 and key.endswith("y"):
        key = key[:-1] + "i"
    return key


def damerau_levenshtein(a: str, b: str) -> int:
    """Restricted Damerau-Levenshtein (optimal string alignment) distance.

    The fewest insertions, deletions, substitutions and swaps of two ADJACENT characters that
    turn `a` into `b`, with no substring edited twice (so `ca` -> `abc` is 3, not 2).
    """
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


# ----------------------------------------------------------------------------------- synonyms


@cache
def load_synonyms(path: Path = SYNONYMS_PATH) -> Mapping[str, tuple[str, ...]]:
    """Category name (exactly as in `categories.txt`) -> accepted other names. Read once.

    The file lists every one of the 345 official categories (an empty list where no synonym is
    natural), so its keys double as the known-category list.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): tuple(str(s) for s in v) for k, v in data.items() if not k.startswith("_")}


def known_categories() -> tuple[str, ...]:
    """The official category names, from the synonyms file."""
    return tuple(load_synonyms())


class MatchKind(StrEnum):
    """How a guess relates to the word."""

    EXACT = "exact"
    SYNONYM = "synonym"
    CLOSE = "close"
    WRONG = "wrong"


@dataclass(frozen=True, slots=True)
class Match:
    """A judged guess. `other_category` is set when the guess names a different category."""

    kind: MatchKind
    normalized: str
    other_category: str | None = None

    @property
    def correct(self) -> bool:
        """EXACT and SYNONYM win the round; CLOSE only earns a "you're close" notice."""
        return self.kind in (MatchKind.EXACT, MatchKind.SYNONYM)


class CategoryIndex:
    """Normalised names and synonyms of a category list, for finding which one a guess names."""

    def __init__(
        self, categories: Iterable[str], synonyms: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        syn = load_synonyms() if synonyms is None else synonyms
        self.categories = tuple(categories)
        self.keys: dict[str, str] = {}
        for cat in self.categories:
            for name in (cat, *syn.get(cat, ())):
                self.keys.setdefault(normalize(name), cat)

    def exact(self, guess: str) -> str | None:
        """The category whose name or synonym normalises like `guess`."""
        return self.keys.get(normalize(guess))

    def lookup(self, guess: str, allow_close: bool = True) -> str | None:
        """`exact`, else (if allowed) the ONLY category within distance 1 of a key of at least
        5 characters; short keys have too many neighbours (`cat`, `car`, `hat`) to guess."""
        key = normalize(guess)
        if key in self.keys or not allow_close or len(key) < 5:
            return self.keys.get(key)
        near = {
            c for k, c in self.keys.items() if len(k) >= 5 and damerau_levenshtein(k, key) == 1
        }
        return near.pop() if len(near) == 1 else None


@cache
def _index_for(categories: tuple[str, ...]) -> CategoryIndex:
    return CategoryIndex(categories)


def default_index() -> CategoryIndex:
    """The index over all official categories and the bundled synonyms (built once)."""
    return _index_for(known_categories())


def canonical_category(guess: str, categories: Iterable[str] | None = None) -> str | None:
    """The category a guess names (exact name or synonym, else a unique typo; see `lookup`)."""
    index = default_index() if categories is None else _index_for(tuple(categories))
    return index.lookup(guess)


def match_guess(
    guess: str,
    word: str,
    synonyms: Mapping[str, Sequence[str]] | None = None,
    index: CategoryIndex | None = None,
) -> Match:
    """Judge a guess against the word.

    EXACT: same key as the word; SYNONYM: same key as one of the word's synonyms; CLOSE:
    Damerau-Levenshtein distance exactly 1 from the word's key or a synonym's key, unless the
    guess is itself another known category (`car` for `cat` is WRONG, not close); WRONG
    otherwise, with `other_category` naming the category the guess names, if any.
    """
    syn = load_synonyms() if synonyms is None else synonyms
    idx = default_index() if index is None else index
    key = normalize(guess)
    if not key:
        return Match(MatchKind.WRONG, key)
    if key == normalize(word):
        return Match(MatchKind.EXACT, key)
    targets = [normalize(s) for s in syn.get(word, ())]
    if key in targets:
        return Match(MatchKind.SYNONYM, key)
    other = idx.exact(guess)
    if other is not None and other != word:
        return Match(MatchKind.WRONG, key, other)
    if any(damerau_levenshtein(key, t) == 1 for t in (normalize(word), *targets)):
        return Match(MatchKind.CLOSE, key)
    return Match(MatchKind.WRONG, key, idx.lookup(guess))


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
