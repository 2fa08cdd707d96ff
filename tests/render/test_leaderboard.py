"""Leaderboard image: rows, highlight, the viewer's own line and the empty board."""

from __future__ import annotations

import pytest

from bot.render import LeaderboardCard, LeaderboardRow, render_leaderboard
from bot.render.canvas import BACKGROUND, HIGHLIGHT
from bot.render.leaderboard import GAP, HEADER, ROW, SIDE
from tests.support.images import close, open_image, rgb_at

NAMES = ["Alice", "Bob", "Chandra", "Dmitri", "Eve", "Fatima", "Gus", "Hana", "Ivo", "Jun", "Kim"]


def _rows(viewer_at: int | None = None) -> list[LeaderboardRow]:
    return [
        LeaderboardRow(i + 1, name, 5000 - 300 * i, 20 - i, is_viewer=(i == viewer_at))
        for i, name in enumerate(NAMES)
    ]


def _row_colour(image_data: bytes, index: int) -> tuple[int, int, int]:
    image = open_image(image_data, "PNG")
    return rgb_at(image, (SIDE + 6, HEADER + index * (ROW + GAP) + ROW // 2))


def test_board_is_a_small_png_with_the_top_ten() -> None:
    result = render_leaderboard(LeaderboardCard("Community · this week", _rows()))
    image = open_image(result.data, "PNG")
    assert image.size == (result.width, result.height)
    assert result.width == 640
    assert len(result.data) < 100 * 1024
    assert "Community · this week" in result.alt_text
    assert "#1 Alice 5,000 pts (level 20)" in result.alt_text
    assert "Jun" in result.alt_text and "Kim" not in result.alt_text, "only the top 10"


def test_eleventh_row_is_not_drawn() -> None:
    ten = render_leaderboard(LeaderboardCard("T", _rows()[:10]))
    eleven = render_leaderboard(LeaderboardCard("T", _rows()))
    assert ten.height == eleven.height


def test_viewer_outside_the_top_ten_gets_a_line_of_their_own() -> None:
    plain = render_leaderboard(LeaderboardCard("T", _rows()[:10]))
    board = LeaderboardCard("T", _rows()[:10], viewer=LeaderboardRow(1234, "me", 560, 7))
    result = render_leaderboard(board)
    assert result.height > plain.height
    assert "You are #1,234 with 560 pts." in result.alt_text
    image = open_image(result.data, "PNG")
    footer = rgb_at(image, (SIDE + 6, result.height - 30))
    assert close(footer, HIGHLIGHT)


def test_viewer_inside_the_top_ten_is_highlighted_instead() -> None:
    viewer = LeaderboardRow(5, "Eve", 3800, 16, is_viewer=True)
    board = LeaderboardCard("T", _rows(viewer_at=4)[:10], viewer=viewer)
    result = render_leaderboard(board)
    assert result.height == render_leaderboard(LeaderboardCard("T", _rows()[:10])).height
    assert close(_row_colour(result.data, 4), HIGHLIGHT)
    assert not close(_row_colour(result.data, 3), HIGHLIGHT)
    assert "(you)" in result.alt_text and "You are" not in result.alt_text


def test_empty_board_is_a_friendly_message() -> None:
    result = render_leaderboard(LeaderboardCard("Community · this week"))
    image = open_image(result.data, "PNG").convert("RGB")
    assert "no answers yet" in result.alt_text
    assert result.height < render_leaderboard(LeaderboardCard("T", _rows())).height
    colours = {rgb_at(image, (x, result.height // 2)) for x in range(0, 640, 2)}
    assert any(not close(c, BACKGROUND, 4) for c in colours), "a message is drawn"


@pytest.mark.parametrize(
    "name", ["X" * 300, "Ёжик в тумане", "佐藤太郎", "שלום עולם", "🎨🎨🎨", "", "\n\t"]
)
def test_any_name_renders(name: str) -> None:
    rows = [LeaderboardRow(1, name, 10**12, 999), *_rows()[1:10]]
    result = render_leaderboard(LeaderboardCard(name or "T", rows))
    open_image(result.data, "PNG")
    assert len(result.alt_text) <= 1000


def test_bad_rows_are_named() -> None:
    with pytest.raises(ValueError, match="rank"):
        LeaderboardRow(0, "x", 1, 1)
    with pytest.raises(ValueError, match="points"):
        LeaderboardRow(1, "x", -1, 1)
