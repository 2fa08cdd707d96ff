"""A Discord adapter without a gateway connection (`[discord] gateway = false`): a process
that runs no shard but may lead the scheduler logs in over REST, opens no gateway session,
takes no events, never syncs the commands, and still posts scheduled round cards, edits them
when the rounds close and sends DM notices, in servers whose shard runs elsewhere or nowhere.
Real discord.py against the Discord fake."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
import pytest_asyncio

from bot.app import App
from bot.cli.main import build_parser, main, settings_from
from bot.cogs.app import DiscordAdapter
from bot.config import ConfigError, load_settings
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.events import PlayerNotice
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef, Reply
from storage import open_store
from tests.support.discord_world import MANAGE_GUILD, labels, sharded_app, shown
from tests.support.fakes.discord import FakeChannel, FakeDiscord, FakeGuild, StoredMessage
from tests.support.seeds import seed_campaign
from tests.support.settings import db_path, settings_for
from tests.support.stores import pg_url_or_skip


class World:
    """Two shards: server Zero (shard 0) and server One (shard 1), a #play channel in each,
    mo moderating both. `start(...)` runs an App over the gateway (`shards`) or REST only."""

    def __init__(self, fake: FakeDiscord, db_url: str) -> None:
        self.fake, self.db_url = fake, db_url
        self.clock = ManualClock()
        self.zero = fake.add_guild("Zero", shard=0)
        self.one = fake.add_guild("One", shard=1)
        self.zero_play = fake.add_channel(self.zero, "play")
        self.one_play = fake.add_channel(self.one, "play")
        self.mo = fake.user("mo")
        for guild in (self.zero, self.one):
            fake.add_member(guild, self.mo, permissions=MANAGE_GUILD)
        self.apps: list[App] = []

    async def start(self, *, gateway: bool, shard_ids: list[int] | None = None) -> App:
        app = sharded_app(self.fake, self.db_url, self.clock, shard_ids=shard_ids, gateway=gateway)
        await app.start()
        self.apps.append(app)
        return app

    async def schedule_rounds(self, leader: App, guild: FakeGuild, channel: FakeChannel) -> None:
        """mo schedules the campaign's rounds in `channel` (every 10 min)."""
        assert leader.engine is not None
        community = CommunityRef("discord", str(guild.id), guild.name)
        where = ChannelRef("discord", str(channel.id), "play", Kind.GROUP, community)
        mo = PlayerRef("discord", str(self.mo.id), "mo", where, is_moderator=True)
        reply = await leader.engine.campaigns.campaign_schedule(mo, "colours", every=10)
        assert "every 10 min" in reply.text, reply.text

    def cards(self, channel: FakeChannel) -> list[StoredMessage]:
        return [m for m in self.fake.channel_messages(channel) if m.buttons()]

    async def wait_shown(self, message: StoredMessage, text: str) -> None:
        await self.fake.wait_until(lambda: text in shown(message), what=f"{text!r} shown")

    async def leader_runs_a_scheduled_round(self, leader: App, channel: FakeChannel) -> None:
        """The leader posts the scheduled round card in `channel`, then closes the round and
        edits that card in place (never re-posting it)."""
        assert leader.engine is not None
        await leader.engine.tick()
        await self.fake.wait_until(lambda: len(self.cards(channel)) == 1, what="a round post")
        (card,) = self.cards(channel)
        assert labels(card) == ["red", "green", "blue"]
        self.clock.advance(leader.settings.game.round_seconds + 1)
        await leader.engine.tick()
        await self.wait_shown(card, "Round closed")
        assert card.buttons() == []
        assert [m.id for m in self.fake.channel_messages(channel)] == [card.id]

    async def leader_sends_a_dm(self, leader: App) -> None:
        assert leader.store is not None and leader.engine is not None
        # mo agreed to play (e.g. through another process); a level-up notice is due
        player = await leader.store.create_player("discord", str(self.mo.id), "mo", 1, 0.0)
        leader.engine.bus.publish(PlayerNotice(player.id, Reply("🎉 Level 2!")))
        dm = self.fake.dm_channel(self.mo)
        await self.fake.wait_until(lambda: self.fake.channel_messages(dm), what="a DM")
        assert [shown(m) for m in self.fake.channel_messages(dm)] == ["🎉 Level 2!"]


def adapter_of(app: App) -> DiscordAdapter:
    (adapter,) = app.adapters
    assert isinstance(adapter, DiscordAdapter)
    return adapter


def gateway_calls(fake: FakeDiscord) -> list[str]:
    return [c.path for c in fake.calls if c.path.endswith(("/gateway", "/gateway/bot"))]


async def _world(db_url: str) -> AsyncIterator[World]:
    fake = await FakeDiscord(shards=2).start()
    world = World(fake, db_url)
    try:
        yield world
    finally:
        for app in reversed(world.apps):
            await app.stop()
        await fake.stop()


@pytest_asyncio.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async for w in _world(db_path(tmp_path)):
        yield w


@pytest_asyncio.fixture
async def pg_world() -> AsyncIterator[World]:
    db_url = pg_url_or_skip()  # several processes share a store on PostgreSQL
    try:
        async for w in _world(db_url):
            yield w
    finally:
        store = await open_store(db_url)
        await store.db.drop_schema()  # type: ignore[attr-defined]
        await store.close()


