"""Hole 9 (issue 12): items locked away. A channel holds at most `[game]
max_open_rounds_per_channel` open rounds (decided by the database, for every game and for
scheduled rounds), and a player holds one open solo reservation per campaign, reused by the
next /play. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import LabelQuestError
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef
from storage import SqlStore
from storage.store_campaigns import NewSchedule
from tests.support.doodles import doodle_campaign
from tests.support.engine import GENERAL, consented, group_ref, player
from tests.support.seeds import seed_campaign

MOD = player(90, GENERAL, moderator=True)
OTHER = ChannelRef("discord", "c2", "other", Kind.GROUP, CommunityRef("discord", "g1", "Shape"))


async def _open_rounds(store: SqlStore) -> int:
    async with store.db.read() as c:
        value = await c.fetchval("SELECT COUNT(*) FROM rounds WHERE status = 'open'")
    return int(value or 0)


async def test_a_channel_holds_at_most_the_cap_of_open_rounds(
    engine: Engine, store: SqlStore
) -> None:
    await seed_campaign(store, items=20)
    assert engine.settings.game.max_open_rounds_per_channel == 3
    cards = [await engine.play.post_round(MOD) for _ in range(3)]
    with pytest.raises(LabelQuestError, match="3 open rounds") as refused:
        await engine.play.post_round(MOD)
    assert "/round" not in refused.value.message or "close" in refused.value.message
    assert await _open_rounds(store) == 3  # nothing written by the refusal
    # another channel has its own cap; a closed round frees a place
    await engine.play.post_round(PlayerRef("discord", "u90", "Mo", OTHER, True))
    assert cards[0].round_id is not None
    await engine.play.close_round(cards[0].round_id)
    await engine.play.post_round(MOD)
    assert await _open_rounds(store) == 4


async def test_twenty_rounds_cannot_exhaust_a_campaign(engine: Engine, store: SqlStore) -> None:
    await seed_campaign(store, items=20)
    for _ in range(20):
        with contextlib.suppress(LabelQuestError):
            await engine.play.post_round(MOD)
    assert await _open_rounds(store) == 3
    solo = player(1)
    await consented(engine, solo)
    card = await engine.play.next_task(solo)
    assert card.round_id is not None  # items are still there for everyone else


async def test_racing_opens_respect_the_cap_in_the_database(
    engine: Engine, store: SqlStore
) -> None:
    campaign = await seed_campaign(store, items=20)
    channel = await engine.kernel.channel(GENERAL)
    opened = await asyncio.gather(
        *(
            store.open_round(
                campaign.id,
                item,
                mode="channel",
                channel_id=channel.id,
                player_id=None,
                platform="discord",
                now=1.0,
                closes_at=100.0,
                max_open_in_channel=3,
            )
            for item in range(1, 9)
        )
    )
    assert sum(r is not None for r in opened) == 3
    assert await _open_rounds(store) == 3


async def test_doodle_rounds_share_the_cap(engine: Engine, store: SqlStore) -> None:
    await seed_campaign(store, items=5)
    await doodle_campaign(store, ("cat", "star", "sun"))
    for _ in range(3):
        await engine.play.post_round(MOD, "colours")
    with pytest.raises(LabelQuestError, match="3 open rounds"):
        await engine.play.post_round(MOD, "Doodles")
    assert await _open_rounds(store) == 3


async def test_scheduled_rounds_obey_the_cap(
    engine: Engine, store: SqlStore, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    campaign = await seed_campaign(store, items=10)
    mod = group_ref()
    for i in range(3):
        card = await engine.play.post_round(mod)
        assert card.round_id is not None
        await engine.play.bind_round_message(card.round_id, f"-100123:{i}")  # posted
    channel = await store.find_channel("telegram", "-100123")
    assert channel is not None
    now = engine.kernel.now()
    await store.upsert_schedule(
        NewSchedule(campaign.id, channel.id, 10, 0, 0, 0, frozenset(), now, "telegram:7"), now
    )
    with caplog.at_level(logging.INFO, logger="bot.core.campaigns.jobs"):
        assert await engine.tick() == 0
    assert await _open_rounds(store) == 3
    assert any("open rounds" in r.getMessage() for r in caplog.records)


async def test_play_again_reuses_the_open_reservation(engine: Engine, store: SqlStore) -> None:
    campaign = await seed_campaign(store, items=6, min_overlap=2, max_overlap=3)
    p = player(1)
    await consented(engine, p)
    first = await engine.play.next_task(p)
    for _ in range(5):
        again = await engine.play.next_task(p)
        assert again.round_id == first.round_id and again.text == first.text
    assert await _open_rounds(store) == 1
    tallies = await store.campaign_tallies(campaign.id)
    assert sum(t.pending for t in tallies) == 1  # one item held, not six


async def test_racing_reservations_of_one_player_make_one_round(
    engine: Engine, store: SqlStore
) -> None:
    campaign = await seed_campaign(store, items=6, min_overlap=2, max_overlap=3)
    p = player(1)
    await consented(engine, p)
    pid = await engine.kernel.require_player(p)
    got = await asyncio.gather(
        *(
            store.reserve_solo_item(campaign.id, pid, gold=False, platform="discord", now=1.0)
            for _ in range(6)
        )
    )
    assert len({r.id for r in got if r is not None}) == 1
    assert await _open_rounds(store) == 1
    assert sum(t.pending for t in await store.campaign_tallies(campaign.id)) == 1
