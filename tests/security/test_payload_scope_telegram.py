"""Hole 11 (issue 12) on Telegram, through python-telegram-bot against the fake: a group
round's answer payload sent from a private chat (or another group) by a non-member is
refused with a clear answer and nothing is stored."""

from __future__ import annotations

from tests.play.test_rounds_telegram import post_round
from tests.support.telegram_world import World, button


async def test_a_group_round_payload_pressed_in_a_private_chat_is_refused(world: World) -> None:
    await world.start()
    group, _mod, chat = await post_round(world, game="classify", text_items=True)
    card = await world.sent(chat, text="Round")
    data = button(card, "red")
    eve = world.person(66, "Eve")  # not in the group
    await world.consented(eve)
    await world.fake.send_command(eve, eve, "/help")  # any bot message in her private chat
    mine = await world.sent(eve["id"])
    world.clock.advance(5)
    query = await world.fake.press(eve, eve, mine.message_id, data, check=False)
    toast = (await world.fake.wait_for_answer(query)).text or ""
    assert "only in the channel where it was posted" in toast
    assert "Labelers" not in toast
    assert await world.count("answers") == 0

    # another group with a forged button: refused too
    other = world.fake.group(-100999, "Eve's group")
    await world.fake.send_command(other, eve, "/help")
    theirs = await world.sent(other["id"])
    query = await world.fake.press(other, eve, theirs.message_id, data, check=False)
    assert "only in the channel" in ((await world.fake.wait_for_answer(query)).text or "")
    assert await world.count("answers") == 0

    # the same payload in the round's own group counts
    ann = world.person(42, "Ann")
    await world.consented(ann, group)
    query = await world.fake.press(group, ann, card.message_id, data)
    assert "Vote recorded" in ((await world.fake.wait_for_answer(query)).text or "")
    assert await world.count("answers") == 1