async def test_a_rest_only_process_posts_edits_and_dms_without_a_gateway_session(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.cogs")
    leader = await world.start(gateway=False)
    bot = adapter_of(leader).bot
    assert bot is not None and bot.user is not None and bot.user.id == world.fake.bot_user.id
    assert bot.application_id == world.fake.app_id
    # logged in over REST only: no gateway lookup, no IDENTIFY, no session, no command sync
    assert world.fake.sessions == [] and world.fake.identifies == []
    assert gateway_calls(world.fake) == [] and world.fake.command_syncs == []
    assert list(bot.guilds) == []  # no events, so no server in the cache
    assert any("REST only" in r.getMessage() for r in caplog.records)
    assert leader.store is not None
    await seed_campaign(leader.store, game="classify", items=3, min_overlap=5, max_overlap=7)

    # server One's shard runs nowhere: the leader still posts, closes and edits by REST
    await world.schedule_rounds(leader, world.one, world.one_play)
    await world.leader_runs_a_scheduled_round(leader, world.one_play)
    await world.leader_sends_a_dm(leader)
    assert world.fake.sessions == [] and world.fake.identifies == []


async def test_a_rest_only_leader_writes_in_a_server_whose_shard_another_process_runs(
    pg_world: World,
) -> None:
    world = pg_world
    gateway = await world.start(gateway=True, shard_ids=[0])
    leader = await world.start(gateway=False)
    assert world.fake.sessions == [(0, 2)]  # shard 0's process only
    assert [i["shard"] for i in world.fake.identifies] == [[0, 2]]
    (sync,) = world.fake.command_syncs  # by shard 0's process; the REST-only one left it
    assert sync.path.endswith(f"/applications/{world.fake.app_id}/commands")
    assert adapter_of(gateway).bot is not None
    assert leader.store is not None
    await seed_campaign(leader.store, game="classify", items=3, min_overlap=5, max_overlap=7)

    await world.schedule_rounds(leader, world.zero, world.zero_play)
    await world.leader_runs_a_scheduled_round(leader, world.zero_play)
    await world.leader_sends_a_dm(leader)
    assert world.fake.sessions == [(0, 2)] and len(world.fake.identifies) == 1


async def test_stop_closes_the_http_session_after_the_closing_card_edit(world: World) -> None:
    leader = await world.start(gateway=False)
    assert leader.store is not None and leader.engine is not None
    await seed_campaign(leader.store, game="classify", items=3, min_overlap=5, max_overlap=7)
    await world.schedule_rounds(leader, world.one, world.one_play)
    await leader.engine.tick()
    await world.fake.wait_until(lambda: len(world.cards(world.one_play)) == 1, what="a post")
    (card,) = world.cards(world.one_play)
    bot = adapter_of(leader).bot
    assert bot is not None
    world.clock.advance(leader.settings.game.round_seconds + 1)
    await leader.engine.tick()  # the close edits the card (the edit may still be queued)
    world.apps.remove(leader)
    await leader.stop()
    assert "Round closed" in shown(card)
    assert bot.is_closed() and bot.http._HTTPClient__session.closed  # type: ignore[attr-defined]


async def test_a_wrong_token_fails_the_rest_login_with_a_note(tmp_path: Path) -> None:
    fake = await FakeDiscord().start()
    try:
        discord_values = {
            "api_base": fake.api_base,
            "gateway_url": fake.gateway_url,
            "cdn_base": fake.cdn_base,
            "gateway": False,
        }
        settings = settings_for(db_path(tmp_path), discord=discord_values)
        app = App(settings, environ={"DISCORD_TOKEN": "not-the-token"}, scheduler=False)
        with pytest.raises(discord.LoginFailure) as failed:
            await app.start()
    finally:
        await fake.stop()
    (note,) = failed.value.__notes__
    assert "check the value of $DISCORD_TOKEN" in note, note
    assert app.adapters == [] and fake.identifies == []


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my.toml"
    path.write_text("[discord]\n" + text)
    return path


def test_rest_only_with_shard_ids_is_a_config_error(tmp_path: Path) -> None:
    path = _config(tmp_path, "gateway = false\nshard_count = 2\nshard_ids = [1]\n")
    with pytest.raises(ConfigError) as exc:
        load_settings(path, environ={})
    message = str(exc.value)
    assert "[discord] gateway = false: this process runs no shard (REST only)" in message
    assert "[discord] shard_ids is [1]" in message and "\n" not in message
    rest = load_settings(_config(tmp_path, "gateway = false\nshard_count = 2\n"), environ={})
    assert not rest.discord.gateway and not rest.discord.syncs_commands
    assert load_settings(environ={}).discord.gateway


def test_the_run_flag_turns_the_gateway_off(tmp_path: Path) -> None:
    config = _config(tmp_path, "shard_count = 2\n")
    flagged = build_parser().parse_args(["run", "--config", str(config), "--no-discord-gateway"])
    d = settings_from(flagged).discord
    assert not d.gateway and d.shard_count == 2 and not d.syncs_commands
    assert settings_from(
        build_parser().parse_args(["run", "--config", str(config)])
    ).discord.gateway


@pytest.mark.parametrize(
    ("flags", "config", "message"),
    [
        (
            ["--no-discord-gateway", "--shards", "1", "--shard-count", "2"],
            "",
            "--no-discord-gateway: this process runs no shard (REST only), but --shards is [1]",
        ),
        (
            ["--no-discord-gateway"],
            "shard_count = 2\nshard_ids = [0]\n",
            "--no-discord-gateway: this process runs no shard (REST only), but [discord] "
            "shard_ids is [0]",
        ),
        (
            ["--shards", "1", "--shard-count", "2"],
            "gateway = false\n",
            "[discord] gateway = false: this process runs no shard (REST only), but --shards",
        ),
    ],
)
def test_rest_only_with_shards_exits_2_naming_both(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    config: str,
    message: str,
) -> None:
    path = _config(tmp_path, config)
    code = main(["run", "--config", str(path), "--db", str(tmp_path / "x.db"), *flags])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1, err
