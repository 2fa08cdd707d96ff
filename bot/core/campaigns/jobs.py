"""Campaign work done on every tick: scheduled rounds, campaign completion; and the audit
log every moderator and admin action is written to (`audit`).

Scheduled rounds (rules in `schedule_rules`): a due schedule is claimed and its round
created in one transaction (`Store.claim_schedule`), then the card is published as a
`ChannelPost`, which the adapter posts and binds to the round. Rounds that a schedule
created but nobody posted (the process stopped in between) are posted by the next tick that
finds them at least `REPOST_AFTER_S` old and still unbound (once per process: the age keeps
a process from reposting a round another process is posting right now); a claimed run is
never created twice (the claim is a conditional update of the schedule's `version`, so of
two processes ticking at once one wins each slot), and runs missed while down collapse into
one. Games whose rounds need their own opener (doodle rounds) are opened with
`open_channel_round` right after the claim.

Completion: at most every `COMPLETION_CHECK_S` seconds, each active campaign whose normal
items are all finalized or reviewed becomes `completed`; every channel it ran in gets the
announcement: labels produced, answers, players, the top contributors (players hidden by
/privacy are left out) and the progress chart. A campaign of an open-ended game (its items
contributed by players, `open_ended` on the game: capture) never completes on its own.
"""

from __future__ import annotations

import logging

from bot.core.campaigns import admin as campaign_admin
from bot.core.campaigns.schedule_rules import Decision, Rule, plan, zone
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import LabelQuestError
from bot.core.kernel.events import ChannelPost
from bot.core.kernel.extensions import Extensions
from bot.core.kernel.models import Media, Reply
from bot.core.play import Play
from bot.core.play.quality import roll
from bot.render.progress import render_progress
from storage import CampaignRow, RoundRow, ScheduleRow

log = logging.getLogger(__name__)

COMPLETION_CHECK_S = 5.0
REPOST_AFTER_S = 15.0
"""An unbound scheduled round this old has lost its poster (posting takes a second or two)."""
SYSTEM = "LabelQuest"


def rule_of(s: ScheduleRow) -> Rule:
    return Rule(s.every_minutes, s.start_minute, s.end_minute, s.max_per_day, s.quiet_days)


