"""Typed answers on Discord, end to end through the fake: the ✍️ Answer button opens a modal
(the first answer to the click), the submission stores the answer; a channel round finalises
when answers agree; bad input gets clear messages and stores nothing."""

from __future__ import annotations

from bot.app import App
from storage import TALLY_FINALIZED, SqlStore
from tests.support.discord_world import World, labels, shown
from tests.support.fakes.discord import FakeInteraction, FakeUser, StoredMessage
from tests.typed.seeds import seed_transcribe


def _store(app: App) -> SqlStore:
    assert app.store is not None
    return app.store


async def _labels(store: SqlStore) -> list[str]:
    async with store.db.read() as conn:
        rows = await conn.fetch("SELECT label FROM answers ORDER BY id")
    return [str(r[0]) for r in rows]


async def _type(dc: World, user: FakeUser, card: StoredMessage, text: str) -> FakeInteraction:
    """Press ✍️ Answer, check the modal, submit `text`; the submission's interaction."""
    opened = await dc.click(user, card, "✍️ Answer")
    await opened.wait_done()
    assert opened.response_type == 9  # the modal is the first and only answer to the click
    assert opened.original is None and opened.followups == []
    (field,) = opened.modal_fields()
    assert opened.modal is not None
    sent = await dc.fake.submit_modal(
        user, None, opened.modal["custom_id"], {field.custom_id: text}
    )
    return await sent.wait_done()


async def test_the_answer_button_opens_a_modal_and_its_text_is_stored(dc: World) -> None:
    app = await dc.start_app()
    store = _store(app)
    await seed_transcribe(store, ["apple", "river"], settings={"max_chars": 30})
    await dc.consent(dc.ann)
    ix = await dc.slash(dc.ann, "play")
    card = ix.original
    assert card is not None and ix.ephemeral
    assert labels(card) == ["✍️ Answer", "Skip ⏭"]
    assert "Press ✍️ Answer" in shown(card) and card.attachments

    opened = await dc.click(dc.ann, card, "✍️ Answer")
    await opened.wait_done()
    assert opened.response_type == 9
    (field,) = opened.modal_fields()
    assert field.max_length == 30 and field.type == 4
    dc.clock.advance(5)
    assert opened.modal is not None
    sent = await dc.fake.submit_modal(
        dc.ann, None, opened.modal["custom_id"], {field.custom_id: "  APPLE "}
    )
    await sent.wait_done()
    await dc.wait_shown(card, "Your answer: “apple”")
    assert card.buttons() == []
    nxt = (await sent.wait_followups(1))[0]
    assert nxt.ephemeral and labels(nxt) == ["✍️ Answer", "Skip ⏭"]
    assert await _labels(store) == ["apple"]
    assert dc.fake.channel_messages(dc.channel) == []  # nothing public


async def test_bad_input_gets_clear_messages_and_stores_nothing(dc: World) -> None:
    app = await dc.start_app()
    store = _store(app)
    await seed_transcribe(store, ["apple"], settings={"max_chars": 10})
    await dc.consent(dc.ann)
    card = (await dc.slash(dc.ann, "play")).original
    assert card is not None
    empty = await _type(dc, dc.ann, card, "\u3000")
    (said,) = await empty.wait_followups(1)
    assert said.ephemeral and "Type what the image says (the answer was empty)" in shown(said)
    # one character in the modal, eighteen once Unicode NFKC expands the ligature
    long = await _type(dc, dc.ann, card, "\ufdfa")
    (said,) = await long.wait_followups(1)
    assert "18 characters long; the limit here is 10" in shown(said)
    assert await _labels(store) == []
    assert "✍️ Answer" in labels(card)  # the card still takes an answer


async def test_a_channel_round_finalises_when_answers_agree(dc: World) -> None:
    app = await dc.start_app()
    store = _store(app)
    campaign = await seed_transcribe(store, ["good morning"], min_overlap=3, max_overlap=5)
    for user in (dc.ann, dc.bob, dc.cat):
        await dc.consent(user)
    card = await dc.post_round()
    assert labels(card) == ["✍️ Answer"] and "Press ✍️ Answer" in shown(card)
    dc.clock.advance(5)
    for user, text in [
        (dc.ann, "Good Morning"),
        (dc.bob, "good  morning"),
        (dc.cat, "GOOD morning"),
    ]:
        sent = await _type(dc, user, card, text)
        (said,) = await sent.wait_followups(1)
        assert said.ephemeral and "Vote recorded: “good morning”" in shown(said)
    await dc.wait_shown(card, "3 players have answered")
    assert "“" not in shown(card)
    again = await _type(dc, dc.ann, card, "good evening")
    (said,) = await again.wait_followups(1)
    assert "already answered" in shown(said)
    [tally] = await store.campaign_tallies(campaign.id)
    assert (tally.status, tally.label) == (TALLY_FINALIZED, "good morning")
    [rnd] = [r for r in await store.due_rounds(dc.clock.now() + 10_000) if r.mode == "channel"]
    assert app.engine is not None
    await app.engine.play.close_round(rnd.id)
    await dc.wait_shown(card, "Crowd label final: “good morning”")
    assert "“good morning” 3" in shown(card) and card.buttons() == []
    assert await _labels(store) == ["good morning"] * 3
