"""Hole 9 (issue 12) on Discord, through discord.py against the fake: /round in a channel
stops at the per-channel cap with a refusal naming it, and /play again shows the task the
player already holds instead of locking another item."""

from __future__ import annotations

from bot.app import App
from tests.support.discord_world import World, round_of, shown
from tests.support.seeds import seed_campaign


async def test_round_stops_at_the_channel_cap(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="classify", items=10)
    for _ in range(3):
        await world.post_round()
    ix = await world.slash(world.mo, "round")
    assert ix.ephemeral and "already has 3 open rounds" in shown(ix.original)
    assert len(world.fake.channel_messages(world.channel)) == 3


async def test_play_again_shows_the_held_task(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="classify", items=6)
    await world.consent(world.ann)
    first = (await world.slash(world.ann, "play")).original
    assert first is not None
    for _ in range(3):
        again = (await world.slash(world.ann, "play")).original
        assert again is not None and again.id != first.id
        assert round_of(again) == round_of(first) and shown(again) == shown(first)
