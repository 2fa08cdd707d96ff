"""Answers: the group commit that stores them, and what a player is told about one.

Every answer of every game goes through `Answers.submit`: the request joins the running
group commit (`bot.core.play.ingest`), which stores it at most once per player and item and
settles points, tallies and standings in the same transaction. The reply is built only after
the batch committed: an answer acknowledged to a player is on disk.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from bot.core.kernel import texts as kernel_texts
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import PermissionDenied, RoundClosed
from bot.core.kernel.models import PlayerRef, Reply
from bot.core.play import texts
from bot.core.play.answer_types import refuse_control_characters
from bot.core.play.ingest import AnswerOutcome, AnswerProcessor, AnswerRequest, GroupCommit
from bot.core.play.quality import QualityRules, flag_message
from bot.core.rewards import LedgerEntry, PointsRules
from storage import CampaignRow, ItemRow, RoundRow


class Answers:
    def __init__(self, k: Kernel, quality: QualityRules, points: PointsRules) -> None:
        self.k = k
        self.quality = quality
        self.processor = AnswerProcessor(k.store, k.games, quality, points)
        self.commits = GroupCommit(self.processor.process, k.settings.database.batch_max)
        self.next_task: Callable[[PlayerRef], Awaitable[Reply]] | None = None
        """What follows an answered solo card (set by the solo session)."""
        self.observers: list[Callable[[str, str, float], None]] = []
        """Told (platform, outcome status, seconds from `submit` to its batch's commit) for
        every answer the group commit settled (metrics); they must not raise."""

    async def close(self) -> None:
        """Commit every queued answer; nothing acknowledged is lost."""
        await self.commits.close()

    async def submit(
        self,
        ref: PlayerRef,
        pid: int,
        rnd: RoundRow,
        campaign: CampaignRow,
        item: ItemRow,
        label: str,
        extra: dict[str, object] | None = None,
        bonus: tuple[LedgerEntry, ...] = (),
    ) -> AnswerOutcome:
        """Store one answer through the group commit; PermissionDenied on the player's own
        contribution (issue 16: judged by others only); RoundClosed if the round closed,
        InvalidInput if its campaign is no longer active (the batch's transaction decides,
        whichever process paused it) or the label holds a control character (nothing is
        stored)."""
        refuse_control_characters(label)
        k = self.k
        if await k.author_of(item.id) == pid:  # a contribution is judged by others only
            raise PermissionDenied(texts.OWN_CONTRIBUTION)
        started = time.perf_counter()
        now = k.now()
        request = AnswerRequest(
            player_id=pid,
            round=rnd,
            campaign=campaign,
            item=item,
            label=label,
            platform=ref.platform,
            created_at=now,
            latency_ms=max(0, int((now - rnd.opened_at) * 1000)),
            community_id=await self.community(ref, pid, rnd),
            gold_items=await k.gold_items(campaign),
            extra=dict(extra or {}),
            bonus=bonus,
        )
        outcome = await self.commits.submit(request)
        for observe in self.observers:
            observe(ref.platform, outcome.status, time.perf_counter() - started)
        if outcome.status == "inactive":  # paused or ended, maybe by another process
            await k.refuse_inactive(campaign.id)
        if outcome.status == "closed":
            fresh = await k.store.get_round(rnd.id)
            if fresh is not None:
                k.remember_round(fresh)
            raise RoundClosed(closed_message(fresh or rnd))
        if outcome.status == "stored":
            k.publish_round(rnd)
        return outcome

    async def community(self, ref: PlayerRef, pid: int, rnd: RoundRow) -> int | None:
        """Where the answer's points count: the round's group, else the player's home."""
        if rnd.mode == "channel" and ref.channel is not None:
            return (await self.k.channel(ref.channel)).community_id
        return (await self.k.player_row(pid)).home_community_id

    async def reply(
        self,
        ref: PlayerRef,
        rnd: RoundRow,
        campaign: CampaignRow,
        item: ItemRow,
        label: str,
        outcome: AnswerOutcome,
        continue_session: bool = True,
    ) -> Reply:
        """The private answer to an answer: right or wrong on gold, points, flags, and in a
        solo session the next card."""
        if outcome.status == "duplicate":
            return Reply(
                kernel_texts.ANSWERED_ALREADY, notice=kernel_texts.ANSWERED_ALREADY, ephemeral=True
            )
        game = self.k.game(campaign.game)
        said = game.describe(campaign, item, label)
        gold_items = await self.k.gold_items(campaign)
        line = self.feedback(campaign, item, said, outcome, gold_items)
        if rnd.mode == "channel":
            text = line + (" Results when the round closes." if item.gold is None else "")
            return Reply(text, notice=text, ephemeral=True)
        question = game.question(campaign, item)
        card = Reply(
            texts.YOUR_ANSWER.format(
                campaign=campaign.name, question=question, said=said, line=line
            ),
            replace=True,
            ephemeral=True,
        )
        if not continue_session or self.next_task is None:
            return card
        return card.followed_by(await self.next_task(ref))

    def feedback(
        self,
        campaign: CampaignRow,
        item: ItemRow,
        said: str,
        outcome: AnswerOutcome,
        gold_items: int,
    ) -> str:
        """One line: the verdict with points, the gold explanation, flags, tutorial events
        and whether this answer finalized the item."""
        game = self.k.game(campaign.game)
        pts = f"+{outcome.points} pts"
        parts: list[str] = []
        if outcome.correct is True:
            parts.append(f"✅ Right! ({pts})")
        elif outcome.correct is False:
            right = game.describe(campaign, item, item.gold or "")
            parts.append(f"❌ Not quite: the answer is {right}. ({pts})")
        else:
            parts.append(f"✅ Vote recorded: {said} ({pts}).")
        if outcome.correct is not None and item.gold_explanation:
            parts.append(item.gold_explanation)
        if outcome.flag is not None:
            parts.append(flag_message(outcome.flag, self.quality, gold_items))
        if outcome.onboarding_event == "passed":
            parts.append("🎓 Tutorial passed! Your answers now count toward labels.")
        elif outcome.onboarding_event == "failed":
            mins = self.quality.onboarding_cooldown_s / 60
            parts.append(f"🎓 Tutorial not passed this time. You can retry in {mins:.0f} min.")
        if outcome.finalized and outcome.label is not None:
            final = game.describe(campaign, item, outcome.label)
            parts.append(f"🏁 Your answer finalized this item: {final}.")
        return " ".join(parts)


def closed_message(rnd: RoundRow) -> str:
    """Why a card no longer takes answers."""
    if rnd.mode == "solo":
        return {
            "answered": kernel_texts.ANSWERED_ALREADY,
            "skipped": "You skipped this task. Use /play for a new one.",
        }.get(rnd.status, "This task card has expired. Use /play for a fresh one.")
    return kernel_texts.ROUND_CLOSED
