"""Use cases of standing: the profile (rank card) and the leaderboards (image + text).

Boards read the rollup kept by the answer batch (storage/board_math.py): scopes community,
global (both platforms together) and campaign; windows all time, this week (from Monday
00:00) and today, in the scope's time zone (the community's, else `[scheduler] timezone`).
A window is a filter over the ledger, which is never deleted. Ranks are competition ranks:
players with equal points share a rank. Players hidden with /privacy are left off public
lines; they still see their own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.core.kernel.codec import encode
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, WrongPlace
from bot.core.kernel.models import Choice, Kind, PlayerRef, Reply
from bot.core.rewards import (
    LevelCurve,
    PointsRules,
    StreakRules,
    can_see_accuracy,
    parse_badges,
    status_at,
    texts,
)
from bot.core.rewards.book import RewardRules, streak_state, zone_of
from bot.core.rewards.cards import board_card, board_media, held_badges, rank_card, rank_card_media
from bot.core.rewards.levels import STATS_UNLOCK_LEVEL
from storage import (
    PERIOD_ALL,
    PERIOD_DAY,
    PERIOD_WEEK,
    SCOPE_CAMPAIGN,
    SCOPE_COMMUNITY,
    SCOPE_GLOBAL,
    BoardKey,
    BoardLine,
    RewardSnapshot,
    period_keys,
)

SCOPES = ("community", "global", "campaign")
WINDOWS = {"all": "all time", "week": "this week", "today": "today"}
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
VIEW_POINTS, VIEW_BADGES, VIEW_STREAK = 0, 1, 2
PROFILE_BUTTONS = (
    (
        Choice("📜 Points", encode("w", VIEW_POINTS, 0)),
        Choice("🏅 Badges", encode("w", VIEW_BADGES, 0)),
        Choice("🔥 Streak", encode("w", VIEW_STREAK, 0)),
    ),
)


def reward_rules(settings: Any) -> RewardRules:
    """The reward rules of `[rewards]` and `[[badges]]` (validated when settings load)."""
    rs = settings.rewards
    points = PointsRules(
        base=rs.base_points,
        consensus_bonus=rs.consensus_bonus,
        consensus_min_confidence=rs.consensus_min_confidence,
        scale_by_confidence=rs.scale_by_confidence,
        gold_bonus=rs.gold_bonus,
        streak_step=rs.streak_step,
        streak_cap=rs.streak_cap,
    )
    if rs.level_thresholds:
        curve = LevelCurve.from_thresholds(rs.level_thresholds)
    else:
        curve = LevelCurve.polynomial(rs.level_a, rs.level_b, rs.level_c, rs.max_level)
    return RewardRules(
        points,
        curve,
        StreakRules(rs.freeze_every_days, rs.max_freezes),
        tuple(parse_badges(settings.badges, source=settings.source)),
        settings.scheduler.timezone,
        rs.announce_level_ups,
    )


class Boards:
    """The profile (rank card) and the leaderboards."""

    def __init__(self, k: Kernel, rules: RewardRules) -> None:
        self.k = k
        self.reward_rules = rules

    def board_key(self, scope: int, scope_id: int, window: str, tz: str | None) -> BoardKey:
        """The board of a scope for a window as of now, in time zone `tz`."""
        week, day = period_keys(self.k.now(), zone_of(tz, self.k.settings.scheduler.timezone))
        period, key = {
            "all": (PERIOD_ALL, 0),
            "week": (PERIOD_WEEK, week),
            "today": (PERIOD_DAY, day),
        }[window]
        return BoardKey(scope, scope_id, period, key)

    def streak_now(self, snap: RewardSnapshot) -> int:
        """The streak as of now (0 once it can no longer be saved)."""
        zone = zone_of(snap.timezone, self.k.settings.scheduler.timezone)
        moment = datetime.fromtimestamp(self.k.now(), UTC)
        return status_at(streak_state(snap.rewards), moment, zone).current

    async def profile(self, ref: PlayerRef) -> Reply:
        """Level, XP, points, rank, streak and badges, as a rank card and in words."""
        pid = await self.k.require_player(ref)
        snap = await self.k.store.reward_snapshot(pid)
        assert snap is not None
        curve = self.reward_rules.curve
        info = curve.level_for(snap.points)
        glob = BoardKey(SCOPE_GLOBAL, 0, PERIOD_ALL)
        mine = await self.k.store.board_entry(glob, pid)
        size = await self.k.store.board_count(glob)
        streak = self.streak_now(snap)
        badges = held_badges(snap, self.reward_rules.badges)
        lines = [
            f"👤 {snap.display_name}",
            f"⭐ Level {info.level} · {snap.points:,} points · {snap.answers} answers",
        ]
        if info.xp_to_next is not None:
            lines.append(
                f"📈 {info.xp_into_level:,}/{info.xp_for_next:,} XP to level {info.level + 1}"
            )
        else:
            lines.append("📈 Top level reached.")
        best = max(snap.rewards.streak_best, streak)
        lines.append(
            f"🔥 Streak: {days_text(streak)} (best {days_text(best)}) · 🧊 "
            f"{snap.rewards.freezes} freeze(s)"
        )
        lines += self._quality_lines(snap, info.level)
        if mine is not None:
            lines.append(f"🏆 Global rank #{mine.rank} of {max(size, mine.rank)}")
        shown = "".join(f" {b.emoji}" for b in badges[-8:])
        lines.append(f"🏅 Badges: {len(badges)} of {len(self.reward_rules.badges)}{shown}")
        if snap.hidden:
            lines.append("🔒 You are hidden from public leaderboards (/privacy).")
        card = rank_card(
            snap,
            curve,
            self.reward_rules.badges,
            None if mine is None else mine.rank,
            max(size, mine.rank) if mine else None,
            streak,
        )
        return Reply(
            "\n".join(lines),
            media=await rank_card_media(card),
            choices=PROFILE_BUTTONS,
            ephemeral=True,
        )

    def _quality_lines(self, snap: RewardSnapshot, level: int) -> list[str]:
        if not can_see_accuracy(level):
            return [f"🔒 Your accuracy and agreement unlock at level {STATS_UNLOCK_LEVEL}."]
        lines = []
        if snap.gold_answered:
            acc = snap.gold_right / snap.gold_answered
            lines.append(
                f"🎯 Check questions: {acc:.0%} right ({snap.gold_right}/{snap.gold_answered})"
            )
        if snap.settled:
            agree = snap.agreed / snap.settled
            lines.append(f"🤝 Agreed with the crowd: {agree:.0%} ({snap.agreed}/{snap.settled})")
        return lines

    async def leaderboard(
        self,
        ref: PlayerRef,
        scope: str = "community",
        window: str = "all",
        campaign_name: str | None = None,
    ) -> Reply:
        """Top 10 plus the viewer's own line, for a scope (community, global, campaign) and a
        window (all time, this week, today) that filters the ledger."""
        if scope not in SCOPES:
            raise InvalidInput(texts.UNKNOWN_SCOPE, scopes=", ".join(SCOPES))
        if window not in WINDOWS:
            raise InvalidInput(texts.UNKNOWN_WINDOW, windows=", ".join(WINDOWS))
        pid = await self.k.player_id(ref)
        kind, scope_id, title, tz = await self._scope(ref, scope, campaign_name, pid)
        key = self.board_key(kind, scope_id, window, tz)
        top = await self.k.store.board_top(key, 10)
        mine = None
        if pid is not None:
            mine = next((ln for ln in top if ln.player_id == pid), None)
            mine = mine or await self.k.store.board_entry(key, pid)
        heading = f"{title} · {WINDOWS[window]}"
        text = board_text(heading, top, mine)
        media = await board_media(board_card(heading, top, mine, self.reward_rules.curve))
        return Reply(text, media=media)

    async def _scope(
        self, ref: PlayerRef, scope: str, campaign_name: str | None, pid: int | None
    ) -> tuple[int, int, str, str | None]:
        """(scope kind, scope id, title, time zone) of a board request."""
        if scope == "global":
            return SCOPE_GLOBAL, 0, "Everyone", None
        if ref.channel is None or ref.channel.kind != Kind.GROUP:
            community_id = (
                None if pid is None else (await self.k.player_row(pid)).home_community_id
            )
        else:
            community_id = (await self.k.channel(ref.channel)).community_id
        if scope == "campaign":
            campaign = await self.k.active_campaign(campaign_name, community_id)  # scope rule
            tz = None
            if campaign.community_id is not None:
                home = await self.k.store.get_community(campaign.community_id)
                tz = None if home is None else home.timezone
            return SCOPE_CAMPAIGN, campaign.id, campaign.name, tz
        community = None
        if community_id is not None:
            community = await self.k.store.get_community(community_id)
        if community is None:
            raise WrongPlace(texts.TOP_NEEDS_A_GROUP)
        return SCOPE_COMMUNITY, community.id, community.name, community.timezone


def board_text(heading: str, top: list[BoardLine], mine: BoardLine | None) -> str:
    """The board in words: medals for ranks 1-3, the viewer marked or added below."""
    lines = [f"🏆 {heading}"]
    if not top:
        lines.append("No points yet. Be the first: /play")
    for row in top:
        mark = " ← you" if mine is not None and row.player_id == mine.player_id else ""
        lines.append(
            f"{MEDALS.get(row.rank, f'{row.rank}.')} {row.display_name} — {row.points:,}{mark}"
        )
    if mine is not None and all(r.player_id != mine.player_id for r in top):
        lines.append(f"…\nYou: #{mine.rank:,} · {mine.points:,} pts")
    return "\n".join(lines)


def days_text(n: int) -> str:
    """A number of days in words: "1 day", "2 days"."""
    return f"{n} day" if n == 1 else f"{n} days"
