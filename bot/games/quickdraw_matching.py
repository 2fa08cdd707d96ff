"""Pure rules of the doodle-guessing game: how a typed guess matches a category.

Normalisation (NFKC, case, accents, separators, articles, plurals), the bundled synonyms
(`data/synonyms.json`, read once), and the verdict right / close (one edit away) / wrong.
Anchors: KMQ and LenoxBot (case- and typo-tolerant answers), scribble.rs (close guesses);
see docs/quickdraw.md.
"""

from __future__ import annotations

import json
import logging
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
