"""Reward work outside the answer path: the start-up pass and the scheduled job.

* **Start-up** (`start_rewards`, before the chat adapters start, so nothing else writes):
  build the rollup from the ledger when the store has never had one (a store migrated with
  an existing ledger), and award retroactively every badge whose definition is new or changed
  since the last start, evaluating every player. (A deleted player's rollup rows go in the
  deleting transaction, `Store.delete_player`, so no sweep is needed here.)
  Their notices are sent once the adapters listen (`publish_pending`).
* **Every minute** (`rewards_tick`): streak reminders, for players who opted in (/privacy),
  `[rewards] reminder_hours` before their local day ends, at most once a day; and each
  Monday from `weekly_hour` (community time), the winners of the week that ended, posted once
  in every community with an announcement channel.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.core.kernel.context import Kernel
from bot.core.kernel.events import ChannelPost, PlayerNotice
from bot.core.kernel.models import Reply
from bot.core.rewards import earned, needs_reminder, status_at
from bot.core.rewards.badges import BadgeDef
from bot.core.rewards.boards import MEDALS, Boards
from bot.core.rewards.book import RewardRules, badge_text, counters_of, streak_state, zone_of
from bot.core.rewards.cards import board_card, board_media
from storage import (
    SCOPE_CAMPAIGN,
    SCOPE_COMMUNITY,
    AnnounceTarget,
    RewardSnapshot,
    RewardsRow,
    day_start,
    period_keys,
)

log = logging.getLogger(__name__)

BADGES_META = "rewards.badges"
BOARDS_META = "rewards.boards"
WEEKLY_META = "rewards.weekly.{}"
CHUNK = 2000


class RewardJobs:
    """The start-up pass and the scheduled reward job (see the module docstring)."""

    def __init__(self, k: Kernel, rules: RewardRules, boards: Boards) -> None:
        self.k = k
        self.reward_rules = rules
        self.boards = boards
        self._pending: list[object] | None = None

    # start-up ----------------------------------------------------------------------------

    async def start_rewards(self) -> int:
        """The start-up pass (module docstring); returns how many badges it awarded. It runs
        under `store.exclusive`, so of processes starting together one does the work and the
        others find it done (the meta keys it checks are written inside)."""
        async with self.k.store.exclusive("rewards.start"):
            if await self.k.store.get_meta(BOARDS_META) is None:
                if await self.k.store.has_ledger():
                    default = self.k.settings.scheduler.timezone
                    await self.k.store.rebuild_boards(await self._zones(), default, self.k.now())
                await self.k.store.set_meta(BOARDS_META, "1")
            return await self._retroactive_badges()

    def publish_pending(self) -> None:
        """Send the notices of the start-up pass (call once the adapters listen)."""
        for event in self._pending or []:
            self.k.bus.publish(event)
        self._pending = []

    async def _zones(self) -> dict[tuple[int, int], str]:
        zones = {
            (SCOPE_COMMUNITY, c.id): c.timezone for c in await self.k.store.list_communities()
        }
        for camp in await self.k.store.list_campaigns(None):
            if camp.community_id is not None and (SCOPE_COMMUNITY, camp.community_id) in zones:
                zones[(SCOPE_CAMPAIGN, camp.id)] = zones[(SCOPE_COMMUNITY, camp.community_id)]
        return zones

    async def _retroactive_badges(self) -> int:
        """Award badges whose definition is new or changed to every player who earned them.
        Each page of players is re-read and written in one unit with their player rows
        locked (`AnswerUnit.load_snapshots`), so answers other processes store meanwhile
        are neither overwritten nor counted twice."""
        signature = sorted(f"{b.id}={b.rule}" for b in self.reward_rules.badges)
        stored = set(json.loads(await self.k.store.get_meta(BADGES_META) or "[]"))
        pending = [b for b in self.reward_rules.badges if f"{b.id}={b.rule}" not in stored]
        awarded, after, now = 0, 0, self.k.now()
        while pending:
            page = await self.k.store.reward_snapshots(after, CHUNK)
            if not page:
                break
            async with self.k.store.answer_batch() as tx:
                snaps = await tx.load_snapshots([s.player_id for s in page])
                rows, awards = self._award_page([snaps[p] for p in sorted(snaps)], pending, now)
                await tx.save_rewards(rows, [], awards, now)
            awarded += len(awards)
            after = page[-1].player_id
        await self.k.store.set_meta(BADGES_META, json.dumps(signature))
        if awarded:
            log.info("awarded %d badges retroactively", awarded)
        return awarded

    def _award_page(
        self, snaps: list[RewardSnapshot], pending: list[BadgeDef], now: float
    ) -> tuple[list[RewardsRow], list[tuple[int, str, float]]]:
        """The reward rows to write and the (player, badge, time) awards of one page; their
        notices wait in `_pending`."""
        rows: list[RewardsRow] = []
        awards: list[tuple[int, str, float]] = []
        notices = self._pending = self._pending or []
        for snap in snaps:
            level = max(snap.rewards.level, self.reward_rules.curve.level_for(snap.points).level)
            counters = counters_of(snap, snap.rewards, self.boards.streak_now(snap), level)
            held = frozenset(x for x in snap.rewards.badges.split(",") if x)
            new = earned(pending, counters, held)
            if not new and snap.stored and level == snap.rewards.level:
                continue
            ids = ",".join(
                [*(x for x in snap.rewards.badges.split(",") if x), *(b.id for b in new)]
            )
            rows.append(replace(snap.rewards, level=level, badges=ids))
            awards += [(snap.player_id, b.id, now) for b in new]
            if new:
                text = "\n".join(badge_text(b) for b in new)
                notices.append(PlayerNotice(snap.player_id, Reply(text)))
        return rows, awards

    # the scheduled job -------------------------------------------------------------------

    async def rewards_tick(self) -> int:
        """Streak reminders and weekly winners that are due; returns messages sent."""
        return await self._remind() + await self._weekly_winners()

    async def _remind(self) -> int:
        rs = self.k.settings.rewards
        moment = datetime.fromtimestamp(self.k.now(), UTC)
        sent = 0
        for snap in await self.k.store.reminder_candidates(rs.reminder_min_streak):
            zone = zone_of(snap.timezone, self.k.settings.scheduler.timezone)
            state = streak_state(snap.rewards)
            if not needs_reminder(
                state, moment, zone, rs.reminder_hours, min_streak=rs.reminder_min_streak
            ):
                continue
            status = status_at(state, moment, zone)
            left = status.breaks_at - moment if status.breaks_at else timedelta(0)
            hours = max(1, round(left.total_seconds() / 3600))
            text = (
                f"🔥 Your {status.current}-day streak needs an answer today: about {hours} "
                f"h left. One task keeps it: /play\n{status.text}. "
                "(Turn these reminders off with /privacy.)"
            )
            day = moment.astimezone(zone).date().isoformat()
            if not await self.k.store.set_reminded(snap.player_id, day):
                continue  # another process reminded them first
            self.k.bus.publish(PlayerNotice(snap.player_id, Reply(text)))
            sent += 1
        return sent

    async def _weekly_winners(self) -> int:
        sent = 0
        for target in await self.k.store.announce_targets():
            sent += await self._weekly_in(target)
        return sent

    async def _weekly_in(self, target: AnnounceTarget) -> int:
        rs = self.k.settings.rewards
        zone = zone_of(target.timezone, self.k.settings.scheduler.timezone)
        week, _ = period_keys(self.k.now(), zone)
        monday = day_start(week, zone)
        meta = WEEKLY_META.format(target.community_id)
        done = await self.k.store.get_meta(meta)
        previous = week - 7
        if rs.weekly_winners == 0 or self.k.now() < monday + rs.weekly_hour * 3600:
            return 0
        if done is not None and int(done) >= previous:
            return 0
        if not await self.k.store.claim_meta(meta, done, str(previous)):
            return 0  # another process posts this week's winners
        lines = await self.k.store.ledger_top(
            target.community_id, day_start(previous, zone), monday, 10
        )
        if not lines:
            return 0
        first = datetime.fromtimestamp(day_start(previous, zone), zone).date()
        heading = f"{target.name} · week of {first.isoformat()}"
        winners = " · ".join(
            f"{MEDALS.get(ln.rank, f'{ln.rank}.')} {ln.display_name} — {ln.points:,}"
            for ln in lines[: rs.weekly_winners]
        )
        text = (
            f"🏆 Weekly winners in {target.name} (week of {first.isoformat()}): {winners}. "
            "Congratulations! A new week has begun: /top week"
        )
        media = await board_media(board_card(heading, lines, None, self.reward_rules.curve))
        post = Reply(text, media=media)
        self.k.bus.publish(ChannelPost(target.platform, target.channel_external_id, post))
        return 1
