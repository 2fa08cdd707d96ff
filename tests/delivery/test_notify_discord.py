"""Engine events nobody asked for: channel posts and private notices reach Discord."""

from __future__ import annotations

from bot.app import App
from bot.core.kernel.events import ChannelPost, PlayerNotice
from bot.core.kernel.models import Reply
from tests.support.discord_world import World, shown


async def test_channel_posts_and_player_notices_are_delivered(world: World, app: App) -> None:
    assert app.engine is not None and app.store is not None
    await world.consent(world.ann)
    ident = await app.store.get_identity("discord", str(world.ann.id))
    assert ident is not None
    bus = app.engine.bus

    bus.publish(ChannelPost("discord", str(world.channel.id), Reply("📣 New campaign!")))
    bus.publish(ChannelPost("discord", str(world.channel.id), Reply("🏆 @everyone won")))
    bus.publish(ChannelPost("telegram", "-100123", Reply("not for Discord")))
    bus.publish(PlayerNotice(ident.player_id, Reply("🎉 Level 2!")))
    dm = world.fake.dm_channel(world.ann)
    await world.fake.wait_until(
        lambda: world.fake.channel_messages(world.channel) and world.fake.channel_messages(dm)
    )
    await world.fake.wait_until(lambda: len(world.fake.channel_messages(world.channel)) == 2)
    posted = [shown(m) for m in world.fake.channel_messages(world.channel)]
    assert posted == ["📣 New campaign!", "🏆 @everyone won"]
    # a name like "@everyone" in a public post must never ping anybody
    posts = [c for c in world.fake.calls if c.method == "POST" and c.path.endswith("/messages")]
    assert posts and all(c.json["allowed_mentions"]["parse"] == [] for c in posts)  # type: ignore[index,call-overload]
    assert [shown(m) for m in world.fake.channel_messages(dm)] == ["🎉 Level 2!"]
