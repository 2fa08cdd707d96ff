"""Settling contributed photos (issue 16): the tick job `capture.settle`.

Rule: a photo whose item's tally is decided (finalized, reviewed or in review) is settled
once by the store (`settle_contribution`: a conditional UPDATE on `settled_at IS NULL`, so
two processes or two ticks racing settle it once): its label (the reviewer's when reviewed,
else the crowd's) `yes` -> accepted, anything else (not the subject, unusable, undecided in
review) -> rejected. Only the call that settled it pays the author, `PHOTO_POINTS` ×
the campaign's reward multiplier for an accepted photo, through the reward book
(`RewardsHook.pay_outside_batch`: ledger, totals, boards, levels, badges in one
transaction), and sends the author a private notice either way.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.core.capture import texts
from bot.core.kernel.context import Kernel
from bot.core.kernel.events import PlayerNotice
from bot.core.kernel.models import Reply
from bot.games.capture import YES, CaptureGame
from storage import ACCEPTED, REJECTED, ContributionRow, NewLedgerEntry, TallyRow

log = logging.getLogger(__name__)
KIND = "photo"
PHOTO_POINTS = 20
"""Points for a photo others accepted (the quality rule: a contribution pays when accepted)."""
LEDGER_KIND = "contribution"


def outcome_of(tally: TallyRow) -> str:
    """accepted when the decided label is `yes`, else rejected (see the module rule)."""
    label = tally.reviewed_label or tally.label
    return ACCEPTED if label == YES else REJECTED


def points_for(multiplier: float) -> int:
    return max(1, round(PHOTO_POINTS * multiplier))


class Settler:
    def __init__(self, k: Kernel, rewards: Any) -> None:
        self.k = k
        self.rewards = rewards

    async def settle(self) -> int:
        """Settle every decided photo once; returns how many this call settled."""
        done = 0
        for row, tally in await self.k.store.decided_unsettled(KIND):
            outcome = outcome_of(tally)
            settled = await self.k.store.settle_contribution(row.id, outcome, self.k.now())
            if settled is None:  # another process (or tick) settled it
                continue
            done += 1
            await self._tell(settled, tally, outcome)
        return done

    async def _tell(self, row: ContributionRow, tally: TallyRow, outcome: str) -> None:
        campaign = await self.k.campaign(row.campaign_id)
        if outcome == ACCEPTED:
            points = points_for(campaign.reward_multiplier)
            await self._pay(row, points, campaign.community_id)
            text = texts.PHOTO_ACCEPTED.format(photo=row.id, campaign=campaign.name, points=points)
        else:
            item = await self.k.item(row.item_id)
            label = tally.reviewed_label or tally.label or ""
            shown = CaptureGame().describe(campaign, item, label) if label else "?"
            text = texts.PHOTO_REJECTED.format(photo=row.id, campaign=campaign.name, label=shown)
        log.info("photo %d settled: %s", row.id, outcome)
        self.k.bus.publish(PlayerNotice(row.player_id, Reply(text)))

    async def _pay(self, row: ContributionRow, points: int, community: int | None) -> None:
        """The author's points, through the reward book in a transaction of its own."""
        if self.rewards is None:
            return
        entry = NewLedgerEntry(
            row.player_id, self.k.now(), points, LEDGER_KIND,
            f"+{points} your photo #{row.id} was accepted", None, row.campaign_id, community,
        )  # fmt: skip
        async with self.k.store.answer_batch() as tx:
            events = await self.rewards.pay_outside_batch(tx, entry, campaign_community=community)
        self.rewards.publish(events)
