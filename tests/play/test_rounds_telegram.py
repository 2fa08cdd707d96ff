"""Group rounds: buttons in the group, private toasts, one message edited in place."""

from __future__ import annotations

from typing import Any

from storage import open_store
from tests.support.fakes.telegram.payloads import JSONDict
from tests.support.telegram_world import World, button, shown


async def post_round(world: World, **campaign: Any) -> tuple[JSONDict, JSONDict, int]:
    """A group with a moderator, a campaign, and a round posted with /round."""
    await world.campaign(**campaign)
    mod = world.person(7, "Mo")
    group = world.group()
    world.fake.set_admins(group, mod)
    await world.fake.send_command(group, mod, "/round")
    return group, mod, group["id"]


async def test_round_tally_is_edited_in_place_at_most_once_a_second(world: World) -> None:
    await world.start(edit_interval=1.0)  # the real flood rule: this test waits ~2 s
    group, _mod, chat = await post_round(world)
    card = await world.sent(chat, "sendPhoto", text="Is this red?")
    assert "0 players have answered" in shown(card)
    players = [world.person(100 + i, f"P{i}") for i in range(3)]
    for p in players:
        await world.consented(p, group)

    world.clock.advance(5)
    labels = ["Yes", "No", "Yes"]
    queries = [
        await world.fake.press(group, p, card.message_id, button(card, label))
        for p, label in zip(players, labels, strict=True)
    ]
    for q in queries:
        toast = await world.fake.wait_for_answer(q)
        assert toast.text and "Vote recorded" in toast.text  # private to the presser
    now = await world.edited(
        chat, card.message_id, "3 players have answered", "editMessageCaption"
    )
    assert "Yes" not in shown(now).split("answered")[-1]  # votes stay hidden while open
    assert [label for label, _ in now.buttons()[0]] == ["Yes", "No", "Not sure"]
    assert len(world.fake.bot_messages(chat)) == 1  # nothing else was posted in the group

    world.clock.advance(world.engine.settings.game.round_seconds + 1)
    assert await world.engine.tick() == 1
    closed = await world.edited(chat, card.message_id, "Round closed", "editMessageCaption")
    assert "Votes: Yes 2 · No 1 · Not sure 0" in shown(closed)
    assert closed.buttons() == []
    assert closed.image().size == (48, 48)  # the picture stays
    assert world.fake.max_edits_within(chat, 1.0) <= 1


async def test_a_late_press_after_closing_is_refused(world: World) -> None:
    await world.start()
    group, _mod, chat = await post_round(world, game="classify", text_items=True)
    card = await world.sent(chat, text="Round")
    ann = world.person(42, "Ann")
    await world.consented(ann, group)
    data = button(card, "red")  # the old keyboard, still on a slow client
    world.clock.advance(world.engine.settings.game.round_seconds + 1)
    await world.engine.tick()
    await world.edited(chat, card.message_id, "Round closed")
    query = await world.fake.press(group, ann, card.message_id, data, check=False)
    assert "closed" in ((await world.fake.wait_for_answer(query)).text or "")
    assert await world.count("answers") == 0


async def test_double_press_in_a_group_stores_one_answer(world: World) -> None:
    await world.start()
    group, _mod, chat = await post_round(world, game="classify", text_items=True)
    card = await world.sent(chat, text="Round")
    ann = world.person(42, "Ann")
    await world.consented(ann, group)
    data = button(card, "blue")
    first = await world.fake.press(group, ann, card.message_id, data)
    second = await world.fake.press(group, ann, card.message_id, data)
    assert "Vote recorded" in ((await world.fake.wait_for_answer(first)).text or "")
    assert "already answered" in ((await world.fake.wait_for_answer(second)).text or "")
    assert await world.count("answers") == 1
    await world.edited(chat, card.message_id, "1 player has answered")


async def test_non_moderator_round_is_refused_plainly(world: World) -> None:
    await world.start()
    await world.campaign()
    mod, bob = world.person(7, "Mo"), world.person(8, "Bob")
    group = world.group()
    world.fake.set_admins(group, mod)
    await world.fake.send_command(group, bob, "/round")
    refusal = await world.sent(group["id"], text="Only moderators")
    assert refusal.buttons() == []
    assert await world.count("rounds") == 0
    assert not any(c.method == "sendPhoto" for c in world.fake.calls)


async def test_round_in_a_private_chat_is_refused(world: World) -> None:
    await world.start()
    await world.campaign()
    bob = world.person(8, "Bob")
    await world.fake.send_command(bob["id"], bob, "/round")
    await world.sent(bob["id"], text="moderators")
    assert await world.count("rounds") == 0


async def test_restart_mid_round_keeps_the_old_buttons_working(world: World) -> None:
    await world.start()
    group, _mod, chat = await post_round(world, game="classify", text_items=True)
    card = await world.sent(chat, text="Round")
    ann, bob = world.person(42, "Ann"), world.person(43, "Bob")
    for p in (ann, bob):
        await world.consented(p, group)
    await world.press(group, ann, card, "red")
    await world.edited(chat, card.message_id, "1 player has answered")

    await world.restart()
    toast = await world.press(group, bob, card, "green")  # a button from before the restart
    assert toast.text and "Vote recorded" in toast.text
    await world.edited(chat, card.message_id, "2 players have answered")
    assert await world.count("answers") == 2
    world.clock.advance(world.engine.settings.game.round_seconds + 1)
    await world.engine.tick()
    closed = await world.edited(chat, card.message_id, "Round closed")
    assert "red 1 · green 1 · blue 0" in shown(closed)


async def test_stopping_finishes_the_answers_in_hand(world: World) -> None:
    await world.start()
    group, _mod, chat = await post_round(world, game="classify", text_items=True)
    card = await world.sent(chat, text="Round")
    players = [world.person(100 + i, f"P{i}") for i in range(5)]
    for p in players:
        await world.consented(p, group)
    queries = {
        await world.fake.press(group, p, card.message_id, button(card, "red")) for p in players
    }

    last = max(u["update_id"] for u in world.fake.pending_updates)
    # PTB asks for more only once the batch is in its queue: the presses are in hand now
    await world.fake.wait_for_call(
        "getUpdates", lambda c: int(c.params.get("offset") or 0) > last, include_consumed=True
    )
    await world.stop()  # at once: the presses are still being handled
    assert queries <= set(world.fake.callback_answers)  # everyone got their toast
    store = await open_store(world.db)
    try:
        assert len(await store.round_answers(1)) == 5
    finally:
        await store.close()
    assert "5 players have answered" in shown(world.fake.message(chat, card.message_id))
