"""Pillow renderers: doodles (PNG, GIF replay), rank cards, leaderboards, progress charts.

Everything here is pure: dataclasses in, bytes out, no network, no platform imports. The card
renderers return a `RenderedImage` (bytes, filename, alt text, size); the doodle renderers
return bytes, or a `RenderedImage` through `render_doodle_image`.
"""

from __future__ import annotations

from bot.render.doodle import render_doodle_gif, render_doodle_image, render_doodle_png
from bot.render.leaderboard import render_leaderboard
from bot.render.models import (
    Badge,
    CampaignProgress,
    LeaderboardCard,
    LeaderboardRow,
    RankCard,
    RenderedImage,
)
from bot.render.progress import render_progress
from bot.render.rankcard import render_rank_card
from bot.render.text import use_font_file

__all__ = [
    "Badge",
    "CampaignProgress",
    "LeaderboardCard",
    "LeaderboardRow",
    "RankCard",
    "RenderedImage",
    "render_doodle_gif",
    "render_doodle_image",
    "render_doodle_png",
    "render_leaderboard",
    "render_progress",
    "render_rank_card",
    "use_font_file",
]
