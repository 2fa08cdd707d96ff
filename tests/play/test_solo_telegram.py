"""Solo sessions in the private chat: a card, an answer, the card replaced, the next card."""

from __future__ import annotations

import pytest

from tests.support.telegram_world import World, button, shown


@pytest.mark.parametrize(
    ("game", "text_items", "question", "first_label"),
    [
        ("verify", False, "Is this red?", "Yes"),
        ("classify", False, "Which colour is it?", "red"),
        ("classify", True, "The colour of item", "green"),
    ],
)
async def test_solo_session_card_answer_next_card(
    world: World, game: str, text_items: bool, question: str, first_label: str
) -> None:
    await world.start()
    await world.campaign(game=game, text_items=text_items)
    ann = world.person(42, "Ann")
    await world.consented(ann)
    method = "sendMessage" if text_items else "sendPhoto"
    edit = "editMessageText" if text_items else "editMessageCaption"

    await world.fake.send_command(ann["id"], ann, "/play")
    card = await world.sent(ann["id"], method, text=question)
    labels = [label for row in card.buttons() for label, _ in row]
    assert first_label in labels and labels[-1] == "Skip ⏭"
    if not text_items:
        assert card.image().size == (48, 48)  # the picture, with the question as caption

    world.clock.advance(5)
    toast = await world.press(ann, ann, card, first_label)
    assert toast.text is None  # private chat: the card itself shows the feedback
    done = await world.edited(ann["id"], card.message_id, "Your answer", edit)
    assert "Vote recorded" in shown(done) and done.buttons() == []
    nxt = await world.sent(ann["id"], method, text=question)
    assert nxt.message_id > card.message_id and nxt.buttons()
    assert await world.count("answers") == 1


async def test_skip_replaces_the_card_and_serves_another(world: World) -> None:
    await world.start()
    await world.campaign(game="classify", text_items=True)
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await world.fake.send_command(ann["id"], ann, "/play")
    card = await world.sent(ann["id"], text="Which colour")
    await world.press(ann, ann, card, "Skip ⏭")
    await world.edited(ann["id"], card.message_id, "Skipped")
    await world.sent(ann["id"], text="Which colour")
    assert await world.count("answers") == 0


async def test_double_press_on_a_solo_card_stores_one_answer(world: World) -> None:
    await world.start()
    await world.campaign(game="classify", text_items=True)
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await world.fake.send_command(ann["id"], ann, "/play")
    card = await world.sent(ann["id"], text="Which colour")
    data = button(card, "red")
    first = await world.fake.press(ann, ann, card.message_id, data)
    second = await world.fake.press(ann, ann, card.message_id, data)  # before any answer
    assert (await world.fake.wait_for_answer(first)).text is None
    assert "already answered" in ((await world.fake.wait_for_answer(second)).text or "")
    assert await world.count("answers") == 1


async def test_uploaded_pictures_are_resent_by_file_id(world: World) -> None:
    await world.start()
    await world.campaign(items=1)
    ann, bob = world.person(42, "Ann"), world.person(43, "Bob")
    calls = []
    for user in (ann, bob):
        await world.consented(user)
        await world.fake.send_command(user["id"], user, "/play")
        await world.sent(user["id"], "sendPhoto")  # one after the other
        calls.append(
            next(
                c
                for c in world.fake.calls
                if c.method == "sendPhoto" and c.params["chat_id"] == user["id"]
            )
        )
    first, second = calls
    assert "photo" in first.files  # uploaded once...
    assert second.files == {}  # ...then sent by Telegram's file_id
    assert second.params["photo"] == first.result["photo"][-1]["file_id"]


async def test_play_in_a_group_points_to_the_private_chat(world: World) -> None:
    await world.start()
    await world.campaign(game="classify", text_items=True)
    ann = world.person(42, "Ann")
    group = world.group()
    await world.consented(ann)
    await world.fake.send_command(group, ann, "/play")
    pointer = await world.sent(group["id"], text="private chat")
    assert pointer.buttons() == [[("Open private chat", "https://t.me/TestBot?start=play")]]

    await world.fake.send_command(ann["id"], ann, "/start", "play")
    card = await world.sent(ann["id"], text="Which colour")
    assert card.buttons()
    assert await world.count("rounds") == 1  # /play in the group served nothing there


async def test_no_task_left_is_said_plainly(world: World) -> None:
    await world.start()
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await world.fake.send_command(ann["id"], ann, "/play")
    await world.sent(ann["id"], text="No tasks for you right now")


async def test_play_button_in_a_group_deals_the_card_privately(world: World) -> None:
    await world.start()
    await world.campaign(game="classify", text_items=True)
    ann = world.person(42, "Ann")
    stranger = world.fake.user(44, "Sam")  # never opened a private chat with the bot
    group = world.group()
    for user in (ann, stranger):
        await world.consented(user, group)
    await world.fake.send_command(group, ann, "/start")
    welcome = await world.sent(group["id"], text="Welcome back")

    toast = await world.press(group, ann, welcome, "▶ Play")
    assert toast.text == "I sent it to our private chat."
    card = await world.sent(ann["id"], text="Which colour")
    assert card.buttons()

    toast = await world.press(group, stranger, welcome, "▶ Play")
    assert toast.url == "https://t.me/TestBot?start=play"
    assert len(world.fake.bot_messages(group["id"])) == 1  # no card in the group
