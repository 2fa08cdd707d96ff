"""Hole 11 (issue 12) on Discord, through discord.py against the fake: a component
interaction carrying a channel round's valid answer payload, sent from a DM channel by a user
outside the guild, is refused with a clear ephemeral answer and nothing is stored."""

from __future__ import annotations

from bot.app import App
from tests.support.discord_world import World, labels, round_of, shown
from tests.support.seeds import seed_campaign


async def test_a_round_payload_pressed_in_a_dm_is_refused(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="classify", items=3, min_overlap=5, max_overlap=7)
    card = await world.post_round()
    assert labels(card) == ["red", "green", "blue"]
    payload = card.button("red").custom_id
    assert payload is not None
    eve = world.fake.user("eve")  # not a member of the guild
    dm = world.fake.dm_channel(eve)
    await world.consent(eve, dm)
    mine = (await world.slash(eve, "help", channel=dm)).original  # a bot message in her DM
    assert mine is not None
    world.clock.advance(5)
    # a modified client sends the round's custom_id from a message of her DM (discord.py
    # only dispatches a component the message carries, so the forged message carries it)
    mine.data["components"] = card.components
    forged = {"custom_id": payload, "component_type": 2}
    ix = await (await world.fake._interact(3, eve, dm, forged, mine)).wait_done()
    refusal = shown(await world.private_reply(ix))
    assert "only in the channel where it was posted" in refusal
    assert "Doodlers" not in refusal and "#play" not in refusal
    assert await app.store.round_answers(round_of(card)) == []

    await world.consent(world.ann)
    press = await world.click(world.ann, card, "red")
    assert "Vote recorded: red" in shown(await world.private_reply(press))
    assert len(await app.store.round_answers(round_of(card))) == 1
