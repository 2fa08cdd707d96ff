"""Three `run.py run` processes on one PostgreSQL, against the loopback fakes.

The production layout of docs/operations.md, shrunk onto loopback: node A runs Discord shard
0 of 2, node B shard 1, node C no Discord; all three take Telegram updates by webhook, which
the Telegram fake (standing in for the reverse proxy) delivers to them round-robin. A crowd
answers the same channel rounds and races to guess the same doodle through different
processes; schedules post rounds in Telegram groups and in Discord servers of both shards.
Then the scheduler's leader is SIGKILLed while players keep answering: another node takes
over, every acknowledged answer is stored, no slot is posted twice.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.core.engine import Engine
from bot.core.kernel.codec import decode
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef
from storage import SqlStore, open_store
from storage.rows import NewSchedule
from tests.multiprocess.cluster import RUNNING_LINE, Cluster, Node, free_port
from tests.support.doodles import doodle_campaign, rows
from tests.support.fakes.discord import FakeDiscord
from tests.support.fakes.telegram import FakeMessage, FakeTelegram, JSONDict
from tests.support.processes import run_env
from tests.support.seeds import seed_campaign
from tests.support.settings import settings_for
from tests.support.stores import pg_url_or_skip

SECRET = "multi-process_secret-42"
PUBLIC_URL = "https://labelquest.example.test/telegram"
CROWD = 6


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    url = pg_url_or_skip()
    store = await open_store(url)
    telegram = FakeTelegram()
    await telegram.start()
    discord_fake = await FakeDiscord(shards=2, identify_spacing=5.0).start()
    w = World(tmp_path, url, store, telegram, discord_fake)
    try:
        yield w
    finally:
        await w.cluster.stop()
        await discord_fake.stop()
        await telegram.stop()
        await store.db.drop_schema()  # type: ignore[attr-defined]
        await store.close()


class World:
    """The fakes, the shared store (the test reads it directly) and the nodes."""

    def __init__(
        self, tmp: Path, url: str, store: SqlStore, telegram: FakeTelegram, dfake: FakeDiscord
    ) -> None:
        self.tmp, self.url, self.store = tmp, url, store
        self.telegram, self.discord = telegram, dfake
        self.cluster = Cluster()
        self.backends: list[str] = []

    def node(self, name: str, shard: int | None) -> Node:
        port = free_port()
        self.backends.append(f"http://127.0.0.1:{port}/telegram")
        tg, dc = self.telegram, self.discord
        where = f"shard_ids = [{shard}]" if shard is not None else "gateway = false"
        discord_part = (
            f'shard_count = 2\n{where}\napi_base = "{dc.api_base}"\n'
            f'gateway_url = "{dc.gateway_url}"\ncdn_base = "{dc.cdn_base}"\n'
            "guild_ready_timeout = 0.1\n"
        )
        config = self.tmp / f"{name}.toml"
        config.write_text(
            f"""
[database]
url = "{self.url}"
pool_size = 6

[scheduler]
tick_seconds = 0.3
failover_seconds = 1.0

[game]
round_seconds = 30

[quickdraw]
round_seconds = 60
players_to_end = {CROWD + 1}
guesses_per_round = 5

[telegram]
base_url = "{tg.base_url}"
base_file_url = "{tg.base_file_url}"
mode = "webhook"
webhook_url = "{PUBLIC_URL}"
webhook_listen = "127.0.0.1"
webhook_port = {port}
webhook_path = "/telegram"

