"""Playing end to end: solo sessions (private cards with images) and channel rounds."""

from __future__ import annotations

import logging

import pytest

from bot.app import App
from bot.core.kernel import texts
from tests.support.discord_world import World, labels, round_of, shown
from tests.support.fakes.discord import EVERYONE_DEFAULT, SEND_MESSAGES
from tests.support.seeds import seed_campaign

RED = (255, 0, 0)


async def test_solo_verify_card_is_private_and_answering_brings_the_next(
    world: World, app: App
) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="verify", items=3)
    await world.consent(world.ann)

    ix = await world.slash(world.ann, "play")
    card = ix.original
    assert card is not None and ix.ephemeral
    assert "Is this red?" in shown(card)
    assert labels(card) == ["Yes", "No", "Not sure", "Skip ⏭"]
    (image,) = card.attachments
    assert image.filename.startswith("item-") and image.filename.endswith(".png")
    assert image.description == "The image to label"
    assert image.image().convert("RGB").getpixel((0, 0)) == RED
    assert card.embeds[0]["image"]["url"] == image.url  # the embed shows the attachment

    world.clock.advance(5)  # a considered answer, not a too-fast one
    press = await world.click(world.ann, card, "Yes")
    nxt = await world.private_reply(press)
    await world.wait_shown(card, "Your answer: Yes")
    assert card.buttons() == [] and card.attachments == [image]  # replaced, image kept
    assert "Is this red?" in shown(nxt) and labels(nxt) == ["Yes", "No", "Not sure", "Skip ⏭"]
    assert len(nxt.attachments) == 1 and nxt.attachments[0].filename != image.filename

    ident = await app.store.get_identity("discord", str(world.ann.id))
    assert ident is not None
    (stored,) = await app.store.player_answers(ident.player_id)
    assert (stored.label, stored.platform) == ("yes", "discord")
    assert world.fake.channel_messages(world.channel) == []  # nothing public


async def test_solo_classify_skip_and_answer(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="classify", items=3)
    await world.consent(world.bob)

    first = (await world.slash(world.bob, "play")).original
    assert first is not None and "Which colour is it?" in shown(first)
    assert labels(first) == ["red", "green", "blue", "Skip ⏭"]

    skip = await world.click(world.bob, first, "Skip ⏭")
    second = await world.private_reply(skip)
    await world.wait_shown(first, "Skipped")
    assert first.buttons() == []
    colour = second.attachments[0].image().convert("RGB").getpixel((0, 0))
    answer = {RED: "red", (0, 128, 0): "green", (0, 0, 255): "blue"}[colour]

    world.clock.advance(5)
    press = await world.click(world.bob, second, answer)
    third = await world.private_reply(press)
    await world.wait_shown(second, f"Your answer: {answer}")
    assert labels(third) == ["red", "green", "blue", "Skip ⏭"]
    ident = await app.store.get_identity("discord", str(world.bob.id))
    assert ident is not None
    assert [a.label for a in await app.store.player_answers(ident.player_id)] == [answer]


async def test_play_when_nothing_is_left_says_so_privately(world: World, app: App) -> None:
    await world.consent(world.ann)
    ix = await world.slash(world.ann, "play")
    assert ix.ephemeral and texts.NO_TASK in shown(ix.original)


