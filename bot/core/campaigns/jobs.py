"""Campaign work done on every tick: scheduled rounds, campaign completion; and the audit
log every moderator and admin action is written to (`audit`).

Scheduled rounds (rules in `schedule_rules`): a due schedule is claimed and its round
created in one transaction (`SqlStore.claim_schedule`), then the card is published as a
`ChannelPost`, which the adapter posts and binds to the round. On the first tick of a
process, rounds that a schedule created but nobody posted (the process stopped in between)
are posted; a claimed run is never created twice, and runs missed while down collapse into
one. Games whose rounds need their own opener (doodle rounds) are opened with
`open_channel_round` right after the claim.

Completion: at most every `COMPLETION_CHECK_S` seconds, each active campaign whose normal
items are all finalized or reviewed becomes `completed`; every channel it ran in gets the
announcement: labels produced, answers, players, the top contributors (players hidden by
/privacy are left out) and the progress chart.
"""

from __future__ import annotations

import logging

from bot.core.campaigns import admin as campaign_admin
from bot.core.campaigns.schedule_rules import Decision, Rule, plan, zone
from bot.core.kernel.errors import LabelQuestError
from bot.core.kernel.events import ChannelPost
from bot.core.kernel.models import Media, PlayerRef, Reply
from bot.core.play.quality import roll
from bot.core.rewards.boards import BoardCases
from bot.render.progress import render_progress
from storage import CampaignRow, RoundRow, ScheduleRow

log = logging.getLogger(__name__)

COMPLETION_CHECK_S = 5.0
SYSTEM = "LabelQuest"


def rule_of(s: ScheduleRow) -> Rule:
    return Rule(s.every_minutes, s.start_minute, s.end_minute, s.max_per_day, s.quiet_days)


