"""Multilabel through the engine on SQLite and PostgreSQL: toggles keep their state in the
payload, Done stores the selection once, the verdict finalises the item, forged masks are
refused with nothing stored, channel rounds count picks per attribute."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.codec import encode
from bot.core.kernel.errors import InvalidInput, RoundClosed, UnknownPayload
from bot.core.kernel.models import Reply
from storage import SqlStore
from tests.support.engine import GENERAL, MOD, consented, player
from tests.support.seeds import seed_campaign

ATTRS = ["red", "green", "blue"]


def toggles(card: Reply) -> list[tuple[str, str]]:
    assert card.select is not None
    return [(c.label, c.payload) for row in card.select.toggles for c in row]


def press(card: Reply, label: str) -> str:
    for text, payload in toggles(card):
        if text.endswith(label):
            return payload
    raise AssertionError(f"no toggle {label!r} in {toggles(card)}")


async def _solo(engine: Engine, store: SqlStore, **kw: object) -> Reply:
    await seed_campaign(store, game="multilabel", options=ATTRS, **kw)  # type: ignore[arg-type]
    await consented(engine, player(1))
    return await engine.play.next_task(player(1))


async def test_toggles_edit_the_card_and_done_stores_once(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    card = await _solo(engine, store)
    assert [t for t, _ in toggles(card)] == [
        "☐ red",
        "☐ green",
        "☐ blue",
        "☐ None of these",
        "Done ✅",
    ]
    assert card.select is not None and card.select.max_values == 4
    card = await engine.handle_button(player(1), press(card, "red"))
    assert card.replace and card.media is None
    card = await engine.handle_button(player(1), press(card, "blue"))
    assert [t for t, _ in toggles(card)][:3] == ["☑ red", "☐ green", "☑ blue"]
    card = await engine.handle_button(player(1), press(card, "None of these"))
    assert [t for t, _ in toggles(card)][:4] == ["☐ red", "☐ green", "☐ blue", "☑ None of these"]
    card = await engine.handle_button(player(1), press(card, "green"))
    card = await engine.handle_button(player(1), press(card, "blue"))
    done = press(card, "Done ✅")
    clock.advance(3)
    reply = await engine.handle_button(player(1), done)
    assert "Your answer: green, blue" in reply.chain()[0].text
    with pytest.raises(RoundClosed, match="already answered"):
        await engine.handle_button(player(1), done)
    rows = await store.campaign_answers((await store.list_campaigns())[0].id)
    assert [r.label for r in rows] == ["green|blue"]


async def test_forged_or_empty_selections_store_nothing(engine: Engine, store: SqlStore) -> None:
    card = await _solo(engine, store)
    rid = card.round_id
    assert rid is not None
    for mask, index in [(0b1001, 0), (1 << 4, 0), (0, 9)]:  # none + red; a 5th bit; index
        with pytest.raises(UnknownPayload, match="does not match"):
            await engine.handle_button(player(1), encode("l", rid, mask, index))
    with pytest.raises(InvalidInput, match="at least one"):
        await engine.handle_button(player(1), encode("l", rid, 0, 4))
    with pytest.raises(InvalidInput, match="None of these cannot go with red"):
        await engine.multilabel.pick(player(1), [encode("l", rid, 0, 0), encode("l", rid, 0, 3)])
    campaign = (await store.list_campaigns())[0]
    assert await store.campaign_answers(campaign.id) == []


async def test_agreeing_selections_finalize_the_item(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    campaign = await seed_campaign(
        store,
        game="multilabel",
        options=ATTRS,
        items=1,
        min_overlap=3,
        max_overlap=5,
        confidence=0.7,
    )
    for i in (1, 2, 3):
        await consented(engine, player(i))
        card = await engine.play.next_task(player(i))
        assert card.round_id is not None
        picks = ["red", "blue"] if i < 3 else ["red"]
        assert card.select is not None
        menu = {c.label: c.payload for c in card.select.options}
        await engine.multilabel.pick(player(i), [menu[w] for w in picks])
        clock.advance(2)
    tally = await store.get_tally(campaign.id, (await store.campaign_items(campaign.id))[0].id)
    assert tally is not None and tally.status == "finalized" and tally.label == "red|blue"


async def test_a_channel_round_counts_picks_per_attribute(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_campaign(store, game="multilabel", options=ATTRS)
    card = await engine.play.post_round(MOD)
    assert card.select is not None and card.choices == ()
    assert card.round_id is not None
    for i, picks in enumerate([["red", "blue"], ["red"], ["None of these"]], start=1):
        await consented(engine, player(i, GENERAL))
        menu = {c.label: c.payload for c in card.select.options}
        reply = await engine.multilabel.pick(player(i, GENERAL), [menu[p] for p in picks])
        assert reply.ephemeral
        clock.advance(2)
    await engine.play.close_round(card.round_id)
    rnd = await store.get_round(card.round_id)
    assert rnd is not None
    campaign = (await store.list_campaigns())[0]
    closed = await engine.kernel.flow_of(campaign).round_card(rnd, campaign)
    assert "red: 2" in closed.text and "blue: 1" in closed.text
    assert "green: 0" in closed.text and "None of these: 1" in closed.text
    assert closed.select is None