async def test_channel_round_counts_votes_then_shows_the_result(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="classify", items=3, min_overlap=5, max_overlap=7)
    for user in (world.ann, world.bob, world.cat):
        await world.consent(user)

    card = await world.post_round()
    assert "0 players have answered" in shown(card)
    assert labels(card) == ["red", "green", "blue"]
    assert len(card.attachments) == 1 and card.embeds[0]["image"]["url"] == card.attachments[0].url

    world.clock.advance(5)
    for user, choice in ((world.ann, "red"), (world.bob, "red"), (world.cat, "green")):
        press = await world.click(user, card, choice)
        feedback = await world.private_reply(press)
        assert f"Vote recorded: {choice}" in shown(feedback)
        assert "Results when the round closes" in shown(feedback)

    await world.wait_shown(card, "3 players have answered")
    assert "Votes" not in shown(card)  # votes stay private while the round is open
    assert labels(card) == ["red", "green", "blue"]
    assert len(await app.store.round_answers(round_of(card))) == 3

    assert app.engine is not None
    world.clock.advance(app.settings.game.round_seconds + 1)
    assert await app.engine.tick() == 1
    await world.wait_shown(card, "Round closed")
    assert "Votes: red 2 · green 1 · blue 0" in shown(card)
    assert "Thanks to the 3 players who answered!" in shown(card)
    assert card.buttons() == []  # a closed round takes no answers
    assert len(card.attachments) == 1  # the image stays
    assert len(world.fake.channel_messages(world.channel)) == 1  # edited, never re-posted


async def test_round_edits_are_spaced_coalesced_and_flushed_at_stop(world: World) -> None:
    app = await world.start_app(edit_interval=60)  # one edit per minute in this channel
    assert app.store is not None
    await seed_campaign(app.store, game="classify", items=3, min_overlap=5, max_overlap=7)
    for user in (world.ann, world.bob, world.cat):
        await world.consent(user)
    card = await world.post_round()
    world.clock.advance(5)

    await world.private_reply(await world.click(world.ann, card, "blue"))
    await world.wait_shown(card, "1 player has answered")  # the first change goes out at once
    for user in (world.bob, world.cat):
        await world.private_reply(await world.click(user, card, "blue"))
    assert len(card.history) == 1 and "1 player has answered" in shown(card)  # held back

    await world.stop_app(app)  # queued edits are made at shutdown, coalesced into one
    assert len(card.history) == 2 and "3 players have answered" in shown(card)


async def test_a_rate_limited_round_edit_is_retried(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="classify", items=3, min_overlap=5, max_overlap=7)
    await world.consent(world.ann)
    card = await world.post_round()
    edit = rf"^/channels/{world.channel.id}/messages/{card.id}$"
    world.fake.fail_next("PATCH", edit, 429, retry_after=0.01)
    world.clock.advance(5)
    await world.private_reply(await world.click(world.ann, card, "red"))
    limited = await world.fake.wait_for_call("PATCH", edit)
    retried = await world.fake.wait_for_call("PATCH", edit)
    assert (limited.status, retried.status) == (429, 200)
    assert "1 player has answered" in shown(card)


async def test_a_deleted_round_message_is_not_an_error(
    world: World, app: App, caplog: pytest.LogCaptureFixture
) -> None:
    assert app.store is not None and app.engine is not None
    await seed_campaign(app.store, game="classify", items=3)
    card = await world.post_round()
    card.deleted = True  # a moderator removed the round message
    world.clock.advance(app.settings.game.round_seconds + 1)
    with caplog.at_level(logging.WARNING, logger="bot.cogs"):
        assert await app.engine.tick() == 1
        await world.fake.wait_for_call("PATCH", rf"/messages/{card.id}$")
        await world.stop_app(app)  # waits for the editor to finish with the refusal
    assert "could not update its message" in caplog.text
    assert "Unknown Message" in caplog.text  # a WARNING; the trap fails the test on ERRORs


async def test_answering_twice_stores_one_answer(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="classify", items=3, min_overlap=5, max_overlap=7)
    await world.consent(world.ann)
    card = await world.post_round()
    world.clock.advance(5)

    first = await world.click(world.ann, card, "red")
    second = await world.click(world.ann, card, "green")  # before the first was answered
    replies = sorted(
        [shown(await world.private_reply(first)), shown(await world.private_reply(second))]
    )
    assert sum(texts.ANSWERED_ALREADY in r for r in replies) == 1
    assert sum("Vote recorded" in r for r in replies) == 1
    assert len(await app.store.round_answers(round_of(card))) == 1
    await world.wait_shown(card, "1 player has answered")


