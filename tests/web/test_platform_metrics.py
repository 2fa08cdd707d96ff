"""Platform API errors and retries in `/metrics`, end to end: the real python-telegram-bot
and discord.py clients against the loopback fakes, which refuse calls on purpose; the
counters are read through real HTTP from a served web adapter.

The counts are the process's (`bot.delivery.PLATFORM_STATS`), so each test compares a
scrape before with one after."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.app import App
from bot.config import WebSettings
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.delivery import PlatformStats
from bot.tg.app import TelegramAdapter
from bot.tg.ratelimit import RetryingLimiter
from bot.web.app import WebAdapter
from storage import open_store
from tests.support.discord_world import World as DiscordWorld
from tests.support.discord_world import shown
from tests.support.seeds import seed_campaign
from tests.support.settings import settings_for
from tests.support.telegram_world import World as TelegramWorld

LOOPBACK = WebSettings(enabled=True, listen="127.0.0.1", port=0)
ERRORS = "labelquest_platform_api_errors"
RETRIES = "labelquest_platform_api_retries"

Counts = dict[tuple[str, ...], float]


async def scrape(engine: Engine) -> tuple[Counts, Counts]:
    """(errors by (platform, kind), retries by (platform,)) from a served `/metrics`."""
    web = WebAdapter(engine, LOOPBACK)
    await web.start()
    try:
        async with aiohttp.ClientSession() as http, http.get(f"{web.url}/metrics") as resp:
            assert resp.status == 200
            text = await resp.text()
    finally:
        await web.stop()
    errors: Counts = {}
    retries: Counts = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == f"{ERRORS}_total":
                errors[(s.labels["platform"], s.labels["kind"])] = s.value
            elif s.name == f"{RETRIES}_total":
                retries[(s.labels["platform"],)] = s.value
    return errors, retries


def rise(before: Counts, after: Counts) -> Counts:
    """What grew between two scrapes (keys that did not grow are left out)."""
    return {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}


async def test_every_platform_and_kind_is_exported_from_zero(engine: Engine) -> None:
    errors, retries = await scrape(engine)
    kinds = {"rate_limited", "server", "network", "forbidden", "not_found", "bad_request"}
    for platform in ("discord", "telegram"):
        assert kinds <= {k for p, k in errors if p == platform}
        assert (platform,) in retries


async def test_telegram_429_500_and_a_dropped_connection_count_errors_and_retries(
    telegram_world: TelegramWorld,
) -> None:
    world = telegram_world
    await world.start()
    app = world.app
    assert app is not None
    adapter = app.adapters[0]
    assert isinstance(adapter, TelegramAdapter)
    adapter.limiter.base_delay = 0.01  # back off fast: the policy has its own tests
    errors, retries = await scrape(world.engine)

    ann = world.person(42, "Ann")
    world.fake.fail_next("sendMessage", status=429, retry_after=0.01)
    world.fake.fail_next("sendMessage", status=500)
    world.fake.fail_next("sendMessage", disconnect=True)
    await world.fake.send_command(ann["id"], ann, "/start")
    await world.sent(ann["id"], text="Nothing is stored")
    statuses = [c.ok for c in world.fake.calls if c.method == "sendMessage"]
    assert statuses == [False, False, False, True]

    errors_after, retries_after = await scrape(world.engine)
    assert rise(errors, errors_after) == {
        ("telegram", "rate_limited"): 1,
        ("telegram", "server"): 1,
        ("telegram", "network"): 1,
    }
    assert rise(retries, retries_after) == {("telegram",): 3}


async def test_a_discord_500_and_429_on_a_round_edit_count_errors_and_retries(
    discord_world: DiscordWorld, app: App
) -> None:
    world = discord_world
    assert app.store is not None and app.engine is not None
    await seed_campaign(app.store, game="classify", items=3, min_overlap=5, max_overlap=7)
    await world.consent(world.ann)
    card = await world.post_round()
    errors, retries = await scrape(app.engine)

    edit = rf"^/channels/{world.channel.id}/messages/{card.id}$"
    world.fake.fail_next("PATCH", edit, 500)  # discord.py waits 1 s, then tries again
    world.fake.fail_next("PATCH", edit, 429, retry_after=0.01)
    world.clock.advance(5)
    await world.private_reply(await world.click(world.ann, card, "red"))
    statuses = [(await world.fake.wait_for_call("PATCH", edit)).status for _ in range(3)]
    assert statuses == [500, 429, 200]
    assert "1 player has answered" in shown(card)

    errors_after, retries_after = await scrape(app.engine)
    assert rise(errors, errors_after) == {("discord", "server"): 1, ("discord", "rate_limited"): 1}
    assert rise(retries, retries_after) == {("discord",): 2}


@pytest.fixture
async def observer(tmp_path: Path) -> AsyncIterator[Engine]:
    """An engine of its own to serve `/metrics` after the app under test has stopped (the
    counts are the process's, whichever engine the web side serves)."""
    store = await open_store(str(tmp_path / "observer.db"))
    engine = Engine(store, settings_for(":memory:"), ManualClock())
    try:
        yield engine
    finally:
        await engine.close()
        await store.close()


async def test_a_discord_refusal_is_an_error_without_a_retry(
    discord_world: DiscordWorld, app: App, observer: Engine
) -> None:
    world = discord_world
    assert app.store is not None and app.engine is not None
    await seed_campaign(app.store, game="classify", items=3)
    card = await world.post_round()
    card.deleted = True  # a moderator removed the round message: 404 Unknown Message
    errors, retries = await scrape(observer)
    world.clock.advance(app.settings.game.round_seconds + 1)
    assert await app.engine.tick() == 1
    await world.fake.wait_for_call("PATCH", rf"/messages/{card.id}$")
    await world.stop_app(app)  # waits for the editor to finish with the refusal
    errors_after, retries_after = await scrape(observer)
    assert rise(errors, errors_after) == {("discord", "not_found"): 1}
    assert rise(retries, retries_after) == {}


@pytest.mark.parametrize(
    ("error", "kind", "tries"),
    [
        (RetryAfter(0), "rate_limited", 3),
        (NetworkError("Internal Server Error"), "server", 3),
        (Forbidden("Forbidden: bot was blocked by the user"), "forbidden", 1),
        (BadRequest("Bad Request: message is not modified"), "bad_request", 1),
    ],
)
async def test_telegram_errors_are_counted_by_kind_and_only_retries_as_retries(
    error: Exception, kind: str, tries: int
) -> None:
    """Each kind once more, without a server: the limiter around a call that always fails
    (two retries allowed)."""
    stats = PlatformStats()

    async def no_wait(seconds: float) -> None:
        return None

    limiter = RetryingLimiter(max_retries=2, sleep=no_wait, stats=stats)
    calls: list[Any] = []

    async def refused() -> bool:
        calls.append(1)
        raise error

    with pytest.raises(type(error)):
        await limiter.process_request(refused, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert len(calls) == tries
    assert stats.snapshot() == (
        {("telegram", kind): tries},
        {"telegram": tries - 1} if tries > 1 else {},
    )


async def test_a_lost_connection_is_a_network_error_not_a_server_one() -> None:
    stats = PlatformStats()
    limiter = RetryingLimiter(max_retries=0, stats=stats)

    async def lost() -> bool:
        try:
            raise httpx.ConnectError("connection refused")
        except httpx.ConnectError as exc:
            raise NetworkError(f"httpx.ConnectError: {exc}") from exc

    with pytest.raises(NetworkError):
        await limiter.process_request(lost, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert stats.snapshot() == ({("telegram", "network"): 1}, {})
