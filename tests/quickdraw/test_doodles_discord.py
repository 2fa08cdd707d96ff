"""Quick-draw on Discord, end to end through the fake: the round card with its GIF, the
Guess button's modal, /guess (private), plain messages when message content is enabled,
and a solo series with /doodle."""

from __future__ import annotations

from bot.core.quickdraw.cards import ATTRIBUTION
from tests.support.discord_world import World, labels, shown
from tests.support.doodles import doodle_campaign
from tests.support.fakes.discord import StoredMessage


async def _round(
    dc: World, words: tuple[str, ...] = ("cat",), *, message_content: bool = False
) -> StoredMessage:
    app = await dc.start_app(message_content=message_content)
    assert app.store is not None
    await doodle_campaign(app.store, words, now=dc.clock.now())
    for user in (dc.ann, dc.bob, dc.cat):
        await dc.consent(user)
    return await dc.post_round()


async def test_a_doodle_round_in_a_channel(dc: World) -> None:
    card = await _round(dc)
    (gif,) = card.attachments
    assert gif.filename.endswith(".gif") and gif.data[:6] == b"GIF89a"
    assert card.embeds[0]["image"]["url"] == gif.url
    assert "🔤 _ _ _" in shown(card) and ATTRIBUTION in shown(card)
    assert "cat" not in shown(card).lower() and labels(card) == ["Guess ✏️"]

    dc.clock.advance(4)
    opened = await dc.click(dc.ann, card, "Guess ✏️")
    await opened.wait_done()
    assert opened.response_type == 9  # a modal, the first answer to the click
    (field,) = opened.modal_fields()
    assert opened.modal is not None
    sent = await dc.fake.submit_modal(
        dc.ann, None, opened.modal["custom_id"], {field.custom_id: "Cat"}
    )
    await sent.wait_done()
    assert sent.ephemeral and "Yes, it's cat" in shown(sent.original)
    await dc.wait_shown(card, "Got it: 1 player")

    close = await dc.slash(dc.bob, "guess", {"word": "cta"})
    assert close.ephemeral and "So close" in shown(close.original)
    right = await dc.slash(dc.bob, "guess", {"word": "kitten"})
    assert "2nd right guess" in shown(right.original)
    await dc.slash(dc.cat, "guess", {"word": "cats"})
    await dc.wait_shown(card, "The word was: cat")
    assert card.buttons() == [] and card.attachments == [gif]  # the replay stays
    assert "🥇 ann · 4.0 s" in shown(card)
    assert all(m.id == card.id for m in dc.fake.channel_messages(dc.channel))  # nothing else


async def test_plain_messages_are_guesses_only_with_message_content(dc: World) -> None:
    dc.fake.allowed_intents.add("message_content")
    card = await _round(dc, message_content=True)
    dc.clock.advance(3)
    chat = await dc.fake.send_message_event(dc.ann, dc.channel, "hello everyone")
    right = await dc.fake.send_message_event(dc.bob, dc.channel, "a cat!")
    await dc.wait_shown(card, "Got it: 1 player")
    await dc.fake.wait_until(lambda: "✅" in right.reactions, what="a ✅ on the right guess")
    assert chat.reactions == {}


async def test_without_the_intent_plain_messages_are_ignored(dc: World) -> None:
    card = await _round(dc)
    dc.clock.advance(3)
    await dc.fake.send_message_event(dc.bob, dc.channel, "cat")
    ix = await dc.slash(dc.ann, "guess", {"word": "dog"})  # a later, observable event
    assert "Not “dog”" in shown(ix.original)
    assert "Got it: nobody yet" in shown(card)


async def test_a_solo_series_with_doodle(dc: World) -> None:
    app = await dc.start_app()
    assert app.store is not None
    await doodle_campaign(app.store, ("fish",), now=dc.clock.now())
    await dc.consent(dc.ann)
    ix = await dc.slash(dc.ann, "doodle")
    card = ix.original
    assert card is not None and ix.ephemeral and "Doodle 1 of 6" in shown(card)
    assert "fish" in labels(card) and labels(card)[-1] == "Skip ⏭"
    assert card.attachments[0].filename.endswith(".gif")
    dc.clock.advance(3)
    press = await dc.click(dc.ann, card, "fish")
    await dc.wait_shown(card, "✅ fish!")
    nxt = await dc.private_reply(press)
    assert "No doodles left" in shown(nxt)
