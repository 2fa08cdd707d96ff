"""Pairs of a compare campaign: base items set apart, informative pairs made once.

Rules (docs/compare.md):
- a compare campaign's own items (images or texts) are **base items**: their tallies are set
  apart (`base`) before anything of the campaign is served, so they are never tasks; items
  imported later are set apart the same way the next time;
- pairs are made **on demand** (a player's /play finds no pair left for them) and by the tick
  job `compare.pairs` (it keeps `batch` pairs needing answers), each time the next
  informative ones (`bot.core.compare.select.next_pairs`, scored by the current ranking);
  `batch` = max(2, base items // 2);
- a pair is one item per unordered pair, created once by the database (`add_compare_pair`);
  which base item shows on the left is a fixed coin per pair (the parity of low + high), so
  the sides are balanced and the same pair always looks the same;
- an image pair carries its side-by-side picture (`bot.render.pair`) as its media; a text
  pair carries both texts in its meta.
"""

from __future__ import annotations

import asyncio

from bot.core.compare.ranking import Ranking, fit_ranking, item_name
from bot.core.compare.select import next_pairs
from bot.core.kernel.context import Kernel
from bot.games.compare import PAIR_KIND, pairs_per_item
from bot.render.pair import side_by_side
from storage import TALLY_OPEN, CampaignRow, ItemRow, NewItem


class Pairs:
    """Set base items apart, make pairs, rank."""

    def __init__(self, k: Kernel) -> None:
        self.k = k

    async def base(self, campaign: CampaignRow) -> list[int]:
        """Set newly imported items apart; the campaign's base item ids."""
        await self.k.store.mark_compare_base(campaign.id)
        return await self.k.store.compare_base_items(campaign.id)

    async def ranking(self, campaign: CampaignRow) -> Ranking:
        """The campaign's current ranking (`bot.core.compare.ranking`)."""
        store = self.k.store
        base = await store.get_items(await self.base(campaign))
        pairs = await store.compare_pairs(campaign.id)
        pair_items = await store.get_items([p.pair_item_id for p in pairs])
        answers = [a for a in await store.campaign_answers(campaign.id) if a.item_id in pair_items]
        return fit_ranking([base[i] for i in sorted(base)], pair_items, answers)

    async def top_up(self, campaign: CampaignRow, player_id: int | None = None) -> int:
        """Make the next informative pairs; how many were made (module rules)."""
        store = self.k.store
        base = await self.base(campaign)
        if len(base) < 2:
            return 0
        batch = max(2, len(base) // 2)
        pairs = await store.compare_pairs(campaign.id)
        if player_id is not None:
            want = 0 if await store.compare_open_for(campaign.id, player_id) else batch
        else:
            want = batch - sum(
                1 for p in pairs if p.status == TALLY_OPEN and p.n_answers < campaign.max_overlap
            )
        if want <= 0:
            return 0
        scores = {r.item_id: r.score for r in (await self.ranking(campaign)).items}
        existing = [(p.low_id, p.high_id) for p in pairs]
        keys = next_pairs(base, existing, scores, pairs_per_item(campaign), want)
        items = await store.get_items(sorted({i for key in keys for i in key}))
        made = 0
        for low, high in keys:
            new = await self._new_pair(items[low], items[high])
            if await store.add_compare_pair(campaign.id, low, high, new, self.k.now()):
                made += 1
        return made

    async def _new_pair(self, low: ItemRow, high: ItemRow) -> NewItem:
        left, right = (high, low) if (low.id + high.id) % 2 else (low, high)
        meta: dict[str, object] = {
            "left_id": left.id,
            "right_id": right.id,
            "left_name": item_name(left),
            "right_name": item_name(right),
        }
        source = f"pair:{low.id}-{high.id}"
        if left.kind == "image" and right.kind == "image":
            lm, rm = await self.k.store.get_media(left.id), await self.k.store.get_media(right.id)
            if lm is not None and rm is not None:
                png = await asyncio.to_thread(side_by_side, lm[1], rm[1])
                return NewItem(PAIR_KIND, source, meta=meta, media=png, mime="image/png")
        meta["left_text"] = left.text or item_name(left)
        meta["right_text"] = right.text or item_name(right)
        return NewItem(PAIR_KIND, source, meta=meta)
