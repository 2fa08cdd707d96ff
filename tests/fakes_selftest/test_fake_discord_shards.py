"""The Discord fake's sharding rules, proven with the real discord.py `AutoShardedBot`:
the recommended count, IDENTIFY's `shard`, 4010 / 4011, events routed to the session of the
guild's shard, DMs to shard 0, and two processes' sessions connected at once."""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.support.fakes.discord import (
    FakeDiscord,
    discord_fake,  # noqa: F401  # the fixture under test
    running_bot,
)

with warnings.catch_warnings():  # the fake's client imported discord quietly already (audioop)
    warnings.simplefilter("ignore", DeprecationWarning)
    import discord
    from discord import app_commands
    from discord.ext import commands


class ShardBot(commands.AutoShardedBot):
    """Answers `/where` with the shard that received the interaction; records messages."""

    def __init__(self, **shards: Any) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            guild_ready_timeout=0.05,
            **shards,
        )
        self.heard: list[tuple[int | None, int]] = []  # (guild id, channel id) of messages

        @app_commands.command(description="Which shard am I on?")
        async def where(interaction: discord.Interaction) -> None:
            shard = interaction.guild.shard_id if interaction.guild else "DM"
            await interaction.response.send_message(f"shard {shard}", ephemeral=True)

        self.tree.add_command(where)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """No 5 s pause between this bot's shards: the fake has no IDENTIFY rate limit."""

    async def on_message(self, message: discord.Message) -> None:
        self.heard.append((message.guild.id if message.guild else None, message.channel.id))


class Shards:
    """Two shards; guild "Zero" on shard 0, guild "One" on shard 1, player ann in both."""

    def __init__(self, fake: FakeDiscord) -> None:
        fake.shards = 2
        self.fake = fake
        self.zero = fake.add_guild("Zero", shard=0)
        self.one = fake.add_guild("One", shard=1)
        self.zero_play = fake.add_channel(self.zero, "play")
        self.one_play = fake.add_channel(self.one, "play")
        self.ann = fake.user("ann")
        fake.add_member(self.zero, self.ann)
        fake.add_member(self.one, self.ann)


@pytest.fixture
async def world(discord_fake: FakeDiscord) -> AsyncIterator[Shards]:  # noqa: F811
    yield Shards(discord_fake)


async def _where(world: Shards, channel: Any) -> str:
    ix = await (await world.fake.slash(world.ann, channel, "where")).wait_done()
    assert ix.original is not None
    return ix.original.content


def test_guilds_are_placed_on_the_asked_shard(world: Shards) -> None:
    assert (world.zero.id >> 22) % 2 == 0
    assert (world.one.id >> 22) % 2 == 1
    with pytest.raises(ValueError, match="not one of the fake's 2 shards"):
        world.fake.add_guild("Two", shard=2)


async def test_one_process_runs_the_recommended_shards(world: Shards) -> None:
    bot = ShardBot()  # no shard_count: discord.py asks GET /gateway/bot
    async with running_bot(bot, world.fake):
        await bot.tree.sync()
        assert sorted(i["shard"] for i in world.fake.identifies) == [[0, 2], [1, 2]]
        assert world.fake.sessions == [(0, 2), (1, 2)]
        assert {g.id: g.shard_id for g in bot.guilds} == {world.zero.id: 0, world.one.id: 1}
        assert await _where(world, world.zero_play) == "shard 0"
        assert await _where(world, world.one_play) == "shard 1"


