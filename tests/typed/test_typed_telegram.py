"""Typed answers on Telegram, end to end through the fake (privacy mode on): a solo
transcription series in the private chat (plain text, a reply, /answer), a group round
answered by replies that finalises by agreement, bad input, a second answer."""

from __future__ import annotations

from bot.delivery import MessageRef
from storage import TALLY_FINALIZED
from tests.support.doodles import doodle_campaign
from tests.support.fakes.telegram.payloads import JSONDict
from tests.support.telegram_world import World, shown
from tests.typed.seeds import seed_transcribe


async def _answers(tg: World) -> list[str]:
    async with tg.store.db.read() as conn:
        rows = await conn.fetch("SELECT label FROM answers ORDER BY id")
    return [str(r[0]) for r in rows]


async def test_a_solo_transcription_series_in_the_private_chat(tg: World) -> None:
    await tg.start()
    await seed_transcribe(tg.store, ["apple", "river", "stone"], min_overlap=1, max_overlap=1)
    ann = tg.person(42, "Ann")
    await tg.consented(ann)

    await tg.fake.send_command(ann["id"], ann, "/play")
    card = await tg.sent(ann["id"], "sendPhoto", text="What does the image say?")
    assert "Reply to this message with your answer, or send /answer" in shown(card)
    assert [label for row in card.buttons() for label, _ in row] == ["✍️ Answer", "Skip ⏭"]
    toast = await tg.press(ann, ann, card, "✍️ Answer")
    assert toast.text == "Reply to this message with your answer, or send /answer your text."

    tg.clock.advance(5)
    await tg.fake.send_text(ann["id"], ann, "  Plain  TEXT ")  # a plain message answers
    said = await tg.sent(ann["id"], text="Your answer: “plain text”")
    assert "Vote recorded" in shown(said)
    second = await tg.sent(ann["id"], "sendPhoto", text="What does the image say?")

    tg.clock.advance(5)
    await tg.fake.send_text(ann["id"], ann, "By reply", reply_to=second.message_id)
    await tg.sent(ann["id"], text="Your answer: “by reply”")
    third = await tg.sent(ann["id"], "sendPhoto", text="What does the image say?")

    tg.clock.advance(5)
    await tg.fake.send_command(ann["id"], ann, "/answer", "by command")
    await tg.sent(ann["id"], text="Your answer: “by command”")
    await tg.sent(ann["id"], text="No tasks for you right now")
    assert third.message_id > second.message_id > card.message_id
    assert sorted(await _answers(tg)) == ["by command", "by reply", "plain text"]

    await tg.fake.send_command(ann["id"], ann, "/answer")
    await tg.sent(ann["id"], text="Usage: /answer your text")
    await tg.fake.send_command(ann["id"], ann, "/answer", "more")
    await tg.sent(ann["id"], text="no task waiting for a typed answer")
    assert len(await _answers(tg)) == 3


async def test_bad_answers_get_clear_messages_and_store_nothing(tg: World) -> None:
    await tg.start()
    await seed_transcribe(tg.store, ["apple"], settings={"max_chars": 10})
    ann = tg.person(42, "Ann")
    await tg.consented(ann)
    await tg.fake.send_command(ann["id"], ann, "/play")
    card = await tg.sent(ann["id"], "sendPhoto", text="What does the image say?")
    await tg.fake.send_text(ann["id"], ann, "\u3000", reply_to=card.message_id)
    await tg.sent(ann["id"], text="Type what the image says (the answer was empty)")
    await tg.fake.send_text(ann["id"], ann, "a" * 25)
    await tg.sent(ann["id"], text="25 characters long; the limit here is 10")
    assert await _answers(tg) == []
    await tg.fake.send_text(ann["id"], ann, "Apple")
    await tg.sent(ann["id"], text="Your answer: “apple”")
    await tg.fake.send_text(ann["id"], ann, "apple again", reply_to=card.message_id)
    await tg.sent(ann["id"], text="You already answered this one")
    assert await _answers(tg) == ["apple"]


