"""Multilabel through the real python-telegram-bot client against the fake: the toggles edit
the same card in place and show their state, Done stores the selection once, a second Done is
"already answered", a forged mask is refused with nothing stored; a group round takes it too."""

from __future__ import annotations

from tests.support.fakes.telegram import FakeMessage
from tests.support.fakes.telegram.payloads import JSONDict
from tests.support.telegram_world import World, button, shown

ATTRS = ["red", "green", "blue"]


def labels(message: FakeMessage) -> list[str]:
    return [label for row in message.buttons() for label, _ in row]


async def _toggle(
    world: World, chat: JSONDict, user: JSONDict, card: FakeMessage, label: str
) -> FakeMessage:
    """Press a toggle; the same message, once its keyboard shows the new state."""
    now = label.replace("☐", "☑") if "☐" in label else label.replace("☑", "☐")
    await world.press(chat, user, card, label)
    await world.fake.wait_for_call(
        "editMessageCaption",
        lambda c: (
            c.ok
            and c.params.get("message_id") == card.message_id
            and now in str(c.params.get("reply_markup"))
        ),
        include_consumed=True,
    )
    return world.fake.message(card.chat_id, card.message_id)


async def test_toggles_edit_in_place_and_done_stores_once(world: World) -> None:
    await world.start()
    await world.campaign(game="multilabel", options=ATTRS, items=2)
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await world.fake.send_command(ann["id"], ann, "/play")
    card = await world.sent(ann["id"], "sendPhoto", text="Which colour")
    assert labels(card) == ["☐ red", "☐ green", "☐ blue", "☐ None of these", "Done ✅", "Skip ⏭"]
    card = await _toggle(world, ann, ann, card, "☐ red")
    card = await _toggle(world, ann, ann, card, "☐ blue")
    assert labels(card)[:4] == ["☑ red", "☐ green", "☑ blue", "☐ None of these"]
    assert card.image().size == (48, 48)  # the same message, still with its picture

    done = button(card, "Done ✅")
    world.clock.advance(5)
    first = await world.fake.press(ann, ann, card.message_id, done)
    second = await world.fake.press(ann, ann, card.message_id, done)  # a double click
    await world.fake.wait_for_answer(first)
    assert "already answered" in ((await world.fake.wait_for_answer(second)).text or "")
    replaced = await world.edited(ann["id"], card.message_id, "Your answer", "editMessageCaption")
    assert "Your answer: red, blue" in shown(replaced)
    assert await world.count("answers") == 1
    async with world.store.db.read() as conn:
        assert await conn.fetchval("SELECT label FROM answers") == "red|blue"


async def test_a_forged_mask_is_refused_and_nothing_stored(world: World) -> None:
    await world.start()
    await world.campaign(game="multilabel", options=ATTRS, items=1)
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await world.fake.send_command(ann["id"], ann, "/play")
    card = await world.sent(ann["id"], "sendPhoto", text="Which colour")
    round_part = button(card, "☐ red").split(":")[2]
    forged = f"v1:l:{round_part}:9:4"  # "None of these" together with red, then Done
    query = await world.fake.press(ann, ann, card.message_id, forged, check=False)
    assert "does not match" in ((await world.fake.wait_for_answer(query)).text or "")
    assert await world.count("answers") == 0


async def test_a_group_round_takes_a_selection(world: World) -> None:
    await world.start()
    await world.campaign(game="multilabel", options=ATTRS, items=2)
    group, mo, bob = world.group(), world.person(7, "Mo"), world.person(43, "Bob")
    world.fake.set_admins(group, mo)
    await world.consented(bob, group)
    await world.fake.send_command(group, mo, "/round")
    card = await world.sent(group["id"], "sendPhoto", text="Which colour")
    card = await _toggle(world, group, bob, card, "☐ green")
    world.clock.advance(5)
    toast = await world.press(group, bob, card, "Done ✅")
    assert toast.text and "Vote recorded" in toast.text
    await world.edited(group["id"], card.message_id, "1 player has answered", "editMessageCaption")
    async with world.store.db.read() as conn:
        assert await conn.fetchval("SELECT label FROM answers") == "green"


async def test_the_selection_survives_a_restart(world: World) -> None:
    await world.start()
    await world.campaign(game="multilabel", options=ATTRS, items=1)
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await world.fake.send_command(ann["id"], ann, "/play")
    card = await world.sent(ann["id"], "sendPhoto", text="Which colour")
    card = await _toggle(world, ann, ann, card, "☐ green")
    await world.restart()  # nothing of the selection was in the old process's memory
    card = await _toggle(world, ann, ann, card, "☐ red")
    assert labels(card)[:3] == ["☑ red", "☑ green", "☐ blue"]
    world.clock.advance(5)
    await world.press(ann, ann, card, "Done ✅")
    await world.edited(ann["id"], card.message_id, "Your answer: red, green", "editMessageCaption")
