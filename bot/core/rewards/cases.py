"""Use cases of rewards: badges, the points breakdown, the streak log, the announcement
channel, and the privacy and deletion hooks that keep the leaderboard rollup exact.

Levels, streaks and badges are awarded in the answer batch (`bot.core.rewards.book`); the
start-up pass and the scheduled job live in `bot.core.rewards.jobs`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot.core.kernel import texts as kernel_texts
from bot.core.kernel.codec import Payload
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import LabelQuestError, PermissionDenied, UnknownPayload, WrongPlace
from bot.core.kernel.extensions import Extensions
from bot.core.kernel.models import Kind, PlayerRef, Reply
from bot.core.rewards import status_at, texts
from bot.core.rewards.boards import (
    PROFILE_BUTTONS,
    VIEW_BADGES,
    VIEW_POINTS,
    VIEW_STREAK,
    Boards,
    days_text,
)
from bot.core.rewards.book import RewardRules, counters_of, streak_state, zone_of
from bot.core.rewards.cards import held_badges
from bot.core.rewards.jobs import WEEKLY_META
from storage import RewardSnapshot, period_keys

log = logging.getLogger(__name__)

NEXT_BADGES = 5
HISTORY = 10


class RewardCases:
    """Badges, the points breakdown, the streak log and the announcement channel."""

    def __init__(self, k: Kernel, rules: RewardRules, boards: Boards) -> None:
        self.k = k
        self.reward_rules = rules
        self.boards = boards

    def register(self, ext: Extensions) -> None:
        ext.button("w", "open a profile view", self.press_view)
        ext.on_privacy("boards.visibility", self._board_visibility)

    async def _snapshot(self, ref: PlayerRef) -> RewardSnapshot:
        pid = await self.k.require_player(ref)
        snap = await self.k.store.reward_snapshot(pid)
        assert snap is not None
        return snap

    async def badges(self, ref: PlayerRef) -> Reply:
        """Badges earned (oldest first) and the closest ones still to earn, with progress."""
        snap = await self._snapshot(ref)
        all_badges = self.reward_rules.badges
        held = held_badges(snap, all_badges)
        level = self.reward_rules.curve.level_for(snap.points).level
        counters = counters_of(snap, snap.rewards, self.boards.streak_now(snap), level)
        lines = [f"🏅 Badges: {len(held)} of {len(all_badges)}"]
        lines += [f"{b.emoji} {b.name} — {b.description}" for b in held]
        if not held:
            lines.append("None yet: answer your first task to earn 🌱 one.")
        todo = sorted(
            (b for b in all_badges if b not in held), key=lambda b: -b.progress(counters)
        )[:NEXT_BADGES]
        if todo:
            lines += ["", "Closest next:"]
            lines += [
                f"{b.emoji} {b.name} — {b.description} ({b.progress(counters):.0%})" for b in todo
            ]
        return Reply("\n".join(lines), ephemeral=True)

    async def points_history(self, ref: PlayerRef, limit: int = HISTORY) -> Reply:
        """The last ledger lines with their reasons: why each answer earned what it did."""
        snap = await self._snapshot(ref)
        zone = zone_of(snap.timezone, self.k.settings.scheduler.timezone)
        entries = await self.k.store.ledger_for(snap.player_id, limit)
        lines = [f"📜 Your last {len(entries)} point lines (total {snap.points:,} points)"]
        if not entries:
            lines.append("Nothing yet: /play to earn your first points.")
        for e in entries:
            when = datetime.fromtimestamp(e.created_at, zone).strftime("%b %d %H:%M")
            where = ""
            if e.campaign_id is not None:
                try:
                    where = f" · {(await self.k.campaign(e.campaign_id)).name}"
                except LabelQuestError:
                    where = ""
            lines.append(f"{when} · {e.reason or f'{e.points:+d} {e.kind}'}{where}")
        lines += ["", "How points work: /help"]
        return Reply("\n".join(lines), ephemeral=True)

    async def streak(self, ref: PlayerRef) -> Reply:
        """The streak now, freezes, the day boundary and the recent streak log."""
        snap = await self._snapshot(ref)
        tz = snap.timezone or self.k.settings.scheduler.timezone
        zone = zone_of(tz, self.k.settings.scheduler.timezone)
        status = status_at(
            streak_state(snap.rewards), datetime.fromtimestamp(self.k.now(), UTC), zone
        )
        every = self.reward_rules.streaks.freeze_every_days
        row = snap.rewards
        lines = [
            f"🔥 {status.text[0].upper()}{status.text[1:]}.",
            f"🏆 Best streak: {days_text(max(row.streak_best, status.current))}",
            f"🧊 Freezes: {row.freezes} (one more after {every - row.toward_freeze % every} "
            f"more day(s) in a row; each forgives one missed day)",
            f"📅 Your day ends at midnight, {tz} time.",
            f"🔔 Reminders: {'on' if snap.reminders else 'off'} (/privacy)",
        ]
        history = await self.k.store.streak_history(snap.player_id, HISTORY)
        if history:
            lines += ["", "What happened:"]
            lines += [f"{e.day} · {e.text}" for e in history]
        return Reply("\n".join(lines), ephemeral=True)

    async def announce(self, ref: PlayerRef, on: bool = True) -> Reply:
        """A moderator makes this channel the community's announcement channel (weekly
        winners, level-ups without pings), or stops announcements (`on` False)."""
        if not (ref.is_moderator or self.k.is_admin(ref)):
            raise PermissionDenied(texts.ONLY_MODERATORS_ANNOUNCE)
        if ref.channel is None or ref.channel.kind != Kind.GROUP:
            raise WrongPlace(texts.ANNOUNCE_IN_THE_CHANNEL)
        channel = await self.k.channel(ref.channel)
        if channel.community_id is None:
            raise WrongPlace(texts.CHANNEL_WITHOUT_COMMUNITY)
        if not on:
            await self.k.store.set_announce_channel(channel.community_id, None)
            return Reply(texts.ANNOUNCEMENTS_OFF, ephemeral=True)
        await self.k.store.set_announce_channel(channel.community_id, channel.id)
        community = await self.k.store.get_community(channel.community_id)
        zone = zone_of(
            None if community is None else community.timezone, self.k.settings.scheduler.timezone
        )
        week, _ = period_keys(self.k.now(), zone)
        await self.k.store.set_meta(WEEKLY_META.format(channel.community_id), str(week - 7))
        rs = self.k.settings.rewards
        what = texts.WEEKLY_WINNERS.format(count=rs.weekly_winners, hour=rs.weekly_hour)
        if rs.announce_level_ups:
            what = texts.BOTH.format(first=what, second=texts.LEVEL_UPS)
        return Reply(texts.ANNOUNCING_HERE.format(what=what), ephemeral=True)

    async def press_view(self, ref: PlayerRef, p: Payload) -> Reply:
        """Buttons of the profile: points breakdown, badges, streak."""
        view = p.args[0]
        if view == VIEW_POINTS:
            return await self.points_history(ref)
        if view == VIEW_BADGES:
            return await self.badges(ref)
        if view == VIEW_STREAK:
            return await self.streak(ref)
        raise UnknownPayload(kernel_texts.UNKNOWN_BUTTON)

    # hooks that keep the rollup exact ----------------------------------------------------

    async def _board_visibility(
        self, player_id: int, hide: bool | None, reminders: bool | None
    ) -> None:
        """Hidden players leave the public boards' rollup at once (and come back)."""
        if hide is not None:
            await self.k.store.set_board_visibility(player_id, not hide, self.k.now())


__all__ = ["PROFILE_BUTTONS", "RewardCases"]
