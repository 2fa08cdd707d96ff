"""Use cases of standing: profile and leaderboards (first form: text; images come with the
rewards module)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.errors import InvalidInput, WrongPlace
from bot.core.models import Kind, PlayerRef, Reply
from bot.core.uc_play import PlayCases

SCOPES = ("community", "global", "campaign")
WINDOWS = {"all": "all time", "week": "this week", "today": "today"}


def window_start(window: str, now: float, tz: str) -> float | None:
    """Start of the window in the scope's time zone: midnight today, or Monday 00:00."""
    if window == "all":
        return None
    local = datetime.fromtimestamp(now, ZoneInfo(tz))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if window == "week":
        midnight -= timedelta(days=midnight.weekday())
    return midnight.timestamp()


class BoardCases(PlayCases):
    async def profile(self, ref: PlayerRef) -> Reply:
        pid = await self.require_player(ref)
        player = await self.player_row(pid)
        stats = await self.store.get_stats(pid)
        _, mine = await self.store.leaderboard(limit=1, viewer_id=pid)
        size = await self.store.board_size()
        lines = [f"👤 {player.display_name}"]
        if stats is not None:
            lines.append(f"⭐ {stats.points} points · {stats.answers} answers")
            if stats.gold_answered:
                acc = stats.gold_right / stats.gold_answered
                lines.append(f"🎯 Check questions: {acc:.0%} right ({stats.gold_right}/"
                             f"{stats.gold_answered})")  # fmt: skip
            if stats.settled:
                agree = stats.agreed / stats.settled
                lines.append(f"🤝 Agreed with the crowd: {agree:.0%} ({stats.agreed}/"
                             f"{stats.settled})")  # fmt: skip
        if mine is not None:
            lines.append(f"🏆 Global rank #{mine.rank} of {max(size, mine.rank)}")
        if player.hidden:
            lines.append("🔒 You are hidden from public leaderboards (/privacy).")
        return Reply("\n".join(lines), ephemeral=True)

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
            raise InvalidInput(f"scope must be one of {', '.join(SCOPES)}")
        if window not in WINDOWS:
            raise InvalidInput(f"window must be one of {', '.join(WINDOWS)}")
        pid = await self.player_id(ref)
        community_id = campaign_id = None
        tz = self.settings.scheduler.timezone
        title = "Everyone"
        if scope == "community":
            if ref.channel is None or ref.channel.kind != Kind.GROUP:
                if pid is None:
                    raise WrongPlace("Use /top in a group, or /top global here.")
                community_id = (await self.player_row(pid)).home_community_id
                if community_id is None:
                    raise WrongPlace("Use /top in a group, or /top global here.")
            else:
                community_id = (await self.channel(ref.channel)).community_id
            community = None if community_id is None else await self.store.get_community(
                community_id)  # fmt: skip
            if community is not None:
                tz, title = community.timezone, community.name
        elif scope == "campaign":
            campaign = await self.pick_campaign(campaign_name, None)
            campaign_id, title = campaign.id, campaign.name
        since = window_start(window, self.now(), tz)
        top, mine = await self.store.leaderboard(
            community_id=community_id, campaign_id=campaign_id, since=since, limit=10,
            viewer_id=pid,
        )  # fmt: skip
        lines = [f"🏆 {title} · {WINDOWS[window]}"]
        if not top:
            lines.append("No points yet. Be the first: /play")
        medals = {1: "🥇", 2: "🥈", 3: "🥉"}
        for row in top:
            mark = " ← you" if row.player_id == pid else ""
            lines.append(f"{medals.get(row.rank, f'{row.rank}.')} {row.display_name} — "
                         f"{row.points}{mark}")  # fmt: skip
        if mine is not None and all(r.player_id != mine.player_id for r in top):
            lines.append(f"…\nYou: #{mine.rank} · {mine.points} pts")
        return Reply("\n".join(lines))
