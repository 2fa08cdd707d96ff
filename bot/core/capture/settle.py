"""Settling contributed photos (issue 16): the tick job `capture.settle`.

Rule: a photo whose item's tally is decided (finalized by its verifiers, or reviewed by a
moderator; a photo sent to review waits for the reviewer's label) is settled once by the
store (`settle_contribution`: a conditional UPDATE on `settled_at IS NULL`, so two processes
or two ticks racing settle it once): its label (the reviewer's when reviewed, else the
crowd's) `yes` -> accepted, anything else (not the subject, unusable) -> rejected. Only the
call that settled it pays the author for an accepted photo,
`points_for_contribution("photo")` × the campaign's reward multiplier
(`bot.core.rewards.points`), through the reward book (`RewardsHook.pay_outside_batch(...,
contribution="photo")`: ledger, totals, boards, levels and the photo badges in one
transaction), and sends the author a private notice either way.

An accepted photo is settled and paid in ONE answer unit (`AnswerUnit.settle_contribution`
then the payment): a process killed in between leaves it unsettled, and the next tick settles
and pays it; it is never paid twice.
"""

from __future__ import annotations

import logging

from bot.core.capture import texts
from bot.core.kernel.context import Kernel
from bot.core.kernel.events import PlayerNotice
from bot.core.kernel.models import Reply
from bot.core.rewards import RewardsHook, points_for_contribution
from bot.games.capture import YES, CaptureGame
from storage import ACCEPTED, REJECTED, TALLY_REVIEW, ContributionRow, NewLedgerEntry, TallyRow

log = logging.getLogger(__name__)
KIND = "photo"
SCAN = 1000  # photos looked at per tick (those waiting in review included)


def outcome_of(tally: TallyRow) -> str:
    """accepted when the decided label is `yes`, else rejected (see the module rule)."""
    label = tally.reviewed_label or tally.label
    return ACCEPTED if label == YES else REJECTED


class Settler:
    def __init__(self, k: Kernel, rewards: RewardsHook) -> None:
        self.k = k
        self.rewards = rewards

    async def settle(self) -> int:
        """Settle every decided photo once; returns how many this call settled."""
        done = 0
        for row, tally in await self.k.store.decided_unsettled(KIND, SCAN):
            if tally.status == TALLY_REVIEW:  # the reviewer decides, not the disagreement
                continue
            outcome = outcome_of(tally)
            if outcome == ACCEPTED:
                settled = await self._accept(row)
            else:
                settled = await self.k.store.settle_contribution(row.id, outcome, self.k.now())
            if settled is None:  # another process (or tick) settled it
                continue
            done += 1
            await self._tell(settled, tally, outcome)
        return done

    async def _accept(self, row: ContributionRow) -> ContributionRow | None:
        """Settle an accepted photo and pay its author in ONE unit: both commit or neither,
        and only the unit that settled it pays (None when another settled it first)."""
        campaign = await self.k.campaign(row.campaign_id)
        line = points_for_contribution(KIND, campaign_multiplier=campaign.reward_multiplier)[0]
        community = campaign.community_id
        entry = NewLedgerEntry(
            row.player_id, self.k.now(), line.points, line.kind.value, line.reason, None,
            row.campaign_id, community,
        )  # fmt: skip
        async with self.k.store.answer_batch() as tx:
            if not await tx.settle_contribution(row.id, ACCEPTED, self.k.now()):
                return None
            events = await self.rewards.pay_outside_batch(
                tx, entry, campaign_community=community, contribution=KIND
            )
        self.rewards.publish(events)
        return await self.k.store.get_contribution(row.id)

    async def _tell(self, row: ContributionRow, tally: TallyRow, outcome: str) -> None:
        """The author's private notice (the points of an accepted photo were paid with it)."""
        campaign = await self.k.campaign(row.campaign_id)
        if outcome == ACCEPTED:
            line = points_for_contribution(KIND, campaign_multiplier=campaign.reward_multiplier)[0]
            text = texts.PHOTO_ACCEPTED.format(
                photo=row.id, campaign=campaign.name, points=line.points
            )
        else:
            item = await self.k.item(row.item_id)
            label = tally.reviewed_label or tally.label or ""
            shown = CaptureGame().describe(campaign, item, label) if label else "?"
            text = texts.PHOTO_REJECTED.format(photo=row.id, campaign=campaign.name, label=shown)
        log.info("photo %d settled: %s", row.id, outcome)
        self.k.bus.publish(PlayerNotice(row.player_id, Reply(text)))