class CampaignJobs(BoardCases):
    _recovered = False
    _completion_checked_at: float | None = None

    # the audit log -------------------------------------------------------------------

    async def audit(
        self,
        actor: PlayerRef | str,
        action: str,
        target: str = "",
        detail: str = "",
        *,
        campaign: CampaignRow | int | None = None,
    ) -> None:
        """Record who did what, when. `actor` is the acting `PlayerRef` (its platform, id and
        name are kept) or a name such as "cli"; `action` a short dotted verb such as
        "campaign.pause"; `target` what it acted on (a campaign name, an item); `campaign`
        (row or id) makes the entry show up under `/audit <campaign>`."""
        platform = actor_id = ""
        name = actor
        if isinstance(actor, PlayerRef):
            platform, actor_id = actor.platform, actor.external_id
            name = f"{actor.display_name} ({actor.platform} {actor.external_id})"
        cid = campaign.id if isinstance(campaign, CampaignRow) else campaign
        await self.store.add_audit(
            at=self.now(), actor=str(name), action=action, target=target, detail=detail,
            platform=platform, actor_id=actor_id, campaign_id=cid,
        )  # fmt: skip
        log.info("audit: %s %s %s %s", name, action, target, detail)

    # tick ----------------------------------------------------------------------------

    async def tick(self) -> int:
        """Base due work, then scheduled rounds and campaign completion."""
        n = await super().tick()
        n += await self.run_schedules()
        n += await self.finish_campaigns()
        return n

    def schedule_timezone(self, s: ScheduleRow) -> str:
        """The community's time zone once a moderator set it, else `[scheduler] timezone`."""
        if s.tz_set and s.timezone:
            return s.timezone
        return self.settings.scheduler.timezone

    async def run_schedules(self) -> int:
        """Post due scheduled rounds (and, once per process, the ones left unposted)."""
        now = self.now()
        posted = 0
        if not self._recovered:
            self._recovered = True
            for left, s in await self.store.unposted_scheduled_rounds(now):
                log.info("posting round %s that schedule %s created before a restart",
                         left.id, s.id)  # fmt: skip
                posted += await self._post(left, s)
        for s in await self.store.due_schedules(now):
            decision = plan(rule_of(s), now, zone(self.schedule_timezone(s)), s.day_key,
                            s.day_count)  # fmt: skip
            if not decision.post:
                await self.store.advance_schedule(
                    s.id, s.version, decision.next_run_at, decision.day_key, decision.day_count
                )
                continue
            rnd = await self._open_scheduled(s, decision, now)
            if rnd is not None:
                posted += await self._post(rnd, s)
        return posted

    async def _open_scheduled(self, s: ScheduleRow, d: Decision, now: float) -> RoundRow | None:
        campaign = await self.store.get_campaign(s.campaign_id)
        if campaign is None or campaign.status != "active":
            return None
        if getattr(self, "is_doodle_campaign", lambda c: False)(campaign):
            return await self._open_with_game(campaign, s, d, now)
        gold_first = (
            await self.gold_items(campaign) > 0
            and roll(s.channel_id, campaign.id, now) < campaign.gold_rate
        )
        claimed, rnd = await self.store.claim_schedule(
            s, next_run_at=d.next_run_at, day_key=d.day_key, day_count=d.day_count, now=now,
            closes_at=now + self.settings.game.round_seconds, gold_first=gold_first,
        )  # fmt: skip
        if claimed and rnd is None:
            log.info("schedule %s: every item of %s is labelled or in play", s.id, campaign.name)
        if rnd is not None:
            self.remember_round(rnd)
        return rnd

    async def _open_with_game(
        self, campaign: CampaignRow, s: ScheduleRow, d: Decision, now: float
    ) -> RoundRow | None:
        """Claim, then let the game open its own round (two steps: a crash in between loses
        that run, it never doubles it)."""
        if not await self.store.advance_schedule(
            s.id, s.version, d.next_run_at, d.day_key, d.day_count, now
        ):
            return None
        try:
            card = await self.open_channel_round(campaign, s.channel_id, s.platform)
        except LabelQuestError as exc:
            log.info("schedule %s: no round (%s)", s.id, exc.message)
            return None
        if card.round_id is None:
            return None
        await self.store.set_schedule_round(s.id, card.round_id)
        return await self.round(card.round_id)

    async def _post(self, rnd: RoundRow, s: ScheduleRow) -> int:
        self._channel_ids[s.channel_id] = s.channel_external_id
        card = await self.round_card(rnd.id)
        self.bus.publish(ChannelPost(s.platform, s.channel_external_id, card))
        return 1

    # completion ----------------------------------------------------------------------

    async def finish_campaigns(self) -> int:
        """Complete and announce finished campaigns (see the module rule)."""
        now = self.now()
        last = self._completion_checked_at
        if last is not None and now - last < COMPLETION_CHECK_S:
            return 0
        self._completion_checked_at = now
        n = 0
        for cid in await self.store.campaigns_done():
            if not await self.store.change_campaign_status(cid, ("active",), "completed", now):
                continue
            self.forget_campaign(cid)
            campaign = await self.campaign(cid)
            await self.audit(SYSTEM, "campaign.complete", campaign.name,
                             "every item finalized or reviewed", campaign=cid)  # fmt: skip
            reply = await self.thank_you(campaign)
            for ch in await self.store.campaign_channels(cid):
                self.bus.publish(ChannelPost(ch.platform, ch.external_id, reply))
            n += 1
        return n

    async def thank_you(self, campaign: CampaignRow) -> Reply:
        """The end-of-campaign announcement (see the module rule)."""
        counts = await self.store.campaign_counts(campaign.id)
        labels = counts.finalized + counts.reviewed
        lines = [
            f"🎉 Campaign {campaign.name} is complete!",
            f"{labels} label{'s' if labels != 1 else ''} produced from {counts.answers} "
            f"answers by {counts.players} player{'s' if counts.players != 1 else ''}.",
        ]
        top_n = self.settings.campaigns.announce_top
        if top_n:
            top, _ = await self.store.leaderboard(campaign_id=campaign.id, limit=top_n)
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
