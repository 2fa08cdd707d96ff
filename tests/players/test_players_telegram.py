"""Profile, leaderboards, my data, privacy and forget-me, through the Telegram chats."""

from __future__ import annotations

import io
import json

from PIL import Image

from tests.support.fakes.telegram.payloads import FakeMessage, JSONDict
from tests.support.telegram_world import World, shown


async def answer_one(world: World, user: JSONDict) -> None:
    await world.fake.send_command(user["id"], user, "/play")
    card = await world.sent(user["id"], text="Which colour")
    world.clock.advance(5)
    await world.press(user, user, card, "red")
    await world.sent(user["id"], text="Which colour")


def picture(message: FakeMessage) -> Image.Image:
    """The image a photo message carries, decoded by Pillow."""
    assert message.file is not None, "expected a photo"
    image = Image.open(io.BytesIO(message.file.data))
    image.load()
    return image


async def test_profile_and_leaderboards(world: World) -> None:
    await world.start()
    await world.campaign(game="classify", text_items=True)
    ann, bob = world.person(42, "Ann"), world.person(43, "Bob")
    group = world.group()
    for user in (ann, bob):
        await world.consented(user, group)  # their home community is the group
    await answer_one(world, ann)

    await world.fake.send_command(ann["id"], ann, "/profile")
    card = await world.sent(ann["id"], "sendPhoto", text="👤 Ann")
    profile = shown(card)
    assert "1 answers" in profile and "Global rank #1" in profile
    assert picture(card).format == "PNG" and len(card.file.data) < 100_000  # type: ignore[union-attr]

    await world.fake.send_command(group, bob, "/top")
    board = await world.sent(group["id"], "sendPhoto", text="🏆 Labelers")
    assert "Ann" in shown(board) and board.payload["reply_to_message"]["text"] == "/top"
    assert picture(board).size[0] >= 400

    await world.fake.send_command(bob["id"], bob, "/top", "global week")
    weekly = shown(await world.sent(bob["id"], "sendPhoto", text="🏆 Everyone · this week"))
    assert "Ann" in weekly and "Bob" not in weekly


async def test_bad_leaderboard_arguments_are_named(world: World) -> None:
    await world.start()
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await world.fake.send_command(ann["id"], ann, "/top", "nosuchcampaign")
    await world.sent(ann["id"], text="no campaign named 'nosuchcampaign'")


async def test_forget_me_deletes_everything(world: World) -> None:
    await world.start()
    await world.campaign(game="classify", text_items=True)
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await answer_one(world, ann)
    assert await world.count("answers") == 1
    assert await world.count("board_totals") > 0 and await world.count("player_badges") > 0

    await world.fake.send_command(ann["id"], ann, "/forget")
    ask = await world.sent(ann["id"], text="This deletes everything")
    await world.press(ann, ann, ask, "🗑 Delete everything")
    done = await world.edited(ann["id"], ask.message_id, "Everything stored about you is deleted")
    assert done.buttons() == []
    tables = (
        "players",
        "identities",
        "answers",
        "consents",
        "ledger",
        "player_rewards",
        "streak_events",
        "player_badges",
        "board_totals",
    )
    for table in tables:
        assert await world.count(table) == 0, table
    async with world.store.db.read() as conn:  # the board histograms count nobody any more
        assert await conn.fetchval("SELECT COALESCE(SUM(n), 0) FROM board_hist") == 0


async def test_forget_can_be_cancelled(world: World) -> None:
    await world.start()
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await world.fake.send_command(ann["id"], ann, "/forget")
    ask = await world.sent(ann["id"], text="This deletes everything")
    await world.press(ann, ann, ask, "Cancel")
    await world.edited(ann["id"], ask.message_id, "Nothing was deleted")
    assert await world.count("players") == 1


async def test_my_data_arrives_as_a_file_in_private_only(world: World) -> None:
    await world.start()
    ann = world.person(42, "Ann")
    group = world.group()
    await world.consented(ann)
    await world.fake.send_command(group, ann, "/mydata")
    pointer = await world.sent(group["id"], text="private chat")
    assert pointer.buttons()[0][0][1] == "https://t.me/TestBot?start=mydata"
    assert not any(c.method == "sendDocument" for c in world.fake.calls)

    await world.fake.send_command(ann["id"], ann, "/start", "mydata")
    await world.sent(ann["id"], text="Your data")
    doc = await world.sent(ann["id"], "sendDocument")
    assert doc.file is not None
    data = json.loads(doc.file.data)
    assert data["identities"] == [{"platform": "telegram", "user_id": "42", "name": "Ann"}]


async def test_privacy_toggle_edits_its_own_message(world: World) -> None:
    await world.start()
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await world.fake.send_command(ann["id"], ann, "/privacy")
    panel = await world.sent(ann["id"], text="You are shown on public leaderboards")
    await world.press(ann, ann, panel, "Hide me from boards")
    now = await world.edited(ann["id"], panel.message_id, "You are hidden from")
    assert now.buttons()[0][0][0] == "Show me on boards"