class CampaignJobs:
    """Scheduled rounds and campaign completion (tick jobs)."""

    def __init__(self, k: Kernel, play: Play) -> None:
        self.k = k
        self.play = play
        self._reposted: set[int] = set()
        self._completion_checked_at: float | None = None

    # tick ----------------------------------------------------------------------------

    def register(self, ext: Extensions) -> None:
        ext.tick("campaigns.schedules", self.run_schedules)
        ext.tick("campaigns.completion", self.finish_campaigns)

    def schedule_timezone(self, s: ScheduleRow) -> str:
        """The community's time zone once a moderator set it, else `[scheduler] timezone`."""
        if s.tz_set and s.timezone:
            return s.timezone
        return self.k.settings.scheduler.timezone

    async def run_schedules(self) -> int:
        """Post due scheduled rounds (and the ones left unposted: module docstring)."""
        now = self.k.now()
        posted = 0
        for left, s in await self.k.store.unposted_scheduled_rounds(now):
            if left.id in self._reposted or left.opened_at > now - REPOST_AFTER_S:
                continue
            self._reposted.add(left.id)
            log.info("posting round %s that schedule %s created but never posted", left.id, s.id)
            posted += await self._post(left, s)
        for s in await self.k.store.due_schedules(now):
            decision = plan(
                rule_of(s), now, zone(self.schedule_timezone(s)), s.day_key, s.day_count
            )
            if not decision.post:
                await self.k.store.advance_schedule(
                    s.id, s.version, decision.next_run_at, decision.day_key, decision.day_count
                )
                continue
            rnd = await self._open_scheduled(s, decision, now)
            if rnd is not None:
                posted += await self._post(rnd, s)
        return posted

    async def _open_scheduled(self, s: ScheduleRow, d: Decision, now: float) -> RoundRow | None:
        campaign = await self.k.store.get_campaign(s.campaign_id)
        if campaign is None or campaign.status != "active":
            return None
        if not self.k.flow_of(campaign).store_picks_items:
            return await self._open_with_game(campaign, s, d, now)
        gold_first = (
            await self.k.gold_items(campaign) > 0
            and roll(s.channel_id, campaign.id, now) < campaign.gold_rate
        )
        claimed, rnd = await self.k.store.claim_schedule(
            s,
            next_run_at=d.next_run_at,
            day_key=d.day_key,
            day_count=d.day_count,
            now=now,
            closes_at=now + self.k.settings.game.round_seconds,
            gold_first=gold_first,
            max_open_in_channel=self.k.settings.game.max_open_rounds_per_channel,
        )
        if claimed and rnd is None:
            log.info(
                "schedule %s: no round of %s (the channel is at its cap of open rounds, "
                "or every item is labelled or in play)",
                s.id,
                campaign.name,
            )
        if rnd is not None:
            self.k.remember_round(rnd)
        return rnd

    async def _open_with_game(
        self, campaign: CampaignRow, s: ScheduleRow, d: Decision, now: float
    ) -> RoundRow | None:
        """Claim, then let the game open its own round (two steps: a crash in between loses
        that run, it never doubles it)."""
        if not await self.k.store.advance_schedule(
            s.id, s.version, d.next_run_at, d.day_key, d.day_count, now
        ):
            return None
        try:
            card = await self.play.open_channel_round(campaign, s.channel_id, s.platform)
        except LabelQuestError as exc:
            log.info("schedule %s: no round (%s)", s.id, exc.message)
            return None
        if card.round_id is None:
            return None
        await self.k.store.set_schedule_round(s.id, card.round_id)
        return await self.k.round(card.round_id)

    async def _post(self, rnd: RoundRow, s: ScheduleRow) -> int:
        self.k.know_channel(s.channel_id, s.channel_external_id)
        card = await self.play.round_card(rnd.id)
        self.k.bus.publish(ChannelPost(s.platform, s.channel_external_id, card))
        return 1

    # completion ----------------------------------------------------------------------

    async def finish_campaigns(self) -> int:
        """Complete and announce finished campaigns (see the module rule)."""
        now = self.k.now()
        last = self._completion_checked_at
        if last is not None and now - last < COMPLETION_CHECK_S:
            return 0
        self._completion_checked_at = now
        n = 0
        for cid in await self.k.store.campaigns_done():
            if getattr(self.k.game((await self.k.campaign(cid)).game), "open_ended", False):
                continue  # its items are contributed by players (capture): it never runs out
            if not await self.k.store.change_campaign_status(cid, ("active",), "completed", now):
                continue
            self.k.forget_campaign(cid)
            campaign = await self.k.campaign(cid)
            await self.k.audit(
                SYSTEM,
                "campaign.complete",
                campaign.name,
                "every item finalized or reviewed",
                campaign=cid,
            )
            reply = await self.thank_you(campaign)
            for ch in await self.k.store.campaign_channels(cid):
                self.k.bus.publish(ChannelPost(ch.platform, ch.external_id, reply))
            n += 1
        return n

    async def thank_you(self, campaign: CampaignRow) -> Reply:
        """The end-of-campaign announcement (see the module rule)."""
        counts = await self.k.store.campaign_counts(campaign.id)
        labels = counts.finalized + counts.reviewed
        lines = [
            f"🎉 Campaign {campaign.name} is complete!",
            f"{labels} label{'s' if labels != 1 else ''} produced from {counts.answers} "
            f"answers by {counts.players} player{'s' if counts.players != 1 else ''}.",
        ]
        top_n = self.k.settings.campaigns.announce_top
        if top_n:
            top, _ = await self.k.store.leaderboard(campaign_id=campaign.id, limit=top_n)
            medals = ["🥇", "🥈", "🥉"]
            names = [
                f"{medals[i] if i < 3 else f'{i + 1}.'} {row.display_name} ({row.points} pts)"
                for i, row in enumerate(top)
            ]
            if names:
                lines.append("Top contributors: " + " · ".join(names))
        lines.append("Thank you all! 🙏")
        chart = render_progress(campaign_admin.progress(campaign, counts))
        media = Media(chart.data, chart.filename, chart.alt_text, "photo")
        return Reply("\n".join(lines), media=media)
