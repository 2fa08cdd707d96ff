"""Starting up, /help, and consent: nothing is stored before a player agrees."""

from __future__ import annotations

import re

from bot.core.kernel.models import PlayerRef
from tests.support.telegram_world import World, shown


async def test_startup_registers_the_commands_that_help_describes(world: World) -> None:
    await world.start()
    calls = [c for c in world.fake.calls if c.method == "setMyCommands"]
    everyone = {c["command"] for c in calls[0].params["commands"]}
    moderators = {c["command"] for c in calls[1].params["commands"]}
    assert everyone >= {"start", "play", "profile", "top", "forget", "help", "mydata", "privacy"}
    assert moderators >= everyone | {"round"}  # features add their own (campaign, review)
    assert calls[1].params["scope"] == {"type": "all_chat_administrators"}

    mod = world.person(7, "Mo")
    group = world.group()
    world.fake.set_admins(group, mod)
    await world.fake.send_command(group, mod, "/help")
    help_text = shown(await world.sent(group["id"], text="LabelQuest commands"))
    assert moderators <= set(re.findall(r"/(\w+)", help_text))


async def test_accepting_consent_creates_the_player(world: World) -> None:
    await world.start()
    ann = world.person(42, "Ann")
    await world.fake.send_command(ann["id"], ann, "/start")
    prompt = await world.sent(ann["id"], text="Nothing is stored until you agree")
    assert [label for label, _ in prompt.buttons()[0]] == ["✅ I agree", "No thanks"]
    assert await world.count("players") == 0

    toast = await world.press(ann, ann, prompt, "✅ I agree")
    assert toast.text is None
    card = await world.edited(ann["id"], prompt.message_id, "You're in")
    assert [label for label, _ in card.buttons()[0]] == ["▶ Play"]
    ident = await world.store.get_identity("telegram", "42")
    assert ident is not None and ident.display_name == "Ann"


async def test_declining_consent_stores_nothing(world: World) -> None:
    await world.start()
    await world.campaign()
    ann = world.person(42, "Ann")
    await world.fake.send_command(ann["id"], ann, "/start")
    prompt = await world.sent(ann["id"], text="Nothing is stored")
    await world.press(ann, ann, prompt, "No thanks")
    card = await world.edited(ann["id"], prompt.message_id, "nothing was stored")
    assert card.buttons() == []
    assert await world.count("players") == 0
    assert await world.count("identities") == 0


async def test_play_before_consent_shows_the_consent_text(world: World) -> None:
    await world.start()
    await world.campaign()
    ann = world.person(42, "Ann")
    await world.fake.send_command(ann["id"], ann, "/play")
    prompt = await world.sent(ann["id"], text="Nothing is stored until you agree")
    assert prompt.buttons()
    assert await world.count("players") == 0


async def test_group_button_without_consent_leads_to_consent(world: World) -> None:
    await world.start()
    await world.campaign(game="classify", text_items=True)
    mod, bob = world.person(7, "Mo"), world.person(8, "Bob")
    group = world.group()
    world.fake.set_admins(group, mod)
    await world.fake.send_command(group, mod, "/round")
    card = await world.sent(group["id"], text="Round")

    toast = await world.press(group, bob, card, "red")
    assert toast.url == "https://t.me/TestBot?start=consent"
    assert toast.text and "private chat" in toast.text
    assert await world.count("players") == 0
    assert await world.count("answers") == 0

    # the link sends /start consent in the private chat: the consent text comes
    await world.fake.send_command(bob["id"], bob, "/start", "consent")
    await world.sent(bob["id"], text="Nothing is stored until you agree")


async def test_private_button_without_consent_sends_the_consent_text(world: World) -> None:
    await world.start()
    await world.campaign(game="classify", text_items=True)
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await world.fake.send_command(ann["id"], ann, "/play")
    card = await world.sent(ann["id"], text="Which colour")
    await world.engine.players.forget_confirm(PlayerRef("telegram", "42", "Ann"), True)  # gone now

    toast = await world.press(ann, ann, card, "red")
    assert toast.text and "accept" in toast.text
    await world.sent(ann["id"], text="Nothing is stored until you agree")
    assert await world.count("answers") == 0
    assert await world.count("players") == 0


async def test_consent_in_a_group_is_a_toast_and_the_prompt_stays(world: World) -> None:
    await world.start()
    ann, bob = world.person(42, "Ann"), world.person(43, "Bob")
    group = world.group()
    await world.fake.send_command(group, ann, "/start")
    prompt = await world.sent(group["id"], text="Nothing is stored until you agree")
    toast = await world.press(group, ann, prompt, "✅ I agree")
    assert toast.text and "You're in" in toast.text
    toast = await world.press(group, bob, prompt, "No thanks")
    assert toast.text and "nothing was stored" in toast.text
    assert prompt.edits == 0 and prompt.buttons()  # still there for the next player
    assert [m.message_id for m in world.fake.bot_messages(group["id"])] == [prompt.message_id]
    assert await world.count("players") == 1
