"""Discord sharding over processes: two LabelQuest Apps on one PostgreSQL, one running shard
0 and one running shard 1 of two, against the Discord fake (which routes a server's events to
its shard's session and DMs to shard 0). Each player plays through the process that runs
their server's shard; the commands are synced once; a DM reaches shard 0's process; the
shard-1 process alone posts and edits round cards in a server of shard 0."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio

from bot.app import App
from bot.cli.main import build_parser, main, settings_from
from bot.cogs.app import DiscordAdapter
from bot.cogs.bot import LabelQuestBot
from bot.config import ConfigError, DiscordSettings, load_settings
from bot.core.kernel.clock import ManualClock
from storage import open_store
from tests.support.discord_world import MANAGE_GUILD, labels, sharded_app, shown
from tests.support.fakes.discord import FakeChannel, FakeDiscord, FakeUser, StoredMessage
from tests.support.seeds import seed_campaign
from tests.support.settings import db_path, settings_for
from tests.support.stores import pg_url_or_skip


class Shards:
    """Two shards: server Zero (shard 0) where ann plays, server One (shard 1) where bob
    plays; mo moderates both. Apps are stopped newest first."""

    def __init__(self, fake: FakeDiscord, db_url: str) -> None:
        self.fake, self.db_url = fake, db_url
        self.clock = ManualClock()
        self.zero = fake.add_guild("Zero", shard=0)
        self.one = fake.add_guild("One", shard=1)
        self.zero_play = fake.add_channel(self.zero, "play")
        self.one_play = fake.add_channel(self.one, "play")
        self.ann, self.bob, self.mo = fake.user("ann"), fake.user("bob"), fake.user("mo")
        fake.add_member(self.zero, self.ann)
        fake.add_member(self.one, self.bob)
        for guild in (self.zero, self.one):
            fake.add_member(guild, self.mo, permissions=MANAGE_GUILD)
        self.apps: list[App] = []
        # (guild id or None for a DM, user id) of every interaction each process received
        self.received: dict[App, list[tuple[int | None, int]]] = {}

    async def start(self, shard_ids: list[int]) -> App:
        app = sharded_app(self.fake, self.db_url, self.clock, shard_ids=shard_ids)
        await app.start()
        self.apps.append(app)
        seen = self.received.setdefault(app, [])

        async def on_interaction(ix: discord.Interaction[Any]) -> None:
            seen.append((ix.guild_id, ix.user.id))

        bot_of(app).add_listener(on_interaction)
        return app

    async def stop(self, app: App) -> None:
        self.apps.remove(app)
        await app.stop()

    async def slash(
        self,
        user: FakeUser,
        channel: FakeChannel,
        name: str,
        options: dict[str, Any] | None = None,
    ) -> StoredMessage:
        """`/name` by `user`; its private answer."""
        ix = await (await self.fake.slash(user, channel, name, options)).wait_done()
        assert ix.original is not None and ix.ephemeral, shown(ix.original)
        return ix.original

    async def consent(self, user: FakeUser, channel: FakeChannel) -> None:
        prompt = await self.slash(user, channel, "start")
        await self.fake.click(user, prompt, prompt.button("✅ I agree").custom_id or "")
        await self.fake.wait_until(lambda: "You're in" in shown(prompt), what="consent")

    def cards(self, channel: FakeChannel) -> list[StoredMessage]:
        return [m for m in self.fake.channel_messages(channel) if m.buttons()]

    async def post_round(self, channel: FakeChannel) -> StoredMessage:
        """The moderator's /round in `channel`; the public round card."""
        before = len(self.cards(channel))
        note = await self.slash(self.mo, channel, "round")
        assert "Round posted" in shown(note), shown(note)
        return self.cards(channel)[before]

    async def vote(self, user: FakeUser, card: StoredMessage, choice: str) -> None:
        ix = await self.fake.click(user, card, card.button(choice).custom_id or "")
        (note,) = await ix.wait_followups(1)
        assert f"Vote recorded: {choice}" in shown(note), shown(note)

    async def wait_shown(self, message: StoredMessage, text: str) -> None:
        await self.fake.wait_until(lambda: text in shown(message), what=f"{text!r} shown")


