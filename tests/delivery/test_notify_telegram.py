"""Engine events that are not answers to anyone: posts to a group, notices to a player."""

from __future__ import annotations

from bot.core.kernel.events import ChannelPost, PlayerNotice
from bot.core.kernel.models import Reply
from tests.support.telegram_world import World


async def test_channel_posts_and_player_notices_are_delivered(world: World) -> None:
    await world.start()
    ann = world.person(42, "Ann")
    group = world.group()
    await world.consented(ann)
    ident = await world.store.get_identity("telegram", "42")
    assert ident is not None

    world.engine.bus.publish(ChannelPost("telegram", str(group["id"]), Reply("📣 Round at 18:00")))
    world.engine.bus.publish(ChannelPost("discord", "123", Reply("not for Telegram")))
    world.engine.bus.publish(PlayerNotice(ident.player_id, Reply("🏅 New badge: First steps")))
    await world.sent(group["id"], text="Round at 18:00")
    await world.sent(ann["id"], text="New badge")
    assert [m.text for m in world.fake.bot_messages(group["id"])] == ["📣 Round at 18:00"]
