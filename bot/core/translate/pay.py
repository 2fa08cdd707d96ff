"""Paying the author of an accepted translation: once, when its source is decided.

The points come from the rewards rules (`bot.core.rewards`); they go through the same
ledger, totals, boards, levels and badges as answers (`RewardsHook.pay_outside_batch`), in a
transaction of their own after the decision committed (the decision is made once by the
database, so the author is paid once)."""

from __future__ import annotations

from bot.core.kernel.context import Kernel
from bot.core.rewards import RewardsHook
from bot.core.translate import texts
from storage import CampaignRow, ContributionRow, NewLedgerEntry

TRANSLATION_POINTS = 10
"""Points for an accepted translation (until the rewards rules name their own)."""


class Payer:
    def __init__(self, k: Kernel, hook: RewardsHook) -> None:
        self.k = k
        self.hook = hook

    async def pay(self, campaign: CampaignRow, author: ContributionRow) -> None:
        entry = NewLedgerEntry(
            author.player_id, self.k.now(), TRANSLATION_POINTS, "contribution",
            f"+{TRANSLATION_POINTS} {texts.TRANSLATION_ACCEPTED}", None,
            campaign.id, campaign.community_id,
        )  # fmt: skip
        async with self.k.store.answer_batch() as tx:
            events = await self.hook.pay_outside_batch(
                tx, entry, campaign_community=campaign.community_id
            )
        self.hook.publish(events)
