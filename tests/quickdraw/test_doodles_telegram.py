"""Quick-draw on Telegram, end to end through the fake (privacy mode on): a group round with
replies and /guess, private feedback, the card edited in place; a solo series in private."""

from __future__ import annotations

from bot.core.quickdraw.cards import ATTRIBUTION
from tests.support.doodles import doodle_campaign
from tests.support.fakes.telegram.payloads import JSONDict
from tests.support.telegram_world import World, shown


async def _round(tg: World, words: tuple[str, ...] = ("cat",)) -> tuple[JSONDict, int]:
    await tg.start()
    await doodle_campaign(tg.store, words, now=tg.clock.now())
    mod = tg.person(7, "Mo")
    group = tg.group()
    tg.fake.set_admins(group, mod)
    await tg.fake.send_command(group, mod, "/round")
    return group, group["id"]


async def test_a_doodle_round_in_a_group(tg: World) -> None:
    assert tg.fake.privacy_mode  # as bots ship: commands and replies to the bot only
    group, chat = await _round(tg)
    card = await tg.sent(chat, "sendAnimation", text="Quick, Draw! round")
    text = shown(card)
    assert "🔤 _ _ _" in text and ATTRIBUTION in text and "cat" not in text.lower()
    assert "Reply to this doodle" in text
    ann, bob, cy = tg.person(100, "Ann"), tg.person(101, "Bob"), tg.person(102, "Cy")
    for p in (ann, bob, cy):
        await tg.consented(p, group)

    toast = await tg.press(group, ann, card, "Guess ✏️")
    assert toast.text and "Reply to the doodle" in toast.text

    tg.clock.advance(5)
    await tg.fake.send_text(group, ann, "cta", reply_to=card.message_id)
    close = await tg.sent(ann["id"], text="So close")
    assert "cta" in shown(close)
    await tg.fake.send_command(group, bob, "/guess", "Kitty")
    right = await tg.sent(bob["id"], text="Yes, it's cat")
    assert "+" in shown(right) and "1st right guess" in shown(right)
    await tg.edited(chat, card.message_id, "Got it: 1 player", "editMessageCaption")

    tg.clock.advance(3)
    await tg.fake.send_text(group, ann, "cat", reply_to=card.message_id)
    await tg.sent(ann["id"], text="2nd right guess")
    await tg.fake.send_command(group, cy, "/guess", "cat")
    await tg.sent(cy["id"], text="3rd right guess")
    closed = await tg.edited(chat, card.message_id, "The word was: cat", "editMessageCaption")
    assert "🥇 Bob · 5.0 s" in shown(closed) and closed.buttons() == []
    assert len(tg.fake.bot_messages(chat)) == 1  # the whole round was one message
    assert await tg.count("guesses") == 4 and await tg.count("answers") == 3


async def test_hints_are_edited_in_and_a_late_guess_is_told_the_round_closed(tg: World) -> None:
    group, chat = await _round(tg, ("house",))
    card = await tg.sent(chat, "sendAnimation", text="Quick, Draw! round")
    ann = tg.person(100, "Ann")
    await tg.consented(ann, group)
    tg.clock.advance(21)
    await tg.engine.tick()
    await tg.edited(chat, card.message_id, "1 of 2 hints shown", "editMessageCaption")
    tg.clock.advance(40)
    await tg.engine.tick()
    await tg.edited(chat, card.message_id, "Nobody got it", "editMessageCaption")
    await tg.fake.send_text(group, ann, "house", reply_to=card.message_id)
    await tg.sent(ann["id"], text="has closed")


async def test_guesses_outside_a_round_and_from_strangers(tg: World) -> None:
    await tg.start()
    group = tg.group()
    ann, sam = tg.person(100, "Ann"), tg.person(101, "Sam")
    await tg.consented(ann, group)
    await tg.fake.send_command(group, ann, "/guess", "cat")
    await tg.sent(ann["id"], text="No doodle round is running here")
    await doodle_campaign(tg.store, ("cat",), now=tg.clock.now())
    mod = tg.person(7, "Mo")
    tg.fake.set_admins(group, mod)
    await tg.fake.send_command(group, mod, "/round")
    await tg.sent(group["id"], "sendAnimation", text="Quick, Draw! round")
    await tg.fake.send_command(group, sam, "/guess", "cat")
    refusal = await tg.sent(group["id"], text="accept what I store first")
    assert refusal.buttons()[0][0][0] == "Open private chat"
    await tg.fake.send_text(group, sam, "ok, how?", reply_to=refusal.message_id)  # no guess
    await tg.fake.send_command(group, sam, "/guess", "cat")
    await tg.sent(group["id"], text="accept what I store first")  # the second refusal
    assert len(tg.fake.bot_messages(group["id"])) == 3  # card + two refusals, nothing else


async def test_a_solo_series_in_the_private_chat(tg: World) -> None:
    await tg.start()
    await doodle_campaign(tg.store, ("fish",), now=tg.clock.now())
    ann = tg.person(100, "Ann")
    await tg.consented(ann)
    group = tg.group()
    await tg.fake.send_command(group, ann, "/doodle")
    link = await tg.sent(group["id"], text="private chat")
    assert "start=doodle" in str(link.payload["reply_markup"])
    await tg.fake.send_command(ann["id"], ann, "/start", "doodle")
    card = await tg.sent(ann["id"], "sendAnimation", text="Doodle 1 of 6")
    tg.clock.advance(2)
    toast = await tg.press(ann["id"], ann, card, "fish")
    assert toast.text and "✅ fish!" in toast.text
    await tg.edited(ann["id"], card.message_id, "✅ fish!", "editMessageCaption")
    await tg.sent(ann["id"], text="No doodles left")
