"""Users attaching files on the Discord fake, received by the real discord.py client: message
attachments (DMs and channels, under the intents rule) and slash-command attachment options."""

from __future__ import annotations

import io
import warnings
from collections.abc import AsyncIterator

import pytest
from PIL import Image

from tests.support.fakes.discord import (
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeUser,
    UserFile,
    discord_fake,  # noqa: F401  # the fixture under test
    running_bot,
)

with warnings.catch_warnings():  # the fake's client imported discord quietly already (audioop)
    warnings.simplefilter("ignore", DeprecationWarning)
    import discord
    from discord import app_commands
    from discord.ext import commands


def png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 200, 10)).save(out, "PNG")
    return out.getvalue()


def describe(att: discord.Attachment) -> str:
    return f"{att.filename} {att.content_type} {att.size} {att.width}x{att.height}"


@app_commands.command(description="Send a photo")
async def contribute(interaction: discord.Interaction, photo: discord.Attachment) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    data = await photo.read() if photo.size < 2**20 else b""
    await interaction.followup.send(f"{describe(photo)} read {len(data)}", ephemeral=True)


class FileBot(commands.Bot):
    """Answers every human message with what its attachments are, downloading small ones."""

    def __init__(self) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            guild_ready_timeout=0.05,
        )
        self.tree.add_command(contribute)

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        parts = []
        for att in message.attachments:
            data = await att.read() if att.size < 2**20 else b""
            parts.append(f"{describe(att)} read {len(data)}")
        await message.channel.send("; ".join(parts) or "no attachments")


class World:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.guild: FakeGuild = fake.add_guild("Photos")
        self.channel: FakeChannel = fake.add_channel(self.guild, "chat")
        self.ann: FakeUser = fake.user("ann")
        fake.add_member(self.guild, self.ann)


@pytest.fixture
async def world(discord_fake: FakeDiscord) -> AsyncIterator[World]:  # noqa: F811
    world = World(discord_fake)
    async with running_bot(FileBot(), discord_fake):
        yield world


async def bot_answer(fake: FakeDiscord, channel: FakeChannel) -> str:
    call = await fake.wait_for_call("POST", rf"^/channels/{channel.id}/messages$")
    return str(call.response["content"]) if call.response else ""


async def test_dm_attachments_are_delivered_and_served(world: World) -> None:
    fake = world.fake
    dm = fake.dm_channel(world.ann)
    small = png((64, 48))
    huge = UserFile("big.jpg", b"\xff\xd8", declared_size=30 * 2**20)
    msg = await fake.send_message_event(world.ann, dm, "", [("chair.png", small), huge])
    answer = await bot_answer(fake, dm)
    assert answer == (
        f"chair.png image/png {len(small)} 64x48 read {len(small)};"
        f" big.jpg image/jpeg {30 * 2**20} NonexNone read 0"
    )
    assert fake.cdn_fetches == [msg.attachments[0].id]  # the big one was never downloaded
    assert msg.attachments[0].url.startswith(f"{fake.cdn_base}/attachments/{dm.id}/")


async def test_channel_attachments_need_the_message_content_intent(world: World) -> None:
    fake = world.fake
    await fake.send_message_event(world.ann, world.channel, "look", [("a.png", png((4, 4)))])
    assert await bot_answer(fake, world.channel) == "no attachments"
    assert fake.cdn_fetches == []


async def test_a_slash_command_attachment_option_is_resolved(world: World) -> None:
    fake = world.fake
    data = png((30, 20))
    ix = await fake.slash(
        world.ann, fake.dm_channel(world.ann), "contribute", {"photo": ("p.png", data)}
    )
    await ix.wait_done()
    assert ix.original is not None and ix.ephemeral
    assert ix.original.content == f"p.png image/png {len(data)} 30x20 read {len(data)}"
    (att,) = ix.payload["data"]["resolved"]["attachments"].values()
    assert fake.cdn_fetches == [att["id"]]
    big = UserFile("big.png", data, declared_size=5 * 2**20)
    ix = await (
        await fake.slash(world.ann, world.channel, "contribute", {"photo": big})
    ).wait_done()
    assert ix.original is not None and f"{5 * 2**20} 30x20 read 0" in ix.original.content
    assert len(fake.cdn_fetches) == 1
