"""Paying the author of an accepted translation: once, when its source is decided.

The points are the rewards rules' (`bot.core.rewards.points_for_contribution("translation",
campaign_multiplier=...)`); they go through the same ledger, totals, boards, levels and
badges as answers, and count one accepted translation toward the contribution badges
(`RewardsHook.pay_outside_batch(..., contribution="translation")`), in a transaction of their
own after the decision committed. The decision is made once by the database
(`Store.decide_source`), so the author is paid once. Valid translations that lose the
comparison are not paid."""

from __future__ import annotations

from bot.core.kernel.context import Kernel
from bot.core.rewards import RewardsHook, points_for_contribution
from bot.core.translate.stages import KIND
from storage import CampaignRow, ContributionRow, NewLedgerEntry


class Payer:
    def __init__(self, k: Kernel, hook: RewardsHook) -> None:
        self.k = k
        self.hook = hook

    async def pay(self, campaign: CampaignRow, author: ContributionRow) -> None:
        line = points_for_contribution(KIND, campaign_multiplier=campaign.reward_multiplier)[0]
        entry = NewLedgerEntry(
            author.player_id, self.k.now(), line.points, line.kind.value, line.reason, None,
            campaign.id, campaign.community_id,
        )  # fmt: skip
        async with self.k.store.answer_batch() as tx:
            events = await self.hook.pay_outside_batch(
                tx, entry, campaign_community=campaign.community_id, contribution=KIND
            )
        self.hook.publish(events)