def bot_of(app: App) -> LabelQuestBot:
    (adapter,) = app.adapters
    assert isinstance(adapter, DiscordAdapter) and adapter.bot is not None
    return adapter.bot


@pytest_asyncio.fixture
async def world() -> AsyncIterator[Shards]:
    db_url = pg_url_or_skip()  # several processes share a store on PostgreSQL
    fake = await FakeDiscord(shards=2).start()
    world = Shards(fake, db_url)
    try:
        yield world
    finally:
        for app in reversed(world.apps):
            await app.stop()
        await fake.stop()
        store = await open_store(db_url)
        await store.db.drop_schema()  # type: ignore[attr-defined]
        await store.close()


async def test_two_processes_split_the_shards_and_sync_the_commands_once(
    world: Shards, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.cogs.bot")
    one = await world.start([1])
    zero = await world.start([0])
    assert world.fake.sessions == [(0, 2), (1, 2)]
    assert sorted(i["shard"] for i in world.fake.identifies) == [[0, 2], [1, 2]]
    assert [g.id for g in bot_of(zero).guilds] == [world.zero.id]
    assert [g.id for g in bot_of(one).guilds] == [world.one.id]
    (sync,) = world.fake.command_syncs  # shard 0's process synced; shard 1's left it
    assert sync.path.endswith(f"/applications/{world.fake.app_id}/commands")
    assert {"round", "start", "help"} <= {c["name"] for c in world.fake.global_commands}
    assert any("process running shard 0 syncs" in r.getMessage() for r in caplog.records)

    # a DM command reaches shard 0's process only, and is answered
    dm = world.fake.dm_channel(world.ann)
    answer = await world.slash(world.ann, dm, "help")
    assert shown(answer)
    assert world.received[zero] == [(None, world.ann.id)] and world.received[one] == []


async def test_each_player_plays_through_their_shard_and_any_process_edits_any_card(
    world: Shards,
) -> None:
    one = await world.start([1])  # started first: it stays when shard 0's process stops
    zero = await world.start([0])
    assert one.store is not None
    await seed_campaign(one.store, game="classify", items=3, min_overlap=5, max_overlap=7)

    await world.consent(world.ann, world.zero_play)
    await world.consent(world.bob, world.one_play)
    card_zero = await world.post_round(world.zero_play)
    card_one = await world.post_round(world.one_play)
    assert labels(card_zero) == ["red", "green", "blue"] == labels(card_one)
    world.clock.advance(5)
    await world.vote(world.ann, card_zero, "red")
    await world.vote(world.bob, card_one, "green")
    await world.wait_shown(card_zero, "1 player has answered")
    await world.wait_shown(card_one, "1 player has answered")
    # every press reached the process that runs the server's shard
    assert {g for g, _ in world.received[zero]} == {world.zero.id}
    assert {g for g, _ in world.received[one]} == {world.one.id}
    assert {u for _, u in world.received[zero]} == {world.ann.id, world.mo.id}
    assert {u for _, u in world.received[one]} == {world.bob.id, world.mo.id}
    ix = await world.fake.slash(
        world.mo, world.zero_play, "campaign", {"name": "colours", "every": 10}, "schedule"
    )
    await ix.wait_done()
    assert "every 10 min" in shown(ix.original), shown(ix.original)

    # shard 0's process stops; shard 1's process, now the only one, closes both rounds and
    # posts the next scheduled round in server Zero, whose shard it does not run
    await world.stop(zero)
    assert bot_of(one).get_guild(world.zero.id) is None
    assert one.engine is not None
    world.clock.advance(one.settings.game.round_seconds + 1)
    await one.engine.tick()
    await world.wait_shown(card_zero, "Round closed")
    await world.wait_shown(card_one, "Round closed")
    assert "Votes: red 1 · green 0 · blue 0" in shown(card_zero)
    assert "Votes: red 0 · green 1 · blue 0" in shown(card_one)
    assert card_zero.buttons() == [] and card_one.buttons() == []
    await one.engine.tick()
    await world.fake.wait_until(lambda: len(world.cards(world.zero_play)) == 1, what="a post")
    (posted,) = world.cards(world.zero_play)
    assert posted.id != card_zero.id and labels(posted) == ["red", "green", "blue"]
    world.clock.advance(one.settings.game.round_seconds + 1)
    await one.engine.tick()
    await world.wait_shown(posted, "Round closed")
    in_zero = [m.id for m in world.fake.channel_messages(world.zero_play)]
    assert in_zero == [card_zero.id, posted.id]  # edited in place, never re-posted


async def test_too_few_shards_fail_start_with_a_note_naming_the_settings(tmp_path: Path) -> None:
    fake = await FakeDiscord(shards=2, require_sharding=True).start()
    try:
        discord_values = {
            "api_base": fake.api_base,
            "gateway_url": fake.gateway_url,
            "cdn_base": fake.cdn_base,
            "guild_ready_timeout": 0.05,
            "shard_count": 1,
        }
        settings = settings_for(db_path(tmp_path), discord=discord_values)
        app = App(settings, environ={"DISCORD_TOKEN": fake.token}, scheduler=False)
        with pytest.raises(discord.ConnectionClosed) as closed:
            await app.start()
    finally:
        await fake.stop()
    assert closed.value.code == 4011
    (note,) = closed.value.__notes__
    assert "4011 Sharding required" in note and "shard_count (1)" in note, note
    assert app.adapters == [] and app.store is None


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my.toml"
    path.write_text("[discord]\n" + text)
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("shard_ids = [1]\n", "[discord] shard_ids: needs [discord] shard_count"),
        ("shard_count = 2\nshard_ids = [2]\n", "shard 2 is out of range"),
        ("shard_count = 2\nshard_ids = [1, 1]\n", "shard 1 is listed twice"),
        ("shard_count = -1\n", "[discord] shard_count: must be at least 0"),
        ("shard_ids = [0.5]\n", "[discord] shard_ids[0]: must be an integer"),
    ],
)
def test_bad_shard_settings_stop_start_with_one_line(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError) as exc:
        load_settings(_config(tmp_path, text), environ={})
    assert message in str(exc.value) and "\n" not in str(exc.value), str(exc.value)


