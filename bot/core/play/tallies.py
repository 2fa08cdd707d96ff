"""Recounting tallies after answers were deleted ("forget me")."""

from __future__ import annotations

from bot.core.kernel.context import Kernel
from bot.core.play import tally
from storage import TALLY_OPEN, TALLY_REVIEWED, TallyUpdate


async def recompute_tallies(k: Kernel, keys: list[tuple[int, int]]) -> None:
    """Rebuild the tallies of (campaign, item) `keys` from the answers that remain (weights
    as stored at answer time). A reviewed item keeps its expert label."""
    updates: list[TallyUpdate] = []
    for campaign_id, item_id in keys:
        current = await k.store.get_tally(campaign_id, item_id)
        if current is None:
            continue
        campaign = await k.campaign(campaign_id)
        item = await k.item(item_id)
        if item.gold is not None:
            continue
        game = k.game(campaign.game)
        evidence = set(game.evidence_options(campaign, item))
        answers = await k.store.item_answers(campaign_id, item_id)
        counts, n = tally.rebuild(
            (a.label, a.weight, a.label in evidence or game.free_text)
            for a in answers
            if a.flag is None and not a.is_gold
        )
        s = tally.summarize(
            counts,
            list(evidence),
            n,
            min_overlap=campaign.min_overlap,
            max_overlap=campaign.max_overlap,
            threshold=campaign.confidence,
        )
        status = TALLY_REVIEWED if current.status == TALLY_REVIEWED else s.status
        fin = (current.finalized_at or k.now()) if status != TALLY_OPEN else None
        updates.append(
            TallyUpdate(
                campaign_id, item_id, n, counts, s.label, s.confidence, s.agreement, status, fin
            )
        )
    if updates:
        async with k.store.answer_batch() as tx:
            await tx.save_tallies(updates)
