"""The leaderboard image: a title, the top 10 rows and the viewer's own line.

Layout (640 px wide, dark theme): the title; one row per player with the rank (gold, silver
and bronze discs for 1–3), the name cut with '…' to fit, the level and the points, right
aligned in columns as wide as the widest entry. A row with `is_viewer` is highlighted; when no
drawn row is the viewer's and `viewer` is set, a highlighted "You: #1,234 · 560 pts · Lv 7"
line closes the board. A board without rows shows a friendly "no answers yet" message.
"""

from __future__ import annotations

import logging

from bot.render import text as txt
from bot.render.canvas import (
    ACCENT,
    BACKGROUND,
    BRONZE,
    DARK_TEXT,
    GOLD,
    HIGHLIGHT,
    MUTED,
    PANEL,
    PANEL_ALT,
    SILVER,
    TEXT,
    Card,
)
from bot.render.models import ALT_TEXT_MAX, LeaderboardCard, LeaderboardRow, RenderedImage

log = logging.getLogger(__name__)

WIDTH = 640
MAX_ROWS = 10
SIDE = 20
HEADER, ROW, GAP, FOOTER = 80, 42, 4, 60
EMPTY_BODY = 170
MEDALS = {1: GOLD, 2: SILVER, 3: BRONZE}


def render_leaderboard(board: LeaderboardCard) -> RenderedImage:
    """The board as a PNG with alt text listing the rows and the viewer's place."""
    rows = tuple(board.rows[:MAX_ROWS])
    footer = board.viewer if board.viewer and not any(r.is_viewer for r in rows) else None
    if rows:
        height = HEADER + len(rows) * (ROW + GAP) + (FOOTER if footer else 0) + 16
    else:
        height = HEADER + EMPTY_BODY + (FOOTER if footer else 0)
    canvas = Card(WIDTH, height, BACKGROUND)
    title = txt.displayable(board.title, "Leaderboard")
    canvas.text((SIDE + 8, 28), title, 26, TEXT, max_width=WIDTH - 2 * SIDE - 16)
    if rows:
        _rows(canvas, rows)
    else:
        _empty(canvas)
    if footer:
        _footer(canvas, footer, height - FOOTER + 4)
    alt = leaderboard_alt_text(board)
    return RenderedImage(canvas.png(), "leaderboard.png", alt, WIDTH, height)


def _points(points: int) -> str:
    return f"{txt.number(points)} pts"


def _level(level: int) -> str:
    return f"Lv {txt.number(level)}"


def _rows(canvas: Card, rows: tuple[LeaderboardRow, ...]) -> None:
    points_w = max(txt.width(txt.font(18), _points(r.points)) for r in rows)
    level_w = max(txt.width(txt.font(15), _level(r.level)) for r in rows)
    points_right = WIDTH - SIDE - 16
    level_right = points_right - points_w - 20
    name_left = SIDE + 64
    for i, row in enumerate(rows):
        top = HEADER + i * (ROW + GAP)
        mid = top + ROW / 2
        if row.is_viewer:
            canvas.box((SIDE, top, WIDTH - SIDE, top + ROW), HIGHLIGHT, 10, outline=ACCENT)
        else:
            canvas.box((SIDE, top, WIDTH - SIDE, top + ROW), PANEL if i % 2 else PANEL_ALT, 10)
        _rank(canvas, row.rank, mid)
        room = level_right - level_w - 16 - name_left
        canvas.text((name_left, mid), txt.displayable(row.name, "Player"), 19, TEXT, "lm", room)
        canvas.text((level_right, mid), _level(row.level), 15, MUTED, "rm")
        canvas.text((points_right, mid), _points(row.points), 18, TEXT, "rm")


def _rank(canvas: Card, rank: int, mid: float) -> None:
    centre = (SIDE + 32, mid)
    medal = MEDALS.get(rank)
    if medal is not None:
        canvas.circle(centre, 15, medal)
        canvas.text(centre, str(rank), 16, DARK_TEXT, "mm")
    else:
        canvas.text(centre, f"#{txt.number(rank)}", 16, MUTED, "mm", max_width=56)


def _empty(canvas: Card) -> None:
    box = (SIDE, HEADER, WIDTH - SIDE, HEADER + EMPTY_BODY - 20)
    canvas.box(box, PANEL, 14)
    mid_x, mid_y = WIDTH / 2, (box[1] + box[3]) / 2
    canvas.text((mid_x, mid_y - 16), "No answers yet", 26, TEXT, "mm")
    canvas.text((mid_x, mid_y + 20), "Play a round to be the first on the board!", 17, MUTED, "mm")


def _footer(canvas: Card, viewer: LeaderboardRow, top: float) -> None:
    canvas.box((SIDE, top, WIDTH - SIDE, top + 44), HIGHLIGHT, 10, outline=ACCENT)
    line = f"You: #{txt.number(viewer.rank)} · {_points(viewer.points)} · {_level(viewer.level)}"
    canvas.text((SIDE + 18, top + 22), line, 19, TEXT, "lm", max_width=WIDTH - 2 * SIDE - 36)


def leaderboard_alt_text(board: LeaderboardCard) -> str:
    """One sentence per part: the title with the rows, then the viewer's place."""
    title = txt.plain(board.title) or "Leaderboard"
    rows = board.rows[:MAX_ROWS]
    viewer = board.viewer
    you = ""
    if viewer is not None and not any(r.is_viewer for r in rows):
        you = f" You are #{txt.number(viewer.rank)} with {_points(viewer.points)}."
    if not rows:
        return f"Leaderboard {title}: no answers yet.{you}"
    entries = [
        f"#{txt.number(r.rank)} {txt.plain(r.name, 40) or 'Player'} "
        f"{_points(r.points)} (level {txt.number(r.level)}){' (you)' if r.is_viewer else ''}"
        for r in rows
    ]
    room = ALT_TEXT_MAX - len(you) - len(title) - 40
    while len(entries) > 1 and len("; ".join(entries)) > room:
        entries.pop()
    shown = "; ".join(entries)
    more = "" if len(entries) == len(rows) else f"; and {len(rows) - len(entries)} more"
    return f"Leaderboard {title}, top {len(rows)}: {shown}{more}.{you}"
