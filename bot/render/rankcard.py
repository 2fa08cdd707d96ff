"""The rank card: a player's level, XP bar, points, rank, streak, quality and badges.

Layout (800×300 px, dark theme): avatar disc (or initials on a colour chosen from the name)
with a level pill; the name and the rank on the first line; the XP bar, whose filled share is
exactly `RankCard.level_progress` (see `XP_BAR`); stat tiles (points, streak, and accuracy and
agreement only when given); a row of badge chips (initials or short ASCII symbol on a colour
chosen from the badge name, then the name), with "+N more" when they do not fit. The PNG uses
a 256-colour palette, or full colour when it shows an avatar photo (palette again if that
would pass `SIZE_BUDGET`). Colour emoji
cannot be drawn with the bundled font, so they appear in the alt text only.
"""

from __future__ import annotations

import logging

from bot.render import text as txt
from bot.render.avatar import round_avatar
from bot.render.canvas import (
    ACCENT,
    BACKGROUND,
    DARK_TEXT,
    MUTED,
    PANEL,
    TEXT,
    TRACK,
    Card,
    colour_for,
)
from bot.render.models import ALT_TEXT_MAX, Badge, RankCard, RenderedImage

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 800, 300
MARGIN = 32
AVATAR = 144
COLUMN = MARGIN + AVATAR + 32  # left edge of the text column
XP_BAR = (COLUMN, 100, WIDTH - MARGIN, 124)
"""The XP bar (left, top, right, bottom): filled with ACCENT over `level_progress` of its width."""
CHIPS_TOP, CHIP_HEIGHT = 232, 36
SIZE_BUDGET = 95_000
"""Bytes; a card with a photo avatar over this is re-encoded with a 256-colour palette."""


def render_rank_card(card: RankCard) -> RenderedImage:
    """The card as a PNG with alt text naming everything on it."""
    canvas = Card(WIDTH, HEIGHT, BACKGROUND)
    photo = _avatar(canvas, card)
    _header(canvas, card)
    _xp(canvas, card)
    _tiles(canvas, card)
    _badges(canvas, card.badge_list)
    data = canvas.png(palette=not photo)
    if len(data) > SIZE_BUDGET:  # a noisy photo: 256 colours always fit the budget
        data = canvas.png(palette=True)
    return RenderedImage(data, "rank-card.png", rank_alt_text(card), WIDTH, HEIGHT)


def _avatar(canvas: Card, card: RankCard) -> bool:
    """Draw the avatar or the initials; True when a picture was drawn."""
    centre = (MARGIN + AVATAR / 2, MARGIN + AVATAR / 2)
    canvas.circle(centre, AVATAR / 2 + 5, ACCENT)
    picture = round_avatar(card.avatar, AVATAR)
    if picture is None:
        canvas.circle(centre, AVATAR / 2, colour_for(card.display_name))
        canvas.text(centre, txt.initials(card.display_name), 56, DARK_TEXT, "mm")
    else:
        canvas.picture(picture, (MARGIN, MARGIN))
    pill = (centre[0] - 52, MARGIN + AVATAR - 10, centre[0] + 52, MARGIN + AVATAR + 22)
    canvas.box(pill, ACCENT, radius=16)
    label = f"LVL {txt.number(card.level)}"
    canvas.text((centre[0], (pill[1] + pill[3]) / 2), label, 18, TEXT, "mm", max_width=96)
    return picture is not None


def _header(canvas: Card, card: RankCard) -> None:
    right = WIDTH - MARGIN
    if card.rank is None:
        used = canvas.text((right, 40), "Unranked", 22, MUTED, "ra")
    else:
        used = canvas.text((right, 34), f"#{txt.number(card.rank)}", 34, TEXT, "ra")
        if card.rank_of is not None:
            of = f"of {txt.number(card.rank_of)}"
            used = max(used, canvas.text((right, 74), of, 15, MUTED, "ra"))
    room = right - COLUMN - used - 24
    name = txt.displayable(card.display_name, "Player")
    canvas.text((COLUMN, 36), name, 34, TEXT, max_width=room)


def _xp(canvas: Card, card: RankCard) -> None:
    done = round(card.level_progress * 10_000)
    canvas.bar(XP_BAR, [(done, ACCENT), (10_000 - done, TRACK)], radius=12)
    into, need = txt.number(card.xp_into_level), txt.number(card.xp_for_next_level)
    canvas.text((COLUMN, 134), f"{into} / {need} XP", 17, TEXT)
    left = max(0, card.xp_for_next_level - card.xp_into_level)
    todo = f"{txt.number(left)} XP to level {txt.number(card.level + 1)}"
    canvas.text((WIDTH - MARGIN, 134), todo, 17, MUTED, "ra")


