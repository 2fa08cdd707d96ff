"""Translate on Discord, end to end through the fake: `/languages codes:...` (consent first,
unknown code), a translation typed in the Answer modal, two other players validate it with
the buttons (the author's /play never shows it), the tick accepts it: the source's label is
the translation and the author's points went up."""

from __future__ import annotations

from bot.app import App
from storage import SqlStore
from tests.support.discord_world import World, labels, shown
from tests.support.fakes.discord import FakeUser
from tests.translate.helpers import translate_campaign


def _store(app: App) -> SqlStore:
    assert app.store is not None
    return app.store


async def _languages(dc: World, user: FakeUser, codes: str | None) -> str:
    ix = await dc.slash(user, "languages", None if codes is None else {"codes": codes})
    assert ix.ephemeral
    if ix.original is not None:
        return shown(ix.original)
    return shown((await ix.wait_followups(1))[0])


async def _points(store: SqlStore, user: FakeUser) -> int:
    ident = await store.get_identity("discord", str(user.id))
    assert ident is not None
    stats = await store.get_stats(ident.player_id)
    return 0 if stats is None else stats.points


async def test_translate_validate_accept(dc: World) -> None:
    app = await dc.start_app()
    store = _store(app)
    assert app.engine is not None
    campaign = await translate_campaign(app.engine, max_chars=40)
    assert "Nothing is stored until you agree" in await _languages(dc, dc.ann, "de")
    async with store.db.read() as conn:
        assert await conn.fetchval("SELECT COUNT(*) FROM player_languages") == 0
    for user in (dc.ann, dc.bob, dc.cat):
        await dc.consent(user)
    assert "Unknown language code 'xx'" in await _languages(dc, dc.ann, "xx de")
    for user in (dc.ann, dc.bob, dc.cat):
        assert "German (de)" in await _languages(dc, user, "de en")
    assert "Your languages: German (de), English (en)" in await _languages(dc, dc.ann, None)

    card = (await dc.slash(dc.ann, "play")).original
    assert card is not None and "Translate into German" in shown(card)
    assert "✍️ Answer" in labels(card)
    opened = await dc.click(dc.ann, card, "✍️ Answer")
    await opened.wait_done()
    assert opened.response_type == 9 and opened.modal is not None
    (field,) = opened.modal_fields()
    assert field.max_length == 40
    dc.clock.advance(5)
    sent = await dc.fake.submit_modal(
        dc.ann, None, opened.modal["custom_id"], {field.custom_id: " Die Katze  schläft. "}
    )
    await sent.wait_done()
    await dc.wait_shown(card, "Your answer: “Die Katze schläft.”")
    (after,) = await sent.wait_followups(1)
    assert "No tasks for you right now" in shown(after)  # never her own candidate
    before = await _points(store, dc.ann)

    for user in (dc.bob, dc.cat):
        check = (await dc.slash(user, "play")).original
        assert check is not None and "Is this a good German translation" in shown(check)
        assert "Die Katze schläft." in shown(check)
        dc.clock.advance(5)
        await (await dc.click(user, check, "Yes")).wait_done()
        await dc.wait_shown(check, "Your answer")

    await app.engine.tick()
    (source,) = [i for i in await store.campaign_items(campaign.id) if i.source == "s0"]
    t = await store.get_tally(campaign.id, source.id)
    assert t is not None and (t.status, t.label) == ("finalized", "Die Katze schläft.")
    assert await _points(store, dc.ann) == before + 20
    again = await dc.slash(dc.ann, "play")
    assert "No tasks for you right now" in shown(again.original)
