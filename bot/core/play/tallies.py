"""Recounting tallies after answers were deleted ("forget me").

`recount_tallies` runs inside the deleting transaction (`Store.delete_player(recount=...)`):
it reads the answers that remain and writes the new tallies through that transaction, so a
crash cannot leave counts that include deleted answers.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.kernel.context import Kernel
from bot.core.play import combine, tally
from storage import TALLY_OPEN, TALLY_REVIEWED, AnswerRow, RecountUnit, TallyRow, TallyUpdate


class _Reads(Protocol):
    async def get_tally(self, campaign_id: int, item_id: int) -> TallyRow | None: ...

    async def item_answers(self, campaign_id: int, item_id: int) -> list[AnswerRow]: ...


async def recount_tallies(k: Kernel, unit: RecountUnit, keys: list[tuple[int, int]]) -> None:
    """Rebuild the tallies of (campaign, item) `keys` inside `unit`'s transaction."""
    updates = await _updates(k, unit, keys)
    if updates:
        await unit.save_tallies(updates)


async def _updates(k: Kernel, reads: _Reads, keys: list[tuple[int, int]]) -> list[TallyUpdate]:
    """The new tallies of `keys` from the answers that remain (weights as stored at answer
    time). A reviewed item keeps its expert label; gold items have no tally to rebuild."""
    updates: list[TallyUpdate] = []
    for campaign_id, item_id in keys:
        current = await reads.get_tally(campaign_id, item_id)
        if current is None:
            continue
        campaign = await k.campaign(campaign_id)
        item = await k.campaign_item(campaign_id, item_id)
        if item.gold is not None:
            continue
        game = k.game(campaign.game)
        answers = await reads.item_answers(campaign_id, item_id)
        counts, n = tally.rebuild(
            (a.label, a.weight, combine.is_evidence(game, campaign, item, a.label))
            for a in answers
            if a.flag is None and not a.is_gold
        )
        s = combine.summarize_item(
            game, campaign, item, counts, n, campaign.max_overlap + current.extra_overlap
        )
        status = TALLY_REVIEWED if current.status == TALLY_REVIEWED else s.status
        fin = (current.finalized_at or k.now()) if status != TALLY_OPEN else None
        updates.append(
            TallyUpdate(
                campaign_id, item_id, n, counts, s.label, s.confidence, s.agreement, status, fin
            )
        )
    return updates
