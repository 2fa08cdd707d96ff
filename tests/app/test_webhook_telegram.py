"""Telegram by webhook across processes: several TelegramAdapters in webhook mode over one
store, each serving its own port; the fake Telegram POSTs updates to them round-robin (the
reverse proxy's job in production). Everything a player does is answered once, whichever
process receives it; requests without the secret change nothing; setWebhook is called only
when what would be set changed; a polling process deletes a webhook it finds."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from bot.app import EngineCases
from bot.config import ConfigError, Settings, load_settings
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef
from bot.delivery import Delivery
from bot.tg.app import TelegramAdapter
from storage import SqlStore, open_store
from tests.support.fakes.telegram import SECRET_HEADER, FakeTelegram, JSONDict
from tests.support.seeds import seed_campaign
from tests.support.settings import settings_for
from tests.support.telegram_world import World, button, shown

PUBLIC_URL = "https://bot.example.org/telegram"
SECRET = "s3cret-Token_for_tests"
GROUP_ID = -100777


@dataclass
class Process:
    """What one `run.py run` process holds: its own engine (caches, event bus), delivery
    layer and Telegram adapter; the store is the one truth they share."""

    engine: Engine
    delivery: Delivery
    adapter: TelegramAdapter

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.adapter.webhook_port}/telegram"

    async def stop(self) -> None:
        await self.adapter.stop()
        await self.delivery.close()
        await self.engine.close()


@dataclass
class Cluster:
    fake: FakeTelegram
    store: SqlStore
    settings: Settings
    clock: ManualClock = field(default_factory=ManualClock)
    processes: list[Process] = field(default_factory=list)
    recorded: str | None = None  # the fingerprint the leader stored when it set the webhook

    async def start_process(self, secret: str | None = SECRET) -> Process:
        engine = Engine(self.store, self.settings, self.clock)
        delivery = Delivery(EngineCases(engine))
        delivery.start()
        adapter = TelegramAdapter(
            engine, self.settings, self.fake.token, delivery, webhook_secret=secret
        )
        await adapter.start()
        process = Process(engine, delivery, adapter)
        self.processes.append(process)
        return process

    async def stop(self) -> None:
        for process in reversed(self.processes):
            await process.stop()
        self.processes.clear()

    async def count(self, table: str) -> int:
        async with self.store.db.read() as conn:
            return int(await conn.fetchval(f"SELECT COUNT(*) FROM {table}"))

    def person(self, user_id: int, name: str) -> JSONDict:
        user = self.fake.user(user_id, name)
        self.fake.private_chat(user)
        return user

    async def consented(self, user: JSONDict, group: JSONDict | None = None) -> None:
        channel = None
        if group is not None:
            community = CommunityRef("telegram", str(group["id"]), group["title"])
            channel = ChannelRef(
                "telegram", str(group["id"]), group["title"], Kind.GROUP, community
            )
        ref = PlayerRef("telegram", str(user["id"]), user["first_name"], channel)
        await self.processes[0].engine.players.consent(ref, True)


def webhook_settings(db: str, fake: FakeTelegram, **telegram: Any) -> Settings:
    options = {
        "base_url": fake.base_url,
        "base_file_url": fake.base_file_url,
        "edit_interval": 0.05,
        "mode": "webhook",
        "webhook_url": PUBLIC_URL,
        "webhook_port": 0,
        **telegram,
    }
    return settings_for(db, telegram=options)


@pytest_asyncio.fixture
async def cluster(telegram_fake: FakeTelegram, db_url: str) -> AsyncIterator[Cluster]:
    """Three processes in webhook mode over one store (SQLite or PostgreSQL), behind the
    fake's round-robin "proxy"; the first one (the scheduler's leader) set the webhook."""
    store = await open_store(db_url)
    found = Cluster(telegram_fake, store, webhook_settings(db_url, telegram_fake))
    try:
        for _ in range(3):
            await found.start_process()
        telegram_fake.route_webhook([p.url for p in found.processes])
        found.recorded = await found.processes[0].adapter.ensure_webhook(None)
        yield found
    finally:
        await found.stop()
        if store.dialect == "postgres":
            await store.db.drop_schema()  # type: ignore[attr-defined]
        await store.close()


async def sent(fake: FakeTelegram, chat_id: int, text: str, method: str = "sendMessage") -> int:
    """The id of the next message the bot sent to `chat_id` containing `text`."""

    def hit(c: Any) -> bool:
        shown_text = str(c.params.get("text") or c.params.get("caption") or "")
        return bool(c.ok and c.params.get("chat_id") == chat_id and text in shown_text)

    call = await fake.wait_for_call(method, hit)
    return int(call.result["message_id"])


def served_by(fake: FakeTelegram) -> dict[str, int]:
    """Updates answered 2xx, per backend."""
    counts: dict[str, int] = {}
    for post in fake.webhook_posts:
        if post.ok:
            counts[post.target] = counts.get(post.target, 0) + 1
    return counts


async def test_players_are_answered_once_whichever_process_receives_them(
    cluster: Cluster,
) -> None:
    fake = cluster.fake
    await seed_campaign(cluster.store, game="classify", text_items=True, now=cluster.clock.now())
    group = fake.group(GROUP_ID, "Labelers")
    mod = cluster.person(7, "Mo")
    fake.set_admins(group, mod)
    players = [cluster.person(100 + n, f"P{n}") for n in range(6)]
    for player in players:
        await cluster.consented(player, group)

    # a command and six presses on one round card, spread over the three processes
    await fake.send_command(group, mod, "/round")
    card_id = await sent(fake, GROUP_ID, "Round")
    card = fake.message(GROUP_ID, card_id)
    labels = ["red", "green", "red", "blue", "red", "green"]
    queries = [
        await fake.press(group, p, card_id, button(card, label))
        for p, label in zip(players, labels, strict=True)
    ]
    for query in queries:
        assert "Vote recorded" in ((await fake.wait_for_answer(query)).text or "")
    await fake.wait_until_delivered()
    assert await cluster.count("answers") == 6
    assert len(fake.bot_messages(GROUP_ID)) == 1  # one round card, whoever handled what

    # solo sessions in private chats: /play and an answer each, through any process
    for player in players[:3]:
        await fake.send_command(player["id"], player, "/play")
        solo = await sent(fake, player["id"], "Which colour")
        query = await fake.press(
            player, player, solo, button(fake.message(player["id"], solo), "red")
        )
        await fake.wait_for_answer(query)
    await fake.wait_until_delivered()
    assert await cluster.count("answers") == 9

    answered = [c for c in fake.calls if c.method == "answerCallbackQuery" and c.ok]
    assert len(answered) == len({c.params["callback_query_id"] for c in answered}) == 9
    assert not [c for c in fake.calls if c.method.lower() == "getupdates"]
    assert sorted(served_by(fake)) == sorted(p.url for p in cluster.processes)
    assert sum(served_by(fake).values()) == 1 + 6 + 3 + 3  # every update once


async def test_the_round_closes_once_and_shows_every_vote(cluster: Cluster) -> None:
    fake = cluster.fake
    await seed_campaign(cluster.store, game="classify", text_items=True, now=cluster.clock.now())
    group = fake.group(GROUP_ID, "Labelers")
    mod = cluster.person(7, "Mo")
    fake.set_admins(group, mod)
    await fake.send_command(group, mod, "/round")
    card_id = await sent(fake, GROUP_ID, "Round")
    players = [cluster.person(100 + n, f"P{n}") for n in range(3)]
    for player, label in zip(players, ["red", "red", "blue"], strict=True):
        await cluster.consented(player, group)
        query = await fake.press(
            group, player, card_id, button(fake.message(GROUP_ID, card_id), label)
        )
        await fake.wait_for_answer(query)

    cluster.clock.advance(cluster.settings.game.round_seconds + 1)
    assert await cluster.processes[0].engine.tick() == 1  # only the leader ticks
    closed = await fake.wait_for_call(
        "editMessageText",
        lambda c: c.ok and "Round closed" in str(c.params.get("text")),
    )
    assert closed.params["message_id"] == card_id
    assert "red 2" in shown(fake.message(GROUP_ID, card_id))
    assert fake.message(GROUP_ID, card_id).buttons() == []


async def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as response,
    ):
        return response.status, await response.text()


async def test_a_request_without_the_secret_is_refused_and_changes_nothing(
    cluster: Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    fake = cluster.fake
    ann = cluster.person(42, "Ann")
    await cluster.consented(ann)
    update = b"""{"update_id": 900, "message": {"message_id": 1, "date": 1767225600,
        "chat": {"id": 42, "type": "private", "first_name": "Ann"},
        "from": {"id": 42, "is_bot": false, "first_name": "Ann"},
        "text": "/forget", "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}}"""
    target = cluster.processes[1].url
    json_type = {"Content-Type": "application/json"}
    caplog.set_level(logging.DEBUG)
    assert (await _post(target, update, json_type))[0] == 403
    wrong = {**json_type, SECRET_HEADER: SECRET + "x"}
    assert (await _post(target, update, wrong))[0] == 403
    right = {**json_type, SECRET_HEADER: SECRET}
    assert (await _post(target, b"{not json", right))[0] == 400
    for garbage in (b"[1, 2]", b'{"update_id": "x"}', b'{"update_id": 1, "message": 5}'):
        assert (await _post(target, garbage, right))[0] == 400

    # nothing was handled: no answer to Ann, no forget prompt; she still plays
    await fake.send_command(ann["id"], ann, "/help")  # a real update, through the proxy
    await sent(fake, ann["id"], "LabelQuest commands")
    to_ann = [c for c in fake.calls if c.method == "sendMessage" and c.params["chat_id"] == 42]
    assert len(to_ann) == 1  # the help; the refused /forget prompted nothing
    refusals = [r for r in caplog.records if "refused a webhook request" in r.getMessage()]
    assert [r.levelname for r in refusals] == ["WARNING"] * 6
    assert not [r for r in caplog.records if SECRET in r.getMessage()]  # never logged


async def test_health_check_and_stop_refuses_new_updates(cluster: Cluster) -> None:
    process = cluster.processes[2]
    health = process.url.replace("/telegram", "/healthz")
    async with aiohttp.ClientSession() as session, session.get(health) as response:
        assert (response.status, await response.text()) == (200, "ok")
    await process.stop()
    cluster.processes.remove(process)
    with pytest.raises(aiohttp.ClientConnectionError):
        await _post(process.url, b"{}", {SECRET_HEADER: SECRET})

    # the proxy still lists the stopped process: updates go to the others, none is lost
    ann = cluster.person(42, "Ann")
    await cluster.consented(ann)
    for _ in range(3):
        await cluster.fake.send_command(ann["id"], ann, "/help")
        await sent(cluster.fake, ann["id"], "LabelQuest commands")
    await cluster.fake.wait_until_delivered()
    failed = [p for p in cluster.fake.webhook_posts if not p.ok]
    assert failed and {p.target for p in failed} == {process.url}


async def test_set_webhook_is_called_only_when_what_it_sets_changed(
    cluster: Cluster,
) -> None:
    fake = cluster.fake
    leader = cluster.processes[0].adapter

    def set_calls() -> int:
        return sum(1 for c in fake.calls if c.method == "setWebhook" and c.ok)

    assert set_calls() == 1  # the cluster fixture's leader set it
    first = await fake.wait_for_call("setWebhook", include_consumed=True)
    assert first.params["url"] == PUBLIC_URL and first.params["secret_token"] == SECRET
    assert first.params["allowed_updates"] == ["message", "callback_query"]
    assert first.params["max_connections"] == 40

    recorded = cluster.recorded
    assert recorded is not None and len(recorded) == 64 and SECRET not in recorded
    assert await leader.ensure_webhook(recorded) is None  # same settings: nothing called
    assert await cluster.processes[1].adapter.ensure_webhook(recorded) is None
    assert set_calls() == 1

    await leader.application.bot.delete_webhook()  # someone removed it by hand
    again = await leader.ensure_webhook(recorded)
    assert again == recorded and set_calls() == 2

    rotated = await cluster.start_process(secret="another-secret")
    changed = await rotated.adapter.ensure_webhook(recorded)  # a new secret: set again
    assert changed is not None and changed != recorded and set_calls() == 3
    assert fake.webhook is not None and fake.webhook.secret_token == "another-secret"


async def test_a_polling_process_deletes_the_webhook_it_finds(
    telegram_world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram refuses getUpdates while a webhook is set (409 Conflict); PTB's polling
    bootstrap deletes any webhook before polling, so a polling process takes the updates
    over, and warns that webhook processes of the same bot now get nothing."""
    fake = telegram_world.fake
    async with aiohttp.ClientSession() as session:
        await session.post(f"{fake.base_url}{fake.token}/setWebhook", data={"url": PUBLIC_URL})
    assert fake.webhook is not None
    caplog.set_level(logging.WARNING)
    await telegram_world.start()
    assert fake.webhook is None
    warnings = [r.getMessage() for r in caplog.records if "webhook is set" in r.getMessage()]
    assert len(warnings) == 1 and PUBLIC_URL in warnings[0]
    ann = telegram_world.person(42, "Ann")
    await fake.send_command(ann["id"], ann, "/help")
    await telegram_world.sent(ann["id"], text="LabelQuest commands")


def _load(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "my.toml"
    path.write_text(text)
    return load_settings(path, environ={})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[telegram]\nmode = "webhook"\n', 'webhook_url: mode = "webhook" needs the public'),
        ('[telegram]\nmode = "hook"\n', "mode: must be one of polling, webhook"),
        (
            '[telegram]\nwebhook_url = "http://bot.example.org/tg"\n',
            "webhook_url: must be the public https:// URL",
        ),
        ("[telegram]\nwebhook_port = 70000\n", "webhook_port: must be at most 65535"),
        ('[telegram]\nwebhook_path = "tg"\n', "webhook_path: must start with '/'"),
        (
            '[telegram]\nmode = "webhook"\nwebhook_url = "https://x.org/tg"\n'
            'webhook_secret_env = ""\n',
            'webhook_secret_env: mode = "webhook" needs the name',
        ),
    ],
)
def test_bad_webhook_settings_stop_startup(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        _load(tmp_path, text)
    assert message in str(exc.value) and "\n" not in str(exc.value)


def test_webhook_settings_and_their_defaults(tmp_path: Path) -> None:
    s = _load(tmp_path, '[telegram]\nmode = "webhook"\nwebhook_url = "https://x.org/tg"\n')
    tg = s.telegram
    assert (tg.mode, tg.webhook_url, tg.webhook_secret_env) == (
        "webhook",
        "https://x.org/tg",
        "TELEGRAM_WEBHOOK_SECRET",
    )
    assert (tg.webhook_listen, tg.webhook_port, tg.webhook_path) == ("127.0.0.1", 8443, "")
    assert load_settings(environ={}).telegram.mode == "polling"


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        (None, "set the environment variable TELEGRAM_WEBHOOK_SECRET"),
        ("has spaces in it", "it has other characters"),
        ("x" * 257, "it has longer"),
    ],
)
async def test_a_missing_or_malformed_secret_is_refused_without_showing_it(
    telegram_fake: FakeTelegram,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    secret: str | None,
    problem: str,
) -> None:
    settings = webhook_settings(str(tmp_path / "lq.db"), telegram_fake)
    monkeypatch.delenv("TELEGRAM_WEBHOOK_SECRET", raising=False)
    if secret is not None:
        monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", secret)
    store = await open_store(settings.database.url)
    engine = Engine(store, settings)
    try:
        with pytest.raises(ConfigError) as exc:
            TelegramAdapter(engine, settings, telegram_fake.token, Delivery(EngineCases(engine)))
        assert problem in str(exc.value)
        assert secret is None or secret not in str(exc.value)
    finally:
        await engine.close()
        await store.close()


async def test_the_secret_comes_from_the_environment_by_default(
    telegram_fake: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bot.app.App` builds the adapter without `webhook_secret`: the variable named by
    `webhook_secret_env` is read, and requests must carry it."""
    monkeypatch.setenv("LQ_HOOK", "from-the-env")
    settings = webhook_settings(
        str(tmp_path / "lq.db"), telegram_fake, webhook_secret_env="LQ_HOOK"
    )
    store = await open_store(settings.database.url)
    cluster = Cluster(telegram_fake, store, settings)
    try:
        process = await cluster.start_process(secret=None)
        ann = cluster.person(42, "Ann")
        body = (
            b'{"update_id": 5, "message": {"message_id": 1, "date": 1767225600,'
            b' "chat": {"id": 42, "type": "private", "first_name": "Ann"},'
            b' "from": {"id": 42, "is_bot": false, "first_name": "Ann"}, "text": "/help",'
            b' "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}'
        )
        status, _ = await _post(process.url, body, {SECRET_HEADER: "from-the-env"})
        assert status == 200
        await sent(telegram_fake, ann["id"], "LabelQuest commands")
    finally:
        await cluster.stop()
        await store.close()


async def test_the_app_runs_telegram_by_webhook(
    telegram_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real App in webhook mode: it builds the adapter with the secret from the
    environment, never polls, and answers what Telegram POSTs once the webhook is set."""
    fake = telegram_world.fake
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    app = await telegram_world.start(mode="webhook", webhook_url=PUBLIC_URL, webhook_port=0)
    adapter = next(a for a in app.adapters if isinstance(a, TelegramAdapter))
    fake.route_webhook([f"http://127.0.0.1:{adapter.webhook_port}/telegram"])
    assert await adapter.ensure_webhook(None) is not None
    ann = telegram_world.person(42, "Ann")
    await fake.send_command(ann["id"], ann, "/help")
    await telegram_world.sent(ann["id"], text="LabelQuest commands")
    assert not [c for c in fake.calls if c.method.lower() in ("getupdates", "deletewebhook")]
