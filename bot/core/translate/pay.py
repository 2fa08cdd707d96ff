"""Paying the author of an accepted translation: once, when its source is decided.

The points are the rewards rules' (`bot.core.rewards.points_for_contribution("translation",
campaign_multiplier=...)`); they go through the same ledger, totals, boards, levels and
badges as answers, and count one accepted translation toward the contribution badges
(`RewardsHook.pay_outside_batch(..., contribution="translation")`), in the same transaction
as the decision (`AnswerUnit.decide_source`), which the database makes once: the author is
paid once, and a crash leaves neither. Valid translations that lose the
comparison are not paid."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.kernel.context import Kernel
from bot.core.rewards import RewardsHook, points_for_contribution
from bot.core.translate.stages import KIND
from storage import AnswerUnit, CampaignRow, ContributionRow, NewLedgerEntry


class Payer:
    def __init__(self, k: Kernel, hook: RewardsHook) -> None:
        self.k = k
        self.hook = hook

    async def decide_and_pay(
        self,
        campaign: CampaignRow,
        author: ContributionRow,
        decide: Callable[[AnswerUnit], Awaitable[bool]],
    ) -> bool:
        """Run `decide` (the source's once-only decision) and pay the winner's author in ONE
        answer unit: both commit or neither, and only the unit whose decision won pays."""
        line = points_for_contribution(KIND, campaign_multiplier=campaign.reward_multiplier)[0]
        entry = NewLedgerEntry(
            author.player_id, self.k.now(), line.points, line.kind.value, line.reason, None,
            campaign.id, campaign.community_id,
        )  # fmt: skip
        async with self.k.store.answer_batch() as tx:
            if not await decide(tx):
                return False
            events = await self.hook.pay_outside_batch(
                tx, entry, campaign_community=campaign.community_id, contribution=KIND
            )
        self.hook.publish(events)
        return True