def test_shard_settings_say_which_process_syncs_the_commands(tmp_path: Path) -> None:
    def discord_of(text: str) -> DiscordSettings:
        return load_settings(_config(tmp_path, text), environ={}).discord

    everything = discord_of("")
    assert (everything.shard_count, everything.shard_ids) == (0, [])
    assert everything.syncs_commands
    assert discord_of("shard_count = 4\n").syncs_commands  # all four shards here
    assert discord_of("shard_count = 4\nshard_ids = [3, 0]\n").syncs_commands
    assert not discord_of("shard_count = 4\nshard_ids = [1, 2]\n").syncs_commands


def test_run_flags_override_the_shard_settings(tmp_path: Path) -> None:
    config = _config(tmp_path, "shard_count = 2\nshard_ids = [1]\n")
    args = build_parser().parse_args(
        ["run", "--config", str(config), "--shards", "0,1", "--shard-count", "4"]
    )
    d = settings_from(args).discord
    assert (d.shard_count, d.shard_ids) == (4, [0, 1])
    only_ids = build_parser().parse_args(["run", "--config", str(config), "--shards", "0"])
    assert settings_from(only_ids).discord.shard_ids == [0]
    kept = settings_from(build_parser().parse_args(["run", "--config", str(config)])).discord
    assert (kept.shard_count, kept.shard_ids) == (2, [1])


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--shards", "0,5", "--shard-count", "4"], "--shards: shard 5 is out of range"),
        (["--shards", "0,x", "--shard-count", "4"], "--shards: must be shard numbers"),
        (["--shards", "1"], "--shards: needs [discord] shard_count"),
        (["--shard-count", "-2"], "--shard-count: must be a whole number"),
        (["--shards", "1", "--shard-count", "1"], "shards are numbered 0 to --shard-count - 1"),
    ],
)
def test_bad_shard_flags_exit_2_naming_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], message: str
) -> None:
    code = main(["run", "--db", str(tmp_path / "x.db"), *flags])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1, err