async def test_double_click_on_a_solo_card_stores_one_answer(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="verify", items=3)
    await world.consent(world.ann)
    card = (await world.slash(world.ann, "play")).original
    assert card is not None
    world.clock.advance(5)
    first = await world.click(world.ann, card, "No")
    second = await world.click(world.ann, card, "No")
    await world.fake.wait_until(lambda: first.followup_ids and second.followup_ids)
    ident = await app.store.get_identity("discord", str(world.ann.id))
    assert ident is not None
    assert [a.label for a in await app.store.player_answers(ident.player_id)] == ["no"]


async def test_a_player_who_never_consented_gets_the_consent_prompt(
    world: World, app: App
) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="classify", items=3, min_overlap=5, max_overlap=7)
    card = await world.post_round()
    world.clock.advance(5)

    press = await world.click(world.cat, card, "red")
    prompt = await world.private_reply(press)
    assert texts.CONSENT_TITLE in shown(prompt)
    assert await app.store.get_identity("discord", str(world.cat.id)) is None
    assert await app.store.round_answers(round_of(card)) == []

    await world.click(world.cat, prompt, "✅ I agree")  # the prompt's buttons work
    await world.wait_shown(prompt, "You're in")
    again = await world.click(world.cat, card, "red")
    assert "Vote recorded: red" in shown(await world.private_reply(again))
    assert len(await app.store.round_answers(round_of(card))) == 1


async def test_round_needs_a_moderator(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="classify", items=3)
    await world.consent(world.bob)
    ix = await world.slash(world.bob, "round")
    assert ix.ephemeral and shown(ix.original) == "Only moderators can post rounds here."
    assert world.fake.channel_messages(world.channel) == []


async def test_the_configured_role_makes_a_moderator(world: World) -> None:
    role = world.fake.add_role(world.guild, "Quest Masters")
    dee = world.fake.user("dee")
    world.fake.add_member(world.guild, dee, roles=[role])
    app = await world.start_app(moderator_role="Quest Masters")
    assert app.store is not None
    await seed_campaign(app.store, game="classify", items=3)
    card = await world.post_round(dee)
    assert labels(card) == ["red", "green", "blue"]


async def test_a_channel_the_bot_cannot_post_in_gets_a_clear_answer(world: World) -> None:
    fake = world.fake
    mute = EVERYONE_DEFAULT & ~SEND_MESSAGES
    quiet = fake.add_guild("Quiet", everyone_permissions=mute, bot_permissions=mute)
    channel = fake.add_channel(quiet, "read-only")
    app = await world.start_app()
    assert app.store is not None
    await seed_campaign(app.store, game="classify", items=3)
    ix = await world.slash(fake.owner, "round", channel=channel)  # the owner may moderate
    assert ix.ephemeral and "I can't post in this channel" in shown(ix.original)
    assert fake.channel_messages(channel) == []
    async with app.store.db.read() as conn:
        assert await conn.fetchval("SELECT COUNT(*) FROM rounds WHERE status = 'open'") == 0


async def test_playing_in_direct_messages(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="verify", items=3)
    dm = world.fake.dm_channel(world.ann)
    await world.consent(world.ann, dm)
    card = (await world.slash(world.ann, "play", channel=dm)).original
    assert card is not None and "Is this red?" in shown(card)
    world.clock.advance(5)
    await world.private_reply(await world.click(world.ann, card, "Yes"))
    await world.wait_shown(card, "Your answer: Yes")
    with pytest.raises(ValueError, match="not available"):  # /round is for servers only
        await world.fake.slash(world.mo, world.fake.dm_channel(world.mo), "round")
    top = await world.slash(world.ann, "top", channel=dm)
    assert "Use /top in a group, or /top global here." in shown(top.original)
