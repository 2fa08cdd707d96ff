"""Hole 9 (issue 12) on Telegram, through python-telegram-bot against the fake: /round in a
group stops at the per-channel cap with a refusal naming it, and /play again shows the task
the player already holds instead of locking another item."""

from __future__ import annotations

from tests.support.telegram_world import World, button


async def test_round_stops_at_the_channel_cap(world: World) -> None:
    await world.start()
    await world.campaign(game="classify", text_items=True, items=10)
    mod = world.person(7, "Mo")
    group = world.group()
    world.fake.set_admins(group, mod)
    for _ in range(3):
        await world.fake.send_command(group, mod, "/round")
        await world.sent(group["id"], text="Round")
    await world.fake.send_command(group, mod, "/round")
    refusal = await world.sent(group["id"], text="open rounds")
    assert "already has 3 open rounds" in (refusal.text or "")
    assert await world.count("rounds") == 3


async def test_play_again_shows_the_held_task(world: World) -> None:
    await world.start()
    await world.campaign(game="classify", text_items=True, items=6)
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await world.fake.send_command(ann["id"], ann, "/play")
    first = await world.sent(ann["id"], text="Which colour")
    for _ in range(3):
        await world.fake.send_command(ann["id"], ann, "/play")
        again = await world.sent(ann["id"], text="Which colour")
        assert again.message_id != first.message_id  # a fresh message ...
        assert button(again, "red") == button(first, "red")  # ... for the same round
        assert again.text == first.text
    assert await world.count("rounds") == 1
