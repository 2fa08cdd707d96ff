"""Rank card: open the PNG and check what a player would see."""

from __future__ import annotations

import io
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from PIL import Image, ImageChops

from bot.render import RankCard, render_rank_card
from bot.render.canvas import ACCENT, BACKGROUND, colour_for
from bot.render.rankcard import AVATAR, MARGIN, XP_BAR
from tests.support.images import close, open_image, rgb_at

CARD = RankCard(
    display_name="Alice",
    level=12,
    xp_into_level=450,
    xp_for_next_level=1000,
    total_points=12_345,
    rank=3,
    rank_of=120,
    streak_days=5,
    best_streak=12,
    badges=[("🔥", "Hot streak"), ("⭐", "First label")],
    accuracy=0.93,
    agreement=None,
)
AVATAR_EDGE = (MARGIN + int(AVATAR * 0.85), MARGIN + AVATAR // 2)  # inside the disc, off the text


def _png(colour: tuple[int, int, int], size: tuple[int, int] = (64, 64)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format="PNG")
    return buf.getvalue()


def _bar_fill(image: Image.Image) -> float:
    """Share of the XP bar's middle row painted in the accent colour."""
    left, top, right, bottom = XP_BAR
    y = (top + bottom) // 2
    filled = sum(1 for x in range(left, right) if close(rgb_at(image, (x, y)), ACCENT))
    return filled / (right - left)


def test_card_is_a_small_png_with_alt_text() -> None:
    result = render_rank_card(CARD)
    image = open_image(result.data, "PNG")
    assert image.size == (result.width, result.height) == (800, 300)
    assert len(result.data) < 100 * 1024
    assert result.filename.endswith(".png")
    alt = result.alt_text
    for fact in ("Alice", "level 12", "rank #3 of 120", "12,345 points", "accuracy 93%"):
        assert fact in alt
    assert "🔥 Hot streak" in alt, "emoji live in the alt text"
    assert "agreement" not in alt, "metrics that are None are not mentioned"


@pytest.mark.parametrize(("into", "share"), [(0, 0.0), (250, 0.25), (750, 0.75), (1000, 1.0)])
def test_xp_bar_fill_is_proportional_to_progress(into: int, share: float) -> None:
    image = open_image(render_rank_card(replace(CARD, xp_into_level=into)).data, "PNG")
    assert _bar_fill(image) == pytest.approx(share, abs=0.02)


def test_level_without_xp_requirement_shows_a_full_bar() -> None:
    card = replace(CARD, xp_into_level=0, xp_for_next_level=0)
    image = open_image(render_rank_card(card).data, "PNG")
    assert _bar_fill(image) == pytest.approx(1.0, abs=0.02)


def test_avatar_is_drawn_when_it_decodes() -> None:
    card = replace(CARD, avatar=_png((200, 30, 30)))
    image = open_image(render_rank_card(card).data, "PNG")
    assert close(rgb_at(image, AVATAR_EDGE), (200, 30, 30))


@pytest.mark.parametrize(
    "data",
    [
        b"not an image at all",
        _png((200, 30, 30))[:60],  # a PNG cut short
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        b"",
    ],
)
def test_corrupt_or_missing_avatar_falls_back_to_initials(data: bytes) -> None:
    result = render_rank_card(replace(CARD, avatar=data))
    image = open_image(result.data, "PNG")
    assert close(rgb_at(image, AVATAR_EDGE), colour_for("Alice"))


def test_huge_avatar_is_refused_without_decoding() -> None:
    result = render_rank_card(replace(CARD, avatar=_png((200, 30, 30), (5000, 4000))))
    image = open_image(result.data, "PNG")
    assert close(rgb_at(image, AVATAR_EDGE), colour_for("Alice"))


def test_noisy_photo_avatar_keeps_the_card_under_100_kb() -> None:
    rng = random.Random(1)
    noise = Image.frombytes(
        "RGB", (512, 512), bytes(rng.getrandbits(8) for _ in range(512**2 * 3))
    )
    buf = io.BytesIO()
    noise.save(buf, format="PNG")
    result = render_rank_card(replace(CARD, avatar=buf.getvalue()))
    assert len(result.data) < 100 * 1024


NAMES = [
    "A" * 500,
    "Владимир Владимирович Длинноимённый",
    "李小龍的超級長的名字測試一二三四五六七八九十",
    "محمد عبد الرحمن الطويل جدا جدا",
    "😀😃😄👩‍👩‍👧‍👦🏳️‍🌈",
    "Zoë\u0301 Ångström e\u0301\u0302\u0303",
    "line\nbreak\ttab\x00nul",
    "",
    "   ",
    "\u202eevil RTL override",
]


@pytest.mark.parametrize("name", NAMES)
def test_any_name_renders_and_never_spills_into_the_rank(name: str) -> None:
    short = open_image(render_rank_card(replace(CARD, display_name="Al")).data, "PNG")
    result = render_rank_card(replace(CARD, display_name=name))
    image = open_image(result.data, "PNG")
    assert image.size == (800, 300)
    rank_area = (715, 20, 800, 100)
    diff = ImageChops.difference(
        image.convert("RGB").crop(rank_area), short.convert("RGB").crop(rank_area)
    )
    assert max(high for _, high in diff.getextrema()) <= 8  # type: ignore[misc]
    assert result.alt_text.startswith("Rank card for ")
    assert len(result.alt_text) <= 1000


def test_long_name_ends_with_an_ellipsis_before_the_rank() -> None:
    image = open_image(render_rank_card(replace(CARD, display_name="W" * 80)).data, "PNG")
    # The gap between the cut name and the rank is plain background.
    gap = image.convert("RGB").crop((690, 36, 720, 70))
    assert all(close(rgb_at(gap, (x, y)), BACKGROUND, 4) for x in range(30) for y in range(34))


def test_unranked_player_and_many_badges() -> None:
    badges = [(str(i), f"Badge number {i}") for i in range(100)]
    result = render_rank_card(replace(CARD, rank=None, rank_of=None, badges=badges))
    open_image(result.data, "PNG")
    assert "unranked" in result.alt_text
    assert "more" in result.alt_text and len(result.alt_text) <= 1000


def test_badge_chips_are_drawn_in_their_colours() -> None:
    image = open_image(render_rank_card(CARD).data, "PNG").convert("RGB")
    chip_row = image.crop((MARGIN, 232, 400, 268))
    colours = {rgb_at(chip_row, (x, 18)) for x in range(chip_row.width)}
    for name in ("Hot streak", "First label"):
        assert any(close(c, colour_for(name), 12) for c in colours), name


def test_card_rendering_is_deterministic() -> None:
    assert render_rank_card(CARD).data == render_rank_card(CARD).data


def test_cards_render_the_same_in_worker_threads() -> None:
    # Adapters render off the event loop (asyncio.to_thread), several at once.
    cards = [replace(CARD, display_name=f"Player {i}", level=i) for i in range(8)]
    expected = [render_rank_card(c).data for c in cards]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda c: render_rank_card(c).data, cards * 2)) == expected * 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"level": -1}, "level"),
        ({"xp_into_level": -5}, "xp_into_level"),
        ({"rank": 0}, "rank"),
        ({"accuracy": 1.5}, "accuracy"),
        ({"agreement": float("nan")}, "agreement"),
        ({"badges": [("a", "b", "c")]}, r"badges\[0\]"),
    ],
)
def test_bad_values_are_named(change: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        replace(CARD, **change)  # type: ignore[arg-type]
