"""From store snapshots to the rank card and leaderboard images (and back to `Media`).

Rendering is CPU work (Pillow): `to_media` runs it in a worker thread so the event loop keeps
serving answers meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TypeVar

from bot.core.kernel.models import Media
from bot.core.rewards import BadgeDef, LevelCurve, can_see_accuracy
from bot.render import (
    LeaderboardCard,
    LeaderboardRow,
    RankCard,
    RenderedImage,
    render_leaderboard,
    render_rank_card,
)
from storage import BoardLine, RewardSnapshot

T = TypeVar("T")


def held_badges(snap: RewardSnapshot, badges: Sequence[BadgeDef]) -> list[BadgeDef]:
    """The badges a player holds, in definition order (ids no longer defined are skipped)."""
    held = set(snap.rewards.badges.split(","))
    return [b for b in badges if b.id in held]


def rank_card(
    snap: RewardSnapshot,
    curve: LevelCurve,
    badges: Sequence[BadgeDef],
    rank: int | None,
    rank_of: int | None,
    streak_days: int,
) -> RankCard:
    """The rank card of a player; accuracy and agreement only from level 6 on."""
    info = curve.level_for(snap.points)
    unlocked = can_see_accuracy(info.level)
    accuracy = snap.gold_right / snap.gold_answered if unlocked and snap.gold_answered else None
    agreement = snap.agreed / snap.settled if unlocked and snap.settled else None
    return RankCard(
        display_name=snap.display_name,
        level=info.level,
        xp_into_level=info.xp_into_level,
        xp_for_next_level=info.xp_for_next or 0,
        total_points=max(snap.points, 0),
        rank=rank,
        rank_of=rank_of,
        streak_days=streak_days,
        best_streak=max(snap.rewards.streak_best, streak_days),
        badges=[(b.emoji, b.name) for b in held_badges(snap, badges)],
        accuracy=None if accuracy is None else min(accuracy, 1.0),
        agreement=agreement,
    )


def board_card(
    title: str, top: Sequence[BoardLine], viewer: BoardLine | None, curve: LevelCurve
) -> LeaderboardCard:
    """The top lines and the viewer's own line; levels from lifetime points."""

    def row(line: BoardLine, is_viewer: bool) -> LeaderboardRow:
        level = curve.level_for(line.lifetime_points).level
        return LeaderboardRow(line.rank, line.display_name, line.points, level, is_viewer)

    mine = None if viewer is None else viewer.player_id
    return LeaderboardCard(
        title,
        [row(line, line.player_id == mine) for line in top],
        None if viewer is None else row(viewer, True),
    )


async def to_media(render: Callable[[T], RenderedImage], card: T) -> Media:
    """Render off the event loop; the image goes out with its alt text."""
    image = await asyncio.to_thread(render, card)
    return Media(image.data, image.filename, image.alt_text)


async def rank_card_media(card: RankCard) -> Media:
    return await to_media(render_rank_card, card)


async def board_media(card: LeaderboardCard) -> Media:
    return await to_media(render_leaderboard, card)
