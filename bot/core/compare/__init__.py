"""Pairwise comparisons ranked by Bradley-Terry (issue 17; docs/compare.md).

`Compare` registers the `compare` game's flow (`CompareFlow`), the media of pair items (their
side-by-side picture) and the tick job `compare.pairs` (keeps every active compare campaign
supplied with informative pairs); `ranking(campaign)` is the campaign's current ranking."""

from __future__ import annotations

from bot.core.compare.export import (
    RANKING_COLUMNS,
    compare_label_rows,
    ranking_rows,
    status_lines,
)
from bot.core.compare.flow import CompareFlow
from bot.core.compare.pairs import Pairs
from bot.core.compare.ranking import RankedItem, Ranking
from bot.core.compare.texts import PAIR_ALT
from bot.core.kernel.context import Kernel
from bot.core.kernel.extensions import Extensions
from bot.core.kernel.lru import Lru
from bot.core.kernel.models import Media
from bot.core.play import Play
from bot.games.compare import CompareGame
from storage import CampaignRow, ItemRow

__all__ = [
    "RANKING_COLUMNS",
    "Compare",
    "CompareFlow",
    "Pairs",
    "RankedItem",
    "Ranking",
    "compare_label_rows",
    "ranking_rows",
    "status_lines",
]

GAME = CompareGame.name


class Compare:
    """The compare feature: its flow, pair pictures, the pairs job, the ranking."""

    def __init__(self, k: Kernel, play: Play) -> None:
        self.k = k
        self.pairs = Pairs(k)
        self.flow = CompareFlow(play.choice_flow, self.pairs)
        self._media: Lru = Lru(256)

    def register(self, ext: Extensions) -> None:
        ext.flow(GAME, self.flow)
        ext.renderer("pair", self.pair_media)
        ext.tick("compare.pairs", self.tick)

    async def ranking(self, campaign: CampaignRow) -> Ranking:
        """The campaign's ranking of its base items (`bot.core.compare.ranking`)."""
        return await self.pairs.ranking(campaign)

    async def tick(self) -> int:
        """Pairs made for every active compare campaign."""
        made = 0
        for campaign in await self.k.store.list_campaigns(["active"]):
            if campaign.game == GAME:
                made += await self.pairs.top_up(campaign)
        return made

    async def pair_media(self, item: ItemRow) -> Media | None:
        """The side-by-side picture of an image pair (None for a text pair), cached: it
        never changes."""
        cached: Media | None = self._media.get(item.id)
        if cached is None:
            stored = await self.k.store.get_media(item.id)
            if stored is None:
                return None
            cached = Media(stored[1], f"pair-{item.id}.png", PAIR_ALT, "photo", f"item:{item.id}")
            self._media.put(item.id, cached)
        return cached
