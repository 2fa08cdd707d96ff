"""Handwriting demo images: real PNGs with ink on them, varied styles, reproducible for a seed."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from bot.demo.handwriting import (
    PHRASES,
    WORDS,
    Style,
    draw_text,
    handwriting_items,
    style_for,
    system_fonts,
)


def _pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        return np.asarray(image.convert("L"), dtype=np.int16)


def _ink_share(png: bytes) -> float:
    """Share of pixels much darker than the paper (the paper is the image's median)."""
    grey = _pixels(png)
    return float(np.mean(grey < np.median(grey) - 70))


def test_items_are_pngs_with_visible_writing_and_known_truth() -> None:
    items = handwriting_items(30, seed=5)
    assert len(items) == 30
    assert {item.kind for item in items} == {"image"}
    assert {item.mime for item in items} == {"image/png"}
    assert len({item.source for item in items}) == 30
    for item in items:
        assert item.truth in WORDS or item.truth in PHRASES
        assert item.media is not None
        share = _ink_share(item.media)
        assert 0.003 < share < 0.4, (item.source, share)
    phrases = [item for item in items if item.truth in PHRASES]
    assert 5 <= len(phrases) <= 15
    assert all(len(item.truth.split()) >= 2 for item in phrases if item.truth)


def test_a_few_items_are_gold_with_the_text_as_answer() -> None:
    items = handwriting_items(60, seed=2)
    gold = [item for item in items if item.gold is not None]
    assert 1 <= len(gold) <= 15
    for item in gold:
        assert item.gold == item.truth
        assert item.gold_explanation and item.truth and item.truth in item.gold_explanation


def test_the_same_seed_gives_the_same_bytes_and_another_seed_others() -> None:
    first = [item.media for item in handwriting_items(8, seed=11)]
    again = [item.media for item in handwriting_items(8, seed=11)]
    other = [item.media for item in handwriting_items(8, seed=12)]
    assert first == again
    assert first != other


def test_styles_differ_and_so_do_the_images_of_one_word() -> None:
    styles = [style_for(k) for k in range(40)]
    assert len({s.ink for s in styles}) >= 3
    assert len({s.size for s in styles}) >= 8
    assert any(s.strike for s in styles) and not all(s.strike for s in styles)
    assert any(s.ruled for s in styles) and not all(s.ruled for s in styles)
    if system_fonts():
        assert len({s.font for s in styles}) >= 4
    pictures = {draw_text("garden", s, "same") for s in styles[:6]}
    assert len(pictures) == 6
    a = _pixels(draw_text("garden", styles[0], "same"))
    b = _pixels(draw_text("garden", styles[1], "same"))
    assert a.shape != b.shape or float(np.mean(np.abs(a - b))) > 5


def test_it_writes_with_pillows_own_font_when_the_machine_has_none() -> None:
    assert system_fonts("/nonexistent/fonts") == ()
    style = style_for(3, fonts=())
    assert style.font is None
    assert _ink_share(draw_text("kettle", style, 3)) > 0.003


def test_a_struck_letter_adds_ink_beside_the_word() -> None:
    plain = Style(None, 36, (20, 20, 28), (245, 240, 230), 1.0, 2.0, 0.1, 3.0, 0.0, False, False)
    struck = Style(None, 36, (20, 20, 28), (245, 240, 230), 1.0, 2.0, 0.1, 3.0, 0.0, False, True)
    clean, corrected = (
        _pixels(draw_text("lemon", plain, 1)),
        _pixels(draw_text("lemon", struck, 1)),
    )
    assert corrected.shape[1] > clean.shape[1]
    assert np.sum(corrected < 120) > np.sum(clean < 120)
