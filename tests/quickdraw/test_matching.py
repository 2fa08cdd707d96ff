"""Guess matching: normalisation, synonyms, close guesses, other categories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.demo import DEMO_CATEGORIES
from bot.games.quickdraw_matching import (
    SYNONYMS_PATH,
    CategoryIndex,
    MatchKind,
    canonical_category,
    damerau_levenshtein,
    known_categories,
    load_synonyms,
    match_guess,
    normalize,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Apple", "apple"),
        ("  APPLE  ", "apple"),
        ("café", "cafe"),
        ("ＣＡＦＥ", "cafe"),  # fullwidth, folded by NFKC
        ("T-Shirt", "t-shirt"),
        ("tshirt", "t-shirt"),
        ("t shirt", "t_shirt"),
        ("The Eiffel Tower", "eiffel tower"),
        ("the   eiffel\ttower", "Eiffel-Tower"),
        ("a bicycle", "bicycle"),
        ("an apple!", "apple"),
        ("teddy bear", "teddy-bear"),
        ("see saw", "seesaw"),
        ("cats", "cat"),
        ("boxes", "box"),
        ("buses", "bus"),
        ("strawberries", "strawberry"),
        ("cookies", "cookie"),
        ("horses", "horse"),
        ("shoes", "shoe"),
        ("Flip-Flop", "flip flops"),
        ("binocular", "binoculars"),
        ("glass", "glasses"),
    ],
)
def test_normalisation_makes_these_equal(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("bus", "bu"), ("cat", "car"), ("house", "horse"), ("the", ""), ("mouse", "mouth")],
)
def test_normalisation_keeps_these_apart(a: str, b: str) -> None:
    assert normalize(a) != normalize(b)


def test_every_official_category_has_its_own_key() -> None:
    cats = known_categories()
    assert len(cats) == 345 and "The Mona Lisa" in cats and "zigzag" in cats
    assert len({normalize(c) for c in cats}) == 345


def test_synonyms_never_name_two_categories() -> None:
    owner: dict[str, str] = {}
    for cat, names in load_synonyms().items():
        for name in (cat, *names):
            assert owner.setdefault(normalize(name), cat) == cat, (name, cat, owner)


def test_synonym_file_covers_demo_categories_and_many_categories() -> None:
    data = load_synonyms()
    assert set(DEMO_CATEGORIES) <= set(data)
    assert sum(1 for names in data.values() if names) >= 150


def test_synonyms_match_the_official_list_when_present(shared_dir: Path) -> None:
    text = (shared_dir / "datasets" / "quickdraw" / "categories.txt").read_text(encoding="ascii")
    assert list(load_synonyms()) == text.splitlines()


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("cat", "cat", 0),
        ("cat", "act", 1),  # transposition
        ("cat", "cart", 1),  # insertion
        ("cart", "cat", 1),  # deletion
        ("cat", "cot", 1),  # substitution
        ("ca", "abc", 3),  # restricted: no edit of a swapped pair
        ("", "abc", 3),
        ("kitten", "sitting", 3),
    ],
)
def test_damerau_levenshtein(a: str, b: str, distance: int) -> None:
    assert damerau_levenshtein(a, b) == distance
    assert damerau_levenshtein(b, a) == distance


@pytest.mark.parametrize(
    ("guess", "word", "kind"),
    [
        ("Cat", "cat", MatchKind.EXACT),
        ("eiffel tower", "The Eiffel Tower", MatchKind.EXACT),
        ("mona lisa", "The Mona Lisa", MatchKind.EXACT),
        ("Bicycles", "bicycle", MatchKind.EXACT),
        ("smartphone", "cell phone", MatchKind.SYNONYM),
        ("Mobile-Phone", "cell phone", MatchKind.SYNONYM),
        ("seesaw", "see saw", MatchKind.EXACT),
        ("teeter totter", "see saw", MatchKind.SYNONYM),
        ("flip-flops", "flip flops", MatchKind.EXACT),
        ("kitten", "cat", MatchKind.SYNONYM),
        ("bicylce", "bicycle", MatchKind.CLOSE),  # transposition
        ("bicyle", "bicycle", MatchKind.CLOSE),  # deletion
        ("bicyccle", "bicycle", MatchKind.CLOSE),  # insertion
        ("bicicle", "bicycle", MatchKind.CLOSE),  # substitution
        ("smartphon", "cell phone", MatchKind.CLOSE),  # close to a synonym
        ("car", "cat", MatchKind.WRONG),  # one edit away, but a category of its own
        ("dog", "cat", MatchKind.WRONG),
        ("", "cat", MatchKind.WRONG),
        ("!!!", "cat", MatchKind.WRONG),
    ],
)
def test_match_guess(guess: str, word: str, kind: MatchKind) -> None:
    assert match_guess(guess, word).kind is kind


def test_wrong_guess_names_the_other_category() -> None:
    match = match_guess("a house", "horse")
    assert match.kind is MatchKind.WRONG and match.other_category == "house"
    assert not match.correct
    assert match_guess("pony", "horse").correct


def test_custom_synonyms_and_index_are_honoured() -> None:
    index = CategoryIndex(["cat", "dog"], {"cat": ["moggy"]})
    assert match_guess("moggy", "cat", {"cat": ["moggy"]}, index).kind is MatchKind.SYNONYM
    assert match_guess("kitten", "cat", {"cat": ["moggy"]}, index).kind is MatchKind.WRONG


@pytest.mark.parametrize(
    ("guess", "category"),
    [
        ("Smart Phone", "cell phone"),
        ("the mona lisa", "The Mona Lisa"),
        ("elephnat", "elephant"),  # a unique typo of a long name
        ("kat", None),  # short keys have several neighbours: no guessing
        ("spaceship", "flying saucer"),
        ("xylophone", None),
    ],
)
def test_canonical_category(guess: str, category: str | None) -> None:
    assert canonical_category(guess) == category


def test_canonical_category_within_a_given_list() -> None:
    assert canonical_category("kittens", ["cat", "dog"]) == "cat"
    assert canonical_category("horse", ["cat", "dog"]) is None


def test_synonym_file_is_valid_json_with_string_lists() -> None:
    data = json.loads(SYNONYMS_PATH.read_text(encoding="utf-8"))
    for key, value in data.items():
        if not key.startswith("_"):
            assert isinstance(value, list) and all(isinstance(s, str) and s for s in value)