async def _group_round(tg: World) -> tuple[JSONDict, int]:
    mod = tg.person(7, "Mo")
    group = tg.group()
    tg.fake.set_admins(group, mod)
    await tg.fake.send_command(group, mod, "/round")
    return group, group["id"]


async def test_a_group_round_finalises_when_replies_agree(tg: World) -> None:
    await tg.start()
    campaign = await seed_transcribe(
        tg.store, ["good morning"], min_overlap=3, max_overlap=5, confidence=0.8
    )
    group, chat = await _group_round(tg)
    card = await tg.sent(chat, "sendPhoto", text="Round · hand")
    assert "Reply to this message" in shown(card)
    people = [tg.person(100 + i, n) for i, n in enumerate(["Ann", "Bob", "Cy"])]
    for p in people:
        await tg.consented(p, group)
    tg.clock.advance(5)
    for p, text in zip(people, ["Good Morning", "good   morning", "GOOD MORNING"], strict=True):
        await tg.fake.send_text(group, p, text, reply_to=card.message_id)
        await tg.sent(p["id"], text="Vote recorded: “good morning”")
    await tg.edited(chat, card.message_id, "3 players have answered", "editMessageCaption")
    assert "“" not in shown(tg.fake.message(chat, card.message_id))  # no answers while open
    tallies = await tg.store.campaign_tallies(campaign.id)
    assert [(t.status, t.label) for t in tallies] == [(TALLY_FINALIZED, "good morning")]

    await tg.fake.send_text(group, people[0], "good evening", reply_to=card.message_id)
    await tg.sent(people[0]["id"], text="You already answered this one")

    rnd = await tg.store.round_by_message("telegram", str(MessageRef(chat, card.message_id)))
    assert rnd is not None and rnd.status == "open"
    await tg.engine.play.close_round(rnd.id)
    closed = await tg.edited(chat, card.message_id, "Round closed", "editMessageCaption")
    assert "“good morning” 3" in shown(closed)
    assert "Crowd label final: “good morning”" in shown(closed)
    assert await _answers(tg) == ["good morning"] * 3


async def test_replies_go_to_the_round_they_reply_to_doodle_or_typed(tg: World) -> None:
    await tg.start()
    await doodle_campaign(tg.store, ("cat",), now=tg.clock.now())
    await seed_transcribe(tg.store, ["hello"], min_overlap=3)
    mod = tg.person(7, "Mo")
    group = tg.group()
    chat = group["id"]
    tg.fake.set_admins(group, mod)
    await tg.fake.send_command(group, mod, "/round", "Doodles")
    doodle = await tg.sent(chat, "sendAnimation", text="Quick, Draw! round")
    await tg.fake.send_command(group, mod, "/round", "hand")
    typed = await tg.sent(chat, "sendPhoto", text="Round · hand")
    ann = tg.person(100, "Ann")
    await tg.consented(ann, group)
    tg.clock.advance(5)
    await tg.fake.send_text(group, ann, "cat", reply_to=doodle.message_id)
    await tg.sent(ann["id"], text="Yes, it's cat")
    await tg.fake.send_text(group, ann, "Hello", reply_to=typed.message_id)
    await tg.sent(ann["id"], text="Vote recorded: “hello”")
    assert await tg.count("guesses") == 1  # the doodle guess (stored as an answer too)
    assert await _answers(tg) == ["cat", "hello"]


async def test_a_stranger_is_asked_to_consent_and_nothing_is_stored(tg: World) -> None:
    await tg.start()
    await seed_transcribe(tg.store, ["hello"])
    group, chat = await _group_round(tg)
    card = await tg.sent(chat, "sendPhoto", text="Round · hand")
    sam = tg.person(101, "Sam")
    await tg.fake.send_text(group, sam, "hello", reply_to=card.message_id)
    await tg.sent(chat, text="Please read and accept what I store first")
    await tg.fake.send_text(sam["id"], sam, "hello")  # private text from a stranger: left alone
    await tg.fake.send_command(sam["id"], sam, "/answer", "hello")
    await tg.sent(sam["id"], text="Please read and accept what I store first")
    assert await _answers(tg) == [] and await tg.count("players") == 0