[discord]
{discord_part}""",
            encoding="utf-8",
        )
        tokens = {
            "TELEGRAM_TOKEN": tg.token,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "DISCORD_TOKEN": dc.token,
        }
        return self.cluster.add(Node(name, config, run_env(**tokens), self.tmp))

    async def start_all(self) -> None:
        nodes = [self.node("A", 0), self.node("B", 1), self.node("C", None)]
        self.telegram.route_webhook(self.backends)
        for node in nodes:
            await node.start()
        for node in nodes:
            await node.wait_for_line(RUNNING_LINE)
        await self.telegram.wait_for_call("setWebhook", timeout=30)

    async def scalar(self, sql: str, *params: Any) -> Any:
        found = await rows(self.store, sql, *params)
        return found[0][0]


async def _schedule(store: SqlStore, campaign_id: int, channel_id: int, due: float) -> None:
    await store.upsert_schedule(
        NewSchedule(campaign_id, channel_id, 60, 0, 0, 0, frozenset(), due, "test"), time.time()
    )


async def _channel(store: SqlStore, platform: str, external_id: str, name: str) -> int:
    community = await store.upsert_community(platform, external_id, name, time.time())
    row = await store.upsert_channel(
        platform, external_id, community.id, name, "group", time.time()
    )
    return row.id


async def _consent(store: SqlStore, users: list[JSONDict], group: JSONDict) -> None:
    """Consent behind the scenes, through an engine of the test's own (its flow is tested
    elsewhere); the nodes read the players from the store on first sight."""
    engine = Engine(store, settings_for(":memory:"))
    try:
        for user in users:
            community = CommunityRef("telegram", str(group["id"]), group["title"])
            channel = ChannelRef(
                "telegram", str(group["id"]), group["title"], Kind.GROUP, community
            )
            ref = PlayerRef("telegram", str(user["id"]), user["first_name"], channel)
            await engine.players.consent(ref, True)
    finally:
        await engine.close()


async def _card(tg: FakeTelegram, chat_id: int, method: str, text: str) -> FakeMessage:
    call = await tg.wait_for_call(
        method,
        lambda c: (
            c.ok
            and c.params.get("chat_id") == chat_id
            and text in str(c.params.get("text") or c.params.get("caption") or "")
        ),
        timeout=30,
    )
    return tg.message(chat_id, call.result["message_id"])


async def test_three_processes_share_one_postgresql(world: World) -> None:
    tg, store = world.telegram, world.store
    colours = await seed_campaign(store, game="classify", text_items=True, items=30)
    doodles = await doodle_campaign(store, ("cat",), min_overlap=CROWD)
    group = tg.group(-1001000, "Labellers")
    mod = tg.user(7, "Mo")
    tg.set_admins(group, mod)
    crowd = [tg.user(100 + i, f"P{i}") for i in range(CROWD)]
    for user in crowd:
        tg.private_chat(user)
    await _consent(store, crowd, group)

    await world.start_all()
    assert len(world.discord.sessions) == 2
    assert len(world.discord.command_syncs) == 1  # node A (shard 0) alone syncs
    assert world.discord.refused_identifies == 0  # the nodes took turns to IDENTIFY

    # a channel round: everyone presses twice, each press served by whichever node
    await tg.send_command(group, mod, "/round", colours.name)
    card = await _card(tg, group["id"], "sendMessage", "Which colour")
    red = next(d for row in card.buttons() for t, d in row if t == "red")
    green = next(d for row in card.buttons() for t, d in row if t == "green")
    queries = []
    for user in crowd:
        queries.append(await tg.press(group, user, card.message_id, red))
        queries.append(await tg.press(group, user, card.message_id, green, check=False))
    for query in queries:
        await tg.wait_for_answer(query, timeout=30)
    round_id = decode(red).args[0]
    per_player = await rows(
        store,
        "SELECT player_id, COUNT(*) FROM answers WHERE round_id = ? GROUP BY player_id",
        round_id,
    )
    assert len(per_player) == CROWD and all(n == 1 for _, n in per_player)
    targets = {p.target for p in tg.webhook_posts if p.ok}
    assert targets == set(world.backends)  # all three nodes served updates

    # a doodle race: every guess is right; ranks follow the order the database took them
    await tg.send_command(group, mod, "/round", doodles.name)
    await _card(tg, group["id"], "sendAnimation", "Quick, Draw! round")
    for user in crowd:
        await tg.send_command(group, user, "/guess", "cat")
    for user in crowd:
        await tg.wait_for_call(
            "sendMessage",
            lambda c, u=user: (
                c.params.get("chat_id") == u["id"] and "right guess" in str(c.params)
            ),
            timeout=30,
        )
    doodle_round = await world.scalar(
        "SELECT id FROM rounds WHERE campaign_id = ? AND mode = 'channel'", doodles.id
    )
    accepted = [
        r[0]
        for r in await rows(
            store,
            "SELECT player_id FROM guesses WHERE round_id = ? AND correct = 1 ORDER BY id",
            doodle_round,
        )
    ]
    state = await rows(store, "SELECT state FROM rounds WHERE id = ?", doodle_round)
    solved = [int(s["player"]) for s in _json(state[0][0])["solved"]]
    assert solved == accepted and len(set(solved)) == CROWD

    # schedules: Telegram groups and one Discord server per shard, due now and after a kill
    await _scheduled_posts_and_failover(world, colours.id, crowd)


async def _scheduled_posts_and_failover(
    world: World, campaign_id: int, crowd: list[JSONDict]
) -> None:
    tg, dc, store = world.telegram, world.discord, world.store
    now = time.time()
    channels: list[tuple[str, str, int, Any]] = []
    for i in range(3):
        chat = tg.group(-1002000 - i, f"Scheduled {i}")
        cid = await _channel(store, "telegram", str(chat["id"]), chat["title"])
        channels.append(("telegram", str(chat["id"]), cid, chat))
    discord_places: dict[tuple[int, str], tuple[Any, Any]] = {}  # (shard, when) -> place
    for shard in (0, 1):
        guild = dc.add_guild(f"Server {shard}", shard=shard)
        voter = await _discord_voter(world, guild, shard)
        for when in ("early", "late"):
            channel = dc.add_channel(guild, f"labels-{when}")
            cid = await _channel(store, "discord", str(channel.id), channel.name)
            channels.append(("discord", str(channel.id), cid, channel))
            discord_places[(shard, when)] = (channel, voter)
    early = [channels[0], channels[1], channels[3], channels[5]]
    late = [channels[2], channels[4], channels[6]]
    for _, _, cid, _ in early:
        await _schedule(store, campaign_id, cid, now)
    leader = await world.cluster.wait_for_leader()
    await _wait(lambda: _posted(store, campaign_id, [c[2] for c in early]), len(early), 30)
    for shard in (0, 1):  # a vote through each shard's node
        await _discord_vote(world, *discord_places[(shard, "early")])

    # load: every crowd member plays solo in private; then the leader dies mid-load
    acked: list[tuple[int, int]] = []
    stop = asyncio.Event()
    players = [asyncio.create_task(_play_solo(tg, u, acked, stop)) for u in crowd]
    await _wait_len(acked, 2 * CROWD, 60)
    for _, _, cid, _ in late:
        await _schedule(store, campaign_id, cid, time.time() + 2)
    leader.kill()
    successor = await world.cluster.wait_for_leader(other_than=leader, timeout=60)
    assert successor is not leader
    before = len(acked)
    await _wait(lambda: _posted(store, campaign_id, [c[2] for c in late]), len(late), 30)
    alive = 0 if leader.name == "B" else 1  # node A runs shard 0, node B shard 1
    await _discord_vote(world, *discord_places[(alive, "late")])  # posted by the successor
    await _wait_len(acked, before + 2 * CROWD, 60)
    stop.set()
    await asyncio.gather(*players)

    # nothing acknowledged is lost; one round (and one chat post) per schedule slot
    for user_id, rid in acked:
        found = await rows(
            store,
            "SELECT COUNT(*) FROM answers a JOIN identities i ON i.player_id = a.player_id "
            "WHERE a.round_id = ? AND i.external_id = ?",
            rid,
            str(user_id),
        )
        assert found[0][0] == 1, f"the acknowledged answer of {user_id} on round {rid} is lost"
    for platform, external, cid, place in channels:
        n = await world.scalar(
            "SELECT COUNT(*) FROM rounds WHERE campaign_id = ? AND channel_id = ?",
            campaign_id,
            cid,
        )
        assert n == 1, f"schedule in {platform} {external} opened {n} rounds"
        if platform == "telegram":
            assert len(tg.bot_messages(int(external))) == 1
        else:
            assert len(dc.channel_messages(place)) == 1
    # the webhook was registered once, by the first leader; the successor found it set
    assert [c.method for c in tg.calls].count("setWebhook") == 1
    # every channel round closed once, by its timeout or its crowd, and its card says so
    open_rounds = await world.scalar(
        "SELECT COUNT(*) FROM rounds WHERE mode = 'channel' AND status = 'open' AND closes_at < ?",
        time.time() - 5,
    )
    assert open_rounds == 0
    for node in world.cluster.nodes:
        if node is not leader:
            assert "Traceback" not in node.text, node.text


async def _discord_voter(world: World, guild: Any, shard: int) -> Any:
    """A consented member of `guild` (consent behind the scenes, as for the crowd)."""
    user = world.discord.user(f"voter{shard}")
    world.discord.add_member(guild, user)
    engine = Engine(world.store, settings_for(":memory:"))
    try:
        await engine.players.consent(PlayerRef("discord", str(user.id), user.name), True)
    finally:
        await engine.close()
    return user


async def _discord_vote(world: World, channel: Any, user: Any) -> None:
    """The member votes on the scheduled card in `channel`: one answer is stored."""
    card = world.discord.channel_messages(channel)[0]
    button = card.button("red").custom_id
    assert button is not None
    await (await world.discord.click(user, card, button)).wait_done(timeout=30)
    round_id = decode(button).args[0]

    async def stored() -> int:
        return int(await world.scalar("SELECT COUNT(*) FROM answers WHERE round_id = ?", round_id))

    await _wait(stored, 1, 30)  # the click is deferred at once, the answer follows
    assert await stored() == 1


async def _play_solo(
    tg: FakeTelegram, user: JSONDict, acked: list[tuple[int, int]], stop: asyncio.Event
) -> None:
    """/play, then press the first option of each new card; a press is acknowledged when the
    bot answers its callback query."""
    chat = int(user["id"])
    pressed: set[int] = set()
    await tg.send_command(chat, user, "/play")
    while not stop.is_set():
        cards = [m for m in tg.bot_messages(chat) if m.buttons() and m.message_id not in pressed]
        if not cards:
            await asyncio.sleep(0.05)
            continue
        card = cards[-1]
        pressed.add(card.message_id)
        data = card.buttons()[0][0][1]
        if data is None or decode(data).action != "a":
            continue
        query = await tg.press(chat, user, card.message_id, data)
        try:
            await tg.wait_for_answer(query, timeout=30)
        except (TimeoutError, AssertionError):
            continue
        acked.append((chat, decode(data).args[0]))


async def _posted(store: SqlStore, campaign_id: int, channel_ids: list[int]) -> int:
    marks = ", ".join("?" * len(channel_ids))
    found = await rows(
        store,
        f"SELECT COUNT(DISTINCT channel_id) FROM rounds WHERE campaign_id = ? "
        f"AND message_ref IS NOT NULL AND channel_id IN ({marks})",
        campaign_id,
        *channel_ids,
    )
    return int(found[0][0])


async def _wait(probe: Any, want: int, timeout: float) -> None:  # noqa: ASYNC109
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    got = await probe()
    while got < want and loop.time() < deadline:
        await asyncio.sleep(0.2)
        got = await probe()
    assert got >= want, f"waited {timeout} s for {want}, got {got}"


async def _wait_len(items: list[Any], want: int, timeout: float) -> None:  # noqa: ASYNC109
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while len(items) < want and loop.time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    assert len(items) >= want, f"waited {timeout} s for {want} acknowledged answers"


def _json(value: Any) -> dict[str, Any]:
    import json

    return value if isinstance(value, dict) else json.loads(value)