async def test_two_processes_each_get_only_their_shards_guilds(world: Shards) -> None:
    fake = world.fake
    first, second = ShardBot(shard_count=2, shard_ids=[0]), ShardBot(shard_count=2, shard_ids=[1])
    async with running_bot(first, fake), running_bot(second, fake):
        await first.tree.sync()
        assert fake.sessions == [(0, 2), (1, 2)]
        assert [g.id for g in first.guilds] == [world.zero.id]
        assert [g.id for g in second.guilds] == [world.one.id]
        # messages reach the process running the guild's shard, DMs shard 0's only ...
        await fake.send_message_event(world.ann, world.one_play, "hello")
        await fake.send_message_event(world.ann, fake.dm_channel(world.ann), "hi bot")
        await fake.dispatch("MESSAGE_CREATE", _message(fake, world.zero.id, world.zero_play.id))
        # ... and so do interactions (each session's events arrive in order, so the messages
        # were handled before these answers)
        assert await _where(world, world.one_play) == "shard 1"
        assert await _where(world, world.zero_play) == "shard 0"
        assert await _where(world, fake.dm_channel(world.ann)) == "shard DM"
        await fake.wait_until(lambda: len(first.heard) + len(second.heard) >= 3)
    dm = fake.dm_channel(world.ann).id
    assert second.heard == [(world.one.id, world.one_play.id)]
    assert first.heard == [(None, dm), (world.zero.id, world.zero_play.id)]


def _message(fake: FakeDiscord, guild_id: int, channel_id: int) -> dict[str, Any]:
    author = fake.owner.payload()
    return {
        "id": str(fake.ids.next()),
        "channel_id": str(channel_id),
        "guild_id": str(guild_id),
        "author": author,
        "content": "",
        "timestamp": "2026-01-01T00:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
    }


async def test_an_event_for_a_shard_nobody_runs_is_refused(world: Shards) -> None:
    async with running_bot(ShardBot(shard_count=2, shard_ids=[1]), world.fake):
        with pytest.raises(RuntimeError, match="no bot session serves DMs"):
            await world.fake.slash(world.ann, world.fake.dm_channel(world.ann), "where")


async def test_a_shard_id_outside_the_count_is_closed_with_4010(world: Shards) -> None:
    with pytest.raises(discord.ConnectionClosed) as closed:
        async with running_bot(ShardBot(shard_count=2, shard_ids=[2]), world.fake):
            pass
    assert closed.value.code == 4010
    assert world.fake.identifies[-1]["shard"] == [2, 2] and world.fake.connected == 0


@pytest.mark.parametrize("too_few", [{}, {"shard_count": 1}], ids=["unsharded", "one-shard"])
async def test_sharding_required_closes_a_session_with_too_few_shards_with_4011(
    world: Shards, too_few: dict[str, int]
) -> None:
    world.fake.require_sharding = True
    bot = ShardBot(**too_few) if too_few else commands.Bot("!", intents=discord.Intents.default())
    with pytest.raises(discord.ConnectionClosed) as closed:
        async with running_bot(bot, world.fake):
            pass
    assert closed.value.code == 4011
    assert world.fake.identifies[-1].get("shard", [0, 1])[1] == 1
    async with running_bot(ShardBot(), world.fake):  # the recommended count is accepted
        assert world.fake.sessions == [(0, 2), (1, 2)]


async def test_an_identify_too_soon_after_another_is_an_invalid_session() -> None:
    """Discord's IDENTIFY limit (max_concurrency 1: one per 5 s): the second of two raw
    IDENTIFYs within the spacing gets op 9 and no READY."""
    fake = await FakeDiscord(identify_spacing=5.0).start()
    try:
        async with aiohttp.ClientSession() as http:
            first = await _identify_raw(http, fake)
            second = await _identify_raw(http, fake)
        assert first["t"] == "READY"
        assert (second["op"], second["d"]) == (9, False)
        assert fake.refused_identifies == 1
    finally:
        await fake.stop()


async def _identify_raw(http: aiohttp.ClientSession, fake: FakeDiscord) -> dict[str, Any]:
    async with http.ws_connect(f"{fake.gateway_url}?v=10&encoding=json") as ws:
        hello = await ws.receive_json()
        assert hello["op"] == 10
        payload = {"token": fake.token, "intents": 0, "properties": {}}
        await ws.send_json({"op": 2, "d": payload})
        return dict(await ws.receive_json())
