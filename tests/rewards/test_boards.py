"""Profile and leaderboards: per community and global, windows, own rank, privacy."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind
from storage import SqlStore
from tests.support.engine import GENERAL, answer_payload, consented, player
from tests.support.seeds import seed_campaign

OTHER = ChannelRef("discord", "c2", "lobby", Kind.GROUP, CommunityRef("discord", "g2", "Others"))


async def _round(
    engine: Engine, channel: ChannelRef, voters: list[int], clock: ManualClock
) -> None:
    card = await engine.play.post_round(player(0, channel, moderator=True))
    clock.advance(5)
    for i in voters:
        await engine.handle_button(player(i, channel), answer_payload(card, "Yes"))


async def test_community_and_global_boards_with_own_rank(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_campaign(store, items=10, min_overlap=5, max_overlap=9)
    await consented(engine, *(player(i, GENERAL) for i in range(1, 14)))
    await _round(engine, GENERAL, list(range(1, 13)), clock)
    await _round(engine, GENERAL, [1, 2], clock)
    await _round(engine, OTHER, [13], clock)
    board = await engine.boards.leaderboard(player(1, GENERAL), "community", "all")
    lines = board.text.splitlines()
    assert lines[0] == "🏆 Shape Club · all time"
    # round 1 finalizes its item (base + consensus bonus), round 2 pays base only; equal
    # points share a rank (competition ranking)
    assert lines[1] == "🥇 Player1 — 30 ← you" and lines[2] == "🥇 Player2 — 30"
    assert lines[3].startswith("🥉 Player3 — 20")
    assert len([ln for ln in lines if " — " in ln]) == 10
    assert "Player13" not in board.text
    other = await engine.boards.leaderboard(player(13, OTHER), "community", "all")
    assert "Player13 — 10" in other.text and "Player1 " not in other.text
    glob = await engine.boards.leaderboard(player(12, GENERAL), "global", "all")
    assert "You: #" in glob.text or "← you" in glob.text
    profile = await engine.boards.profile(player(1, GENERAL))
    assert "30 points · 2 answers" in profile.text and "Global rank #1" in profile.text


async def test_windows_filter_the_ledger(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_campaign(store, items=4, min_overlap=3, max_overlap=5)
    await consented(engine, player(1, GENERAL), player(2, GENERAL))
    await _round(engine, GENERAL, [1], clock)
    clock.advance(8 * 86400)
    await _round(engine, GENERAL, [2], clock)
    week = await engine.boards.leaderboard(player(2, GENERAL), "community", "week")
    assert "Player2" in week.text and "Player1" not in week.text
    today = await engine.boards.leaderboard(player(2, GENERAL), "global", "today")
    assert "Player2" in today.text and "Player1" not in today.text
    alltime = await engine.boards.leaderboard(player(2, GENERAL), "global", "all")
    assert "Player1" in alltime.text and "Player2" in alltime.text


async def test_hidden_players_leave_public_boards_but_keep_playing(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_campaign(store, items=4, min_overlap=3, max_overlap=5)
    await consented(engine, player(1, GENERAL), player(2, GENERAL))
    reply = await engine.handle_button(player(1, GENERAL), "v1:p:h:1")
    assert "hidden from" in reply.text
    await _round(engine, GENERAL, [1, 2], clock)
    seen_by_2 = await engine.boards.leaderboard(player(2, GENERAL), "community", "all")
    assert "Player1" not in seen_by_2.text and "Player2" in seen_by_2.text
    seen_by_1 = await engine.boards.leaderboard(player(1, GENERAL), "community", "all")
    assert "You: #" in seen_by_1.text
