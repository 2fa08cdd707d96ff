"""Translate on Telegram, end to end through the fake: /languages (set, unknown code, not
consented: nothing stored), a translation typed as a reply, two other players validate it
with the buttons (the author's /play never shows it), the tick accepts it: the source's
label is the translation and the author's points went up."""

from __future__ import annotations

from tests.support.telegram_world import World, shown
from tests.translate.helpers import translate_campaign


async def _languages(tg: World, user: dict[str, object], words: str, expect: str) -> None:
    chat = int(str(user["id"]))
    await tg.fake.send_command(chat, user, "/languages", words)
    await tg.sent(chat, text=expect)


async def _points(tg: World, user: dict[str, object]) -> int:
    ident = await tg.store.get_identity("telegram", str(user["id"]))
    assert ident is not None
    stats = await tg.store.get_stats(ident.player_id)
    return 0 if stats is None else stats.points


async def test_languages_command(tg: World) -> None:
    await tg.start()
    dan = tg.person(44, "Dan")
    await tg.fake.send_command(dan["id"], dan, "/languages", "de")
    await tg.sent(dan["id"], text="Nothing is stored until you agree")  # consent first
    assert await tg.count("player_languages") == 0
    ann = tg.person(42, "Ann")
    await tg.consented(ann)
    await _languages(tg, ann, "de xx", "Unknown language code 'xx'")
    assert await tg.count("player_languages") == 0
    await _languages(tg, ann, "de en", "Saved: you speak German (de), English (en)")
    await _languages(tg, ann, "", "Your languages: German (de), English (en)")
    await _languages(tg, ann, "none", "Your languages are cleared")
    assert await tg.count("player_languages") == 0


async def test_translate_validate_accept_in_private_chats(tg: World) -> None:
    await tg.start()
    campaign = await translate_campaign(tg.engine, max_chars=40)
    ann, bob, cat = tg.person(42, "Ann"), tg.person(43, "Bob"), tg.person(45, "Cat")
    for p in (ann, bob, cat):
        await tg.consented(p)
        await _languages(tg, p, "de en", "Saved")

    await tg.fake.send_command(ann["id"], ann, "/play")
    card = await tg.sent(ann["id"], text="Translate into German")
    assert "The cat sleeps." in shown(card)
    tg.clock.advance(5)
    await tg.fake.send_text(ann["id"], ann, "   ", reply_to=card.message_id)
    await tg.sent(ann["id"], text="Type your translation (the answer was empty)")
    await tg.fake.send_text(ann["id"], ann, "x" * 41, reply_to=card.message_id)
    await tg.sent(ann["id"], text="the limit is 40")
    assert await tg.count("answers") == 0 and await tg.count("contributions") == 0
    await tg.fake.send_text(ann["id"], ann, "Die Katze  schläft.", reply_to=card.message_id)
    await tg.sent(ann["id"], text="Your answer: “Die Katze schläft.”")
    await tg.sent(ann["id"], text="No tasks for you right now")  # never her own candidate
    before = await _points(tg, ann)

    for p in (bob, cat):
        await tg.fake.send_command(p["id"], p, "/play")
        check = await tg.sent(p["id"], text="Is this a good German translation")
        assert "Die Katze schläft." in shown(check)
        tg.clock.advance(5)
        await tg.press(p, p, check, "Yes")
        await tg.edited(p["id"], check.message_id, "Your answer")

    await tg.engine.tick()
    (source,) = [i for i in await tg.store.campaign_items(campaign.id) if i.source == "s0"]
    t = await tg.store.get_tally(campaign.id, source.id)
    assert t is not None and (t.status, t.label) == ("finalized", "Die Katze schläft.")
    assert await _points(tg, ann) == before + 20
    await tg.fake.send_command(ann["id"], ann, "/play")
    await tg.sent(ann["id"], text="No tasks for you right now")
