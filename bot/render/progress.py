"""The campaign progress chart: one stacked bar of item states, with the numbers.

Layout (720×216 px, dark theme): the campaign name; "N of M items finalized (P%)"; a rounded
bar whose segments, left to right, are finalized (green), in review (amber), in progress
(blue) and not started (grey), each exactly proportional to its count; a legend with each
state's count and share. Shares are whole percents, except "<1%" and ">99%" so that a
non-empty state never reads 0% and an unfinished one never reads 100%.
"""

from __future__ import annotations

import logging

from bot.render import text as txt
from bot.render.canvas import BACKGROUND, MUTED, RGB, TEXT, Card
from bot.render.models import CampaignProgress, RenderedImage

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 720, 216
SIDE = 28
BAR = (SIDE, 96, WIDTH - SIDE, 132)
"""The stacked bar (left, top, right, bottom)."""
FINALIZED: RGB = (67, 181, 129)
IN_REVIEW: RGB = (250, 166, 26)
IN_PROGRESS: RGB = (52, 152, 219)
NOT_STARTED: RGB = (88, 93, 106)


def _states(p: CampaignProgress) -> list[tuple[str, int, RGB]]:
    return [
        ("Finalized", p.finalized, FINALIZED),
        ("In review", p.in_review, IN_REVIEW),
        ("In progress", p.in_progress, IN_PROGRESS),
        ("Not started", p.not_started, NOT_STARTED),
    ]


def percent(part: int, total: int) -> str:
    """`part` of `total` as a readable share (see the module rule)."""
    if total <= 0 or part <= 0:
        return "0%"
    share = 100 * part / total
    if share < 1:
        return "<1%"
    if share > 99 and part < total:
        return ">99%"
    return f"{round(share)}%"


def render_progress(p: CampaignProgress) -> RenderedImage:
    """The chart as a PNG with the numbers in the alt text."""
    canvas = Card(WIDTH, HEIGHT, BACKGROUND)
    name = txt.displayable(p.name, "Campaign")
    canvas.text((SIDE, 24), name, 26, TEXT, max_width=WIDTH - 2 * SIDE)
    canvas.text((SIDE, 62), _summary(p), 17, MUTED, max_width=WIDTH - 2 * SIDE)
    states = _states(p)
    canvas.bar(BAR, [(count, colour) for _, count, colour in states], radius=10)
    column = (WIDTH - 2 * SIDE) / len(states)
    for i, (label, count, colour) in enumerate(states):
        x = SIDE + i * column
        canvas.box((x, 152, x + 14, 166), colour, 3)
        canvas.text((x + 22, 150), label, 15, MUTED, max_width=column - 30)
        value = f"{txt.number(count)} ({percent(count, p.total)})"
        canvas.text((x, 174), value, 18, TEXT, max_width=column - 8)
    alt = progress_alt_text(p)
    return RenderedImage(canvas.png(), "campaign-progress.png", alt, WIDTH, HEIGHT)


def _summary(p: CampaignProgress) -> str:
    if p.total == 0:
        return "No items yet"
    done = percent(p.finalized, p.total)
    return f"{txt.number(p.finalized)} of {txt.number(p.total)} items finalized ({done})"


def progress_alt_text(p: CampaignProgress) -> str:
    """The campaign name and every count, in one sentence."""
    name = txt.plain(p.name) or "Campaign"
    if p.total == 0:
        return f"Progress of campaign {name}: no items yet."
    return (
        f"Progress of campaign {name}: {_summary(p)}, {txt.number(p.in_review)} in review, "
        f"{txt.number(p.in_progress)} in progress, {txt.number(p.not_started)} not started."
    )
