"""Multilabel through the real discord.py client against the fake: the card carries a
multi-select menu (component type 3, one option per attribute plus None of these), a choice is
stored once, a repeated or forged choice stores nothing more; channel rounds take it too."""

from __future__ import annotations

from typing import Any

from bot.app import App
from tests.support.discord_world import World, labels, shown
from tests.support.fakes.discord.messages import StoredMessage, walk_components
from tests.support.seeds import seed_campaign

ATTRS = ["red", "green", "blue"]
MENU = "lq:select:ml"


def menu_values(card: StoredMessage) -> dict[str, str]:
    menu = card.component(MENU)
    assert menu["type"] == 3 and menu["min_values"] == 1 and menu["max_values"] == 4
    return {o["label"]: o["value"] for o in menu["options"]}


async def test_a_solo_multi_select_stores_once(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="multilabel", options=ATTRS, items=3)
    await world.consent(world.ann)
    card = (await world.slash(world.ann, "play")).original
    assert card is not None and "Which colour is it?" in shown(card)
    values = menu_values(card)
    assert list(values) == ["red", "green", "blue", "None of these"]
    assert labels(card) == ["Skip ⏭"]

    world.clock.advance(5)
    picked = [values["blue"], values["red"]]
    ix = await world.fake.click(world.ann, card, MENU, values=picked)
    nxt = await world.private_reply(ix)
    await world.wait_shown(card, "Your answer: red, blue")
    assert MENU in {c.get("custom_id") for c in _components(nxt)}

    again = await world.fake.press(world.ann, card, MENU, component_type=3, values=picked)
    reply = await world.private_reply(again)
    assert "already answered" in shown(reply)
    ident = await app.store.get_identity("discord", str(world.ann.id))
    assert ident is not None
    assert [a.label for a in await app.store.player_answers(ident.player_id)] == ["red|blue"]


async def test_none_with_an_attribute_is_refused(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="multilabel", options=ATTRS, items=1)
    await world.consent(world.bob)
    card = (await world.slash(world.bob, "play")).original
    assert card is not None
    values = menu_values(card)
    ix = await world.fake.click(
        world.bob, card, MENU, values=[values["red"], values["None of these"]]
    )
    reply = await world.private_reply(ix)
    assert "None of these cannot go with red" in shown(reply)
    assert await app.store.campaign_answers((await app.store.list_campaigns())[0].id) == []


async def test_a_channel_round_takes_a_selection(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="multilabel", options=ATTRS, items=3)
    await world.consent(world.cat)
    card = await world.post_round()
    values = menu_values(card)
    world.clock.advance(5)
    ix = await world.fake.click(world.cat, card, MENU, values=[values["green"]])
    feedback = await world.private_reply(ix)
    assert "green" in shown(feedback)
    await world.wait_shown(card, "1 player has answered")
    (answer,) = await app.store.campaign_answers((await app.store.list_campaigns())[0].id)
    assert answer.label == "green"


def _components(message: StoredMessage) -> list[dict[str, Any]]:
    return list(walk_components(message.components))
