"""Rewards through the engine on both backends: streaks over days in the community's time
zone (freeze earned, used, streak broken and explained); the start-up pass, which builds the
leaderboard rollup of a store that has a ledger but never had one, and awards badges added to
the config later, once."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.events import PlayerNotice
from bot.core.kernel.models import PlayerRef
from storage import SqlStore
from tests.support.engine import DM, GENERAL, answer_payload, consented, player
from tests.support.seeds import seed_campaign
from tests.support.settings import settings_for

TOKYO = ZoneInfo("Asia/Tokyo")


def tokyo(day: int, hour: int) -> float:
    return datetime(2026, 1, day, hour, tzinfo=TOKYO).timestamp()


async def answer(engine: Engine, ref: PlayerRef, clock: ManualClock) -> None:
    """One solo task answered "Yes", 5 s after it was served."""
    card = await engine.play.next_task(ref)
    clock.advance(5)
    await engine.handle_button(ref, answer_payload(card, "Yes"))


def notices(events: list[object], pid: int) -> str:
    return "\n".join(
        e.reply.text for e in events if isinstance(e, PlayerNotice) and e.player_id == pid
    )


async def test_streak_days_follow_the_community_zone_with_freezes_and_a_break(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_campaign(store, items=30, max_overlap=3)
    await consented(engine, player(1, GENERAL))  # home community: the guild
    (guild,) = await store.list_communities()
    await store.update_community(guild.id, timezone="Asia/Tokyo")
    ident = await store.get_identity("discord", "u1")
    assert ident is not None
    events: list[object] = []
    engine.bus.subscribe(events.append)
    me = player(1, DM)

    for day in range(1, 8):  # 23:30 in Tokyo: 14:30 UTC, the same UTC date
        clock.set(tokyo(day, 23) + 1800)
        await answer(engine, me, clock)
    clock.set(tokyo(8, 0) + 1800)  # 00:30 in Tokyo, still January 7 in UTC: a new day here
    await answer(engine, me, clock)
    told = notices(events, ident.player_id)
    assert "7 days in a row: earned a streak freeze (1 in stock)" in told
    assert "🔥 Warming Up" in told and "📅 Week Warrior" in told

    clock.set(tokyo(10, 12))  # January 9 missed: the freeze saves the streak
    await answer(engine, me, clock)
    clock.set(tokyo(14, 12))  # 11 to 13 missed, no freeze left: it breaks
    await answer(engine, me, clock)
    told = notices(events, ident.player_id)
    assert "used a streak freeze for 2026-01-09 (0 left)" in told
    assert "your 9-day streak ended: missed 2026-01-11 to 2026-01-13 (3 days)" in told

    text = (await engine.rewards.streak(me)).text
    assert text.startswith("🔥 1-day streak, today done")
    assert "Best streak: 9 days" in text and "midnight, Asia/Tokyo time" in text
    assert "What happened:" in text and "2026-01-14 · streak started: day 1" in text


async def test_a_badge_added_later_is_awarded_once_at_the_next_start(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_campaign(store, items=10, max_overlap=3)
    await consented(engine, player(1), player(2))
    for _ in range(3):
        await answer(engine, player(1), clock)
    await answer(engine, player(2), clock)
    # this engine never started: the first start builds the rollup from the ledger
    assert await engine.reward_jobs.start_rewards() == 0  # and finds nothing new in the config
    board = (await engine.boards.leaderboard(player(2), "global")).text.splitlines()
    # 10 per answer; player 2 agreed with player 1 on an item, finalized: +9 each
    assert board == ["🏆 Everyone · all time", "🥇 Player1 — 39", "🥈 Player2 — 19 ← you"]

    base = settings_for(":memory:")
    extra = {
        "id": "three_answers",
        "name": "Hat Trick",
        "emoji": "🎩",
        "description": "Answer 3 tasks.",
        "rule": "answers >= 3",
    }
    later = dataclasses.replace(base, badges=[*base.badges, extra])
    again = Engine(store, later, clock)
    try:
        events: list[object] = []
        again.bus.subscribe(events.append)
        assert await again.reward_jobs.start_rewards() == 1
        assert events == []  # held back until the adapters listen
        again.reward_jobs.publish_pending()
        ident = await store.get_identity("discord", "u1")
        assert ident is not None
        assert notices(events, ident.player_id) == "🏅 New badge: 🎩 Hat Trick — Answer 3 tasks."
        assert len(events) == 1  # player 2 has one answer: not earned
        assert "🎩 Hat Trick" in (await again.rewards.badges(player(1))).text
        assert await again.reward_jobs.start_rewards() == 0  # awarded once
    finally:
        await again.close()


async def test_a_bonus_settled_in_someone_elses_batch_counts_once_for_levels(
    store: SqlStore, clock: ManualClock
) -> None:
    """Ann's consensus bonus is paid in the batch of the answer that finalizes her item, where
    she does not answer: her level must see her true total, not the bonus twice."""
    from tests.support.engine import vote_round

    settings = settings_for(":memory:", rewards={"level_thresholds": [0, 25, 10_000]})
    engine = Engine(store, settings, clock)
    try:
        await seed_campaign(store, game="classify", items=3, min_overlap=2, max_overlap=3)
        events: list[object] = []
        engine.bus.subscribe(events.append)
        await vote_round(engine, clock, ["red", "red"], first=1)  # Bob's vote finalizes
        ident = await store.get_identity("discord", "u1")
        assert ident is not None
        snap = await store.reward_snapshot(ident.player_id)
        assert snap is not None and 10 < snap.points < 25  # base + a bonus under 10
        assert snap.rewards.level == 1
        assert "⬆️ Level" not in notices(events, ident.player_id)
    finally:
        await engine.close()


async def test_the_start_up_rebuild_shows_the_boards_the_answers_built_in_the_zones(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    """The rollup rebuilt at the first start from the ledger shows every board exactly as the
    answer batches had kept it: the community's week and day in Tokyo (already Monday there),
    the global boards in the default zone (still Sunday), a hidden player on none of them."""
    await seed_campaign(store, items=12, max_overlap=3)
    await consented(
        engine, player(1, GENERAL), player(2, GENERAL), player(3, GENERAL), player(4, GENERAL)
    )
    (guild,) = await store.list_communities()
    await store.update_community(guild.id, timezone="Asia/Tokyo")
    await engine.players.privacy(player(4, GENERAL), hide=True)
    plan = [
        (1, tokyo(2, 12)),
        (1, tokyo(4, 23) + 1800),
        (2, tokyo(5, 0) + 1800),
        (2, tokyo(5, 7)),
        (3, tokyo(5, 7) + 1800),
        (4, tokyo(5, 7) + 2400),
    ]
    for who, at in plan:
        clock.set(at)
        await answer(engine, player(who, GENERAL), clock)
    clock.set(tokyo(5, 8))  # Monday 08:00 in Tokyo, Sunday 23:00 UTC

    async def boards() -> dict[tuple[str, str], list[str]]:
        return {
            (scope, window): (
                await engine.boards.leaderboard(player(1, GENERAL), scope, window, "colours")
            ).text.splitlines()
            for scope in ("community", "global", "campaign")
            for window in ("all", "week", "today")
        }

    kept = await boards()
    assert await engine.reward_jobs.start_rewards() == 0  # builds the rollup from the ledger
    assert await boards() == kept
    # Tokyo's new week and day hold player 1's two consensus bonuses (+9 each: /play showed
    # them the task they held, which player 2 answered too) only; in UTC it is still the week
    # and day of their Sunday answer; player 4 is hidden
    assert (
        kept[("community", "week")][1:]
        == kept[("community", "today")][1:]
        == ["🥇 Player2 — 38", "🥈 Player3 — 19", "🥉 Player1 — 18 ← you"]
    )
    assert (
        kept[("global", "week")][1:]
        == kept[("global", "all")][1:]
        == ["🥇 Player1 — 38 ← you", "🥇 Player2 — 38", "🥉 Player3 — 19"]
    )
    assert (
        kept[("global", "today")][1:]
        == kept[("campaign", "today")][1:]
        == ["🥇 Player2 — 38", "🥈 Player1 — 28 ← you", "🥉 Player3 — 19"]
    )
