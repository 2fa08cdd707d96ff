"""The Discord fake, proven with the real discord.py `commands.Bot` (no privileged intents)."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from PIL import Image

from tests.support.fakes.discord import (
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeInteraction,
    FakeUser,
    discord_fake,  # noqa: F401  # the fixture under test
    running_bot,
)

with warnings.catch_warnings():  # the fake's client imported discord quietly already (audioop)
    warnings.simplefilter("ignore", DeprecationWarning)
    import discord
    from discord import app_commands
    from discord.ext import commands


class Claim(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"v1:claim:(?P<round>\d+)"):
    """A restart-safe button: its state lives in the custom_id."""

    def __init__(self, round_id: int) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label="Claim XP", style=discord.ButtonStyle.primary, custom_id=f"v1:claim:{round_id}"
        )
        super().__init__(button)
        self.round_id = round_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Claim:
        return cls(int(match["round"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        text = f"round {self.round_id} claimed by {interaction.user.name}"
        await interaction.response.edit_message(content=text, view=None)


class GuessModal(discord.ui.Modal, title="What is this doodle?"):
    answer: discord.ui.TextInput[GuessModal] = discord.ui.TextInput(label="Guess", max_length=40)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"you said {self.answer.value}", ephemeral=True)


class Guess(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"v1:guess:(?P<round>\d+)"):
    def __init__(self, round_id: int) -> None:
        super().__init__(discord.ui.Button(label="Guess", custom_id=f"v1:guess:{round_id}"))
        self.round_id = round_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Guess:
        return cls(int(match["round"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(GuessModal(custom_id=f"v1:modal:{self.round_id}"))


def _commands() -> list[app_commands.Command[Any, Any, Any]]:
    @app_commands.command(description="Start a round")
    async def round(interaction: discord.Interaction, number: int) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(Claim(number)).add_item(Guess(number))
        await interaction.response.send_message(f"Round {number}", view=view)

    @app_commands.command(description="Private answers")
    async def secret(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("only you", ephemeral=True)
        await interaction.followup.send("also only you", ephemeral=True)

    @app_commands.command(description="Render a doodle")
    async def render(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        buf = io.BytesIO()
        Image.new("RGB", (8, 6), (255, 0, 0)).save(buf, "PNG")
        buf.seek(0)
        await interaction.followup.send("your doodle", file=discord.File(buf, "doodle.png"))

    @app_commands.command(description="Edit the answer")
    async def draft(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("draft")
        await interaction.edit_original_response(content="final")

    @app_commands.command(description="Post in the channel")
    async def announce(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("posting", ephemeral=True)
        assert interaction.channel is not None
        await interaction.channel.send("hello channel")  # type: ignore[union-attr]

    return [round, secret, render, draft, announce]


class QuestBot(commands.Bot):
    def __init__(self, intents: discord.Intents | None = None) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents or discord.Intents.default(),
            guild_ready_timeout=0.05,
        )
        for command in _commands():
            self.tree.add_command(command)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(Claim, Guess)
        await self.tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        if not message.author.bot:
            await message.channel.send(f"heard: {message.content!r}")


class World:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.guild: FakeGuild = fake.add_guild("Doodlers")
        self.channel: FakeChannel = fake.add_channel(self.guild, "play")
        self.ann: FakeUser = fake.user("ann")
        fake.add_member(self.guild, self.ann)


@pytest.fixture
async def world(discord_fake: FakeDiscord) -> AsyncIterator[World]:  # noqa: F811
    yield World(discord_fake)


@pytest.fixture
async def bot(world: World) -> AsyncIterator[QuestBot]:
    bot = QuestBot()
    async with running_bot(bot, world.fake):
        yield bot


async def test_sync_registers_the_commands_with_their_options(world: World, bot: QuestBot) -> None:
    names = sorted(c["name"] for c in world.fake.global_commands)
    assert names == ["announce", "draft", "render", "round", "secret"]
    round_cmd = world.fake.command("round")
    assert round_cmd is not None
    assert [(o["name"], o["type"], o["required"]) for o in round_cmd["options"]] == [
        ("number", 4, True)
    ]


async def test_button_click_survives_a_bot_restart(world: World) -> None:
    fake = world.fake
    first = QuestBot()
    async with running_bot(first, fake):
        ix = await (await fake.slash(world.ann, world.channel, "round", {"number": 7})).wait_done()
    card = ix.original
    assert card is not None and card.content == "Round 7"
    assert [(b.label, b.custom_id, b.disabled) for b in card.buttons()] == [
        ("Claim XP", "v1:claim:7", False),
        ("Guess", "v1:guess:7", False),
    ]

    second = QuestBot()  # a fresh process: no view was ever stored for that message
    async with running_bot(second, fake):
        claim = card.button("Claim XP").custom_id
        assert claim is not None
        click = await (await fake.click(world.ann, card, claim)).wait_done()
    assert fake.connected == 0
    assert click.response_type == 7
    assert card.content == "round 7 claimed by ann"
    assert card.buttons() == []
    assert card.history[0]["content"] == "Round 7"


async def test_reconnect_resumes_the_session(world: World, bot: QuestBot) -> None:
    fake = world.fake
    await fake.reconnect()
    await fake.wait_until(lambda: fake.resumes and fake.connected == 1, what="a RESUME")
    assert len(fake.identifies) == 1  # resumed, not re-identified
    ix = await (await fake.slash(world.ann, world.channel, "draft")).wait_done()
    assert ix.original is not None


async def test_ephemeral_reply_and_followup(world: World, bot: QuestBot) -> None:
    ix = await world.fake.slash(world.ann, world.channel, "secret")
    (followup,) = await ix.wait_followups(1)
    assert ix.response_type == 4 and ix.ephemeral
    assert followup.content == "also only you" and followup.ephemeral
    assert world.fake.channel_messages(world.channel) == []


async def test_deferred_command_followup_carries_an_image(world: World, bot: QuestBot) -> None:
    ix = await (await world.fake.slash(world.ann, world.channel, "render")).wait_done()
    assert ix.response_type == 5
    original = ix.original
    assert original is not None and original.content == "your doodle"
    assert [m.id for m in ix.followups] == [original.id]  # the loading message was filled
    (attachment,) = original.attachments
    image = attachment.image()
    assert attachment.filename == "doodle.png" and image.size == (8, 6)
    assert image.convert("RGB").getpixel((0, 0)) == (255, 0, 0)


async def test_button_opens_a_modal_that_is_submitted(world: World, bot: QuestBot) -> None:
    fake = world.fake
    card = (
        await (await fake.slash(world.ann, world.channel, "round", {"number": 3})).wait_done()
    ).original
    assert card is not None
    opener = await (await fake.click(world.ann, card, "v1:guess:3")).wait_done()
    assert opener.response_type == 9
    (field,) = opener.modal_fields()
    assert (field.label, field.max_length, field.required) == ("Guess", 40, True)
    field_id = field.custom_id
    with pytest.raises(ValueError, match="allows 40 characters"):
        await fake.submit_modal(world.ann, None, "v1:modal:3", {field_id: "x" * 41})
    submit = await fake.submit_modal(world.ann, None, "v1:modal:3", {field_id: "a cat"})
    await submit.wait_done()
    assert submit.original is not None and submit.original.content == "you said a cat"
    assert submit.ephemeral


async def test_original_response_is_edited(world: World, bot: QuestBot) -> None:
    ix = await world.fake.slash(world.ann, world.channel, "draft")
    await world.fake.wait_for_call("PATCH", r"/messages/@original$")
    assert ix.original is not None and ix.original.content == "final"
    assert [h["content"] for h in ix.original.history] == ["draft"]


async def test_rate_limit_with_via_is_retried(world: World, bot: QuestBot) -> None:
    fake = world.fake
    fake.fail_next("POST", r"^/channels/\d+/messages$", 429, retry_after=0.01)
    await fake.slash(world.ann, world.channel, "announce")
    limited = await fake.wait_for_call("POST", r"^/channels/\d+/messages$")
    retried = await fake.wait_for_call("POST", r"^/channels/\d+/messages$")
    assert (limited.status, retried.status) == (429, 200)
    assert [m.content for m in fake.channel_messages(world.channel)] == ["hello channel"]


async def test_second_acknowledgement_and_late_answer_are_rejected(
    world: World, bot: QuestBot, platform_error_trap: Any
) -> None:
    fake = world.fake
    ix = await (await fake.slash(world.ann, world.channel, "draft")).wait_done()
    url = f"{fake.api_base}/interactions/{ix.id}/{ix.token}/callback"
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json={"type": 4, "data": {"content": "again"}}) as resp:
            assert (resp.status, (await resp.json())["code"]) == (400, 40060)
        fake.fail_next("GET", r"^/users/@me$", 500)
        auth = {"Authorization": f"Bot {fake.token}"}
        async with http.get(f"{fake.api_base}/users/@me", headers=auth) as resp:
            assert resp.status == 500 and resp.headers["Content-Type"] == "application/json"
        async with http.get(f"{fake.api_base}/users/@me") as resp:
            assert resp.status == 401

    platform_error_trap.expect("Ignoring exception in command 'secret'")
    fake.ack_deadline = 0.0
    late = await fake.slash(world.ann, world.channel, "secret")
    call = await fake.wait_for_call("POST", rf"^/interactions/{late.id}/")
    assert call.status == 404 and call.response["code"] == 10062
    assert late.expired and late.response_type is None


async def test_message_content_is_blank_without_the_intent(world: World, bot: QuestBot) -> None:
    fake = world.fake
    await fake.send_message_event(world.ann, world.channel, "a cat!")
    await fake.wait_for_call("POST", r"^/channels/\d+/messages$")
    await fake.send_message_event(world.ann, world.channel, f"{fake.bot_user.mention} a dog")
    await fake.wait_for_call("POST", r"^/channels/\d+/messages$")
    heard = [
        m.content for m in fake.channel_messages(world.channel) if m.author_id != str(world.ann.id)
    ]
    assert heard == ["heard: ''", f"heard: '{fake.bot_user.mention} a dog'"]


async def test_dm_command_and_cdn_avatar(world: World, bot: QuestBot) -> None:
    ix = await (
        await world.fake.slash(world.ann, world.fake.dm_channel(world.ann), "draft")
    ).wait_done()
    assert "user" in ix.payload and "member" not in ix.payload
    assert bot.user is not None
    avatar = await bot.user.display_avatar.read()
    assert Image.open(io.BytesIO(avatar)).size == (1, 1)


async def test_disallowed_privileged_intent_closes_with_4014(world: World) -> None:
    intents = discord.Intents.default()
    intents.message_content = True
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with running_bot(QuestBot(intents), world.fake):
            pass
    world.fake.allowed_intents.add("message_content")
    async with running_bot(QuestBot(intents), world.fake) as task:
        assert world.fake.identifies[-1]["intents"] & (1 << 15)
    assert task.done() and task.exception() is None


async def test_interaction_helpers_reject_impossible_user_actions(
    world: World, bot: QuestBot
) -> None:
    fake = world.fake
    stranger = fake.user("stranger")
    with pytest.raises(ValueError, match="not a member"):
        await fake.slash(stranger, world.channel, "secret")
    with pytest.raises(ValueError, match="no option 'count'"):
        await fake.slash(world.ann, world.channel, "round", {"count": 1})
    ix: FakeInteraction = await (await fake.slash(world.ann, world.channel, "secret")).wait_done()
    assert ix.original is not None
    bob = fake.user("bob")
    fake.add_member(world.guild, bob)
    with pytest.raises(LookupError, match="no component"):
        await fake.click(world.ann, ix.original, "nope")
    with pytest.raises(ValueError, match="not visible"):
        await fake.click(bob, ix.original, "nope")


class Picker(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.select(
        custom_id="pick",
        options=[discord.SelectOption(label="cat"), discord.SelectOption(label="dog")],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[Any]) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content=f"picked {select.values[0]}", view=None)


def _admin_group(role_id: int) -> app_commands.Group:
    admin = app_commands.Group(name="admin", description="Moderation")
    user = app_commands.Group(name="user", description="Users", parent=admin)

    @user.command(description="Promote a member")
    async def promote(
        interaction: discord.Interaction, who: discord.Member, sheet: discord.Attachment
    ) -> None:
        assert interaction.guild is not None and isinstance(
            interaction.channel, discord.TextChannel
        )
        await interaction.response.defer(ephemeral=True)
        rows = (await sheet.read()).decode().splitlines()
        await who.add_roles(discord.Object(role_id))
        member = await interaction.guild.fetch_member(who.id)
        await who.send(f"you are now {member.roles[-1].name}")
        card = await interaction.channel.send("pick one", view=Picker())
        await card.add_reaction("✅")
        await (await card.reply("temporary")).delete()
        seen = [m.content async for m in interaction.channel.history(limit=10)]
        await interaction.followup.send(f"{len(rows)} rows; channel has {seen}")

    return admin


async def test_guild_commands_and_the_rest_surface_cogs_use(world: World) -> None:
    fake = world.fake
    level = fake.add_role(world.guild, "Level 5")
    bob = fake.user("bob")
    fake.add_member(world.guild, bob)
    bot = commands.Bot(
        command_prefix=commands.when_mentioned,
        intents=discord.Intents.default(),
        guild_ready_timeout=0.05,
    )
    guild = discord.Object(world.guild.id)
    bot.tree.add_command(_admin_group(level.id), guild=guild)

    async def setup_hook() -> None:
        await bot.tree.sync(guild=guild)

    bot.setup_hook = setup_hook  # type: ignore[method-assign]
    async with running_bot(bot, fake):
        assert fake.command("admin") is None and fake.command("admin", world.guild) is not None
        ix = await fake.slash(
            world.ann,
            world.channel,
            "admin",
            {"who": bob, "sheet": ("s.csv", b"a\nb")},
            "user promote",
        )
        await ix.wait_done()
        assert ix.ephemeral and ix.original is not None
        assert ix.original.content == "2 rows; channel has ['pick one']"
        assert world.guild.members[bob.id].role_ids == [level.id]
        dm = fake.channel_messages(fake.dm_channel(bob))
        assert [m.content for m in dm] == ["you are now Level 5"]
        (card,) = fake.channel_messages(world.channel)
        assert card.reactions == {"✅": {fake.bot_user.id}}
        pick = await fake.click(world.ann, card, "pick", values=["dog"])
        await fake.wait_for_call("PATCH", r"/messages/@original$")
        assert pick.response_type == 6
        assert (card.content, card.components) == ("picked dog", [])