def _tiles(canvas: Card, card: RankCard) -> None:
    best = f"STREAK · BEST {txt.number(card.best_streak)}"
    tiles = [("POINTS", txt.number(card.total_points)), (best, _days(card.streak_days))]
    if card.accuracy is not None:
        tiles.append(("ACCURACY", _percent(card.accuracy)))
    if card.agreement is not None:
        tiles.append(("AGREEMENT", _percent(card.agreement)))
    span = (WIDTH - MARGIN - COLUMN) / len(tiles)
    for i, (label, value) in enumerate(tiles):
        x = COLUMN + i * span
        canvas.text((x, 172), label, 13, MUTED, max_width=span - 12)
        canvas.text((x, 190), value, 22, TEXT, max_width=span - 12)


def _days(count: int) -> str:
    return f"{txt.number(count)} {'day' if count == 1 else 'days'}"


def _percent(fraction: float) -> str:
    return f"{round(fraction * 100)}%"


def _chip_label(badge: Badge) -> str:
    """The badge's symbol when it is short plain text the font can draw, else its initials."""
    symbol = badge.symbol.strip()
    if 0 < len(symbol) <= 3 and txt.displayable(symbol, "") == symbol and symbol.isprintable():
        return symbol
    return txt.initials(badge.name)


def _badges(canvas: Card, chips: tuple[Badge, ...]) -> None:
    if not chips:
        canvas.text((MARGIN, CHIPS_TOP + 9), "No badges yet", 17, MUTED)
        return
    x, right = float(MARGIN), WIDTH - MARGIN
    more_room = 90.0
    for i, badge in enumerate(chips):
        name_width = min(150.0, txt.width(txt.font(15), txt.displayable(badge.name, "")))
        chip_width = 4 + 28 + 8 + name_width + 14
        room = right - x - (more_room if i < len(chips) - 1 else 0)
        if chip_width > room:
            canvas.text(
                (x + 4, CHIPS_TOP + CHIP_HEIGHT / 2), f"+{len(chips) - i} more", 16, MUTED, "lm"
            )
            return
        _chip(canvas, x, badge, name_width)
        x += chip_width + 10


def _chip(canvas: Card, x: float, badge: Badge, name_width: float) -> None:
    top, mid = CHIPS_TOP, CHIPS_TOP + CHIP_HEIGHT / 2
    width = 4 + 28 + 8 + name_width + 14
    canvas.box((x, top, x + width, top + CHIP_HEIGHT), PANEL, radius=CHIP_HEIGHT / 2)
    canvas.circle((x + 4 + 14, mid), 14, colour_for(badge.name))
    canvas.text((x + 18, mid), _chip_label(badge), 12, DARK_TEXT, "mm", max_width=26)
    canvas.text((x + 40, mid), badge.name, 15, TEXT, "lm", max_width=name_width + 1)


def rank_alt_text(card: RankCard) -> str:
    """One or two sentences naming everything the card shows (badges with their emoji)."""
    name = txt.plain(card.display_name) or "Player"
    if card.rank is None:
        rank = "unranked"
    elif card.rank_of is None:
        rank = f"rank #{txt.number(card.rank)}"
    else:
        rank = f"rank #{txt.number(card.rank)} of {txt.number(card.rank_of)}"
    parts = [
        f"level {txt.number(card.level)} ({txt.number(card.xp_into_level)} of "
        f"{txt.number(card.xp_for_next_level)} XP toward level {txt.number(card.level + 1)})",
        f"{txt.number(card.total_points)} points",
        rank,
        f"a {txt.number(card.streak_days)}-day streak (best {txt.number(card.best_streak)})",
    ]
    if card.accuracy is not None:
        parts.append(f"accuracy {_percent(card.accuracy)}")
    if card.agreement is not None:
        parts.append(f"agreement {_percent(card.agreement)}")
    first = f"Rank card for {name}: {', '.join(parts)}."
    return first + _badge_sentence(card.badge_list, ALT_TEXT_MAX - len(first))


def _badge_sentence(chips: tuple[Badge, ...], room: int) -> str:
    if not chips:
        return " No badges yet."
    names = [txt.plain(f"{b.symbol} {b.name}", 60) for b in chips]
    for shown in range(len(names), 0, -1):
        rest = len(names) - shown
        tail = f" and {rest} more" if rest else ""
        sentence = f" Badges: {', '.join(names[:shown])}{tail}."
        if len(sentence) <= room:
            return sentence
    return f" {len(names)} badges."
