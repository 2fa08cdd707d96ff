"""Text preparation for the bundled font: coverage fallbacks, ellipsis fitting, initials."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.render import text as txt

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(autouse=True)
def bundled_font() -> Iterator[None]:
    txt.use_font_file(None)
    yield
    txt.use_font_file(None)


def test_default_font_is_scalable() -> None:
    small, big = txt.font(12), txt.font(40)
    assert txt.width(big, "Hello") > 2.5 * txt.width(small, "Hello")


def test_accents_fold_to_base_letters_the_font_has() -> None:
    assert txt.displayable("Zoë Ångström") == "Zoe Angstrom"
    assert txt.displayable("ＡＢＣ") == "ABC"


def test_controls_become_spaces_and_emoji_are_dropped() -> None:
    assert txt.displayable("a\nb\t\x00c") == "a b c"
    assert txt.displayable("Sam 😀🎨") == "Sam"
    assert txt.displayable("😀", fallback="Player") == "Player"


def test_letters_of_other_scripts_keep_their_place() -> None:
    assert len(txt.displayable("Иван")) == 4


def test_fit_cuts_with_an_ellipsis() -> None:
    f = txt.font(20)
    assert txt.fit("short", f, 500) == "short"
    cut = txt.fit("a rather long name " * 10, f, 150)
    assert cut.endswith("…")
    assert txt.width(f, cut) <= 150


def test_initials() -> None:
    assert txt.initials("ada lovelace") == "AL"
    assert txt.initials("Zoë") == "Z"
    assert txt.initials("😀") == "?"


def test_number_and_plain() -> None:
    assert txt.number(1234567) == "1,234,567"
    assert txt.plain("a\nb") == "a b"
    assert len(txt.plain("x" * 500)) == 100


def test_bad_font_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "nope.ttf"
    bad.write_bytes(b"not a font")
    with pytest.raises(ValueError, match=r"nope\.ttf"):
        txt.use_font_file(bad)


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans is not installed here")
def test_a_wider_font_draws_cyrillic() -> None:
    txt.use_font_file(DEJAVU)
    assert txt.displayable("Zoë Иван") == "Zoë Иван"
