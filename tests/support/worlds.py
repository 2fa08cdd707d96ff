"""End-to-end fixtures: the Discord and Telegram fakes and the worlds that run the real App
against them (registered for the whole suite by tests/conftest.py).

- `fake`: a started FakeDiscord. discord.py's endpoints are NOT patched: the adapter has to
  apply `[discord] api_base`, `gateway_url` and `cdn_base` itself.
- `telegram_fake`: a started FakeTelegram (privacy mode off); `privacy_telegram_fake` plays as
  bots ship, privacy mode on (a folder's conftest may pass it off as `telegram_fake`).
- `discord_world` / `telegram_world`: a world over the fake with a fresh SQLite file and a
  ManualClock; apps the test started are stopped at the end. `dc` and `tg` are short names.
- `world`: the world of the test module's platform, named by its file suffix
  (`test_<topic>_discord.py`, `test_<topic>_telegram.py`).
- `app`: the real App with only Discord, on a fresh SQLite file, no scheduler.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.app import App
from tests.support.discord_world import World as DiscordWorld
from tests.support.fakes.discord import FakeDiscord
from tests.support.fakes.telegram import FakeTelegram, telegram_fake
from tests.support.settings import db_path
from tests.support.telegram_world import World as TelegramWorld

__all__ = [
    "app",
    "dc",
    "discord_world",
    "fake",
    "privacy_telegram_fake",
    "telegram_fake",
    "telegram_world",
    "tg",
    "world",
]

PLATFORM_WORLDS = {"_discord": "discord_world", "_telegram": "telegram_world"}


@pytest_asyncio.fixture
async def privacy_telegram_fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeTelegram]:
    """A started FakeTelegram with privacy mode on (the bot sees commands and replies to its
    own messages only); PTB_TIMEDELTA=1 as in `telegram_fake`."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    async with FakeTelegram(privacy_mode=True) as fake:
        yield fake


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord (endpoints not patched: the App applies them from its settings)."""
    fake = await FakeDiscord().start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest_asyncio.fixture
async def discord_world(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[DiscordWorld]:
    """A guild with #play, players and a moderator on the Discord fake; apps started by the
    test are stopped here, newest first."""
    world = DiscordWorld(fake, tmp_path)
    try:
        yield world
    finally:
        for app in reversed(world.apps):
            await app.stop()


@pytest_asyncio.fixture
async def telegram_world(
    telegram_fake: FakeTelegram, tmp_path: Path
) -> AsyncIterator[TelegramWorld]:
    """A fake Telegram, a fresh SQLite file and a ManualClock; `await world.start()` runs App."""
    world = TelegramWorld(telegram_fake, db_path(tmp_path))
    try:
        yield world
    finally:
        await world.stop()


@pytest.fixture
def world(request: pytest.FixtureRequest) -> Any:
    """`discord_world` or `telegram_world`, after the platform suffix of the module's name."""
    module = request.module.__name__
    for suffix, fixture in PLATFORM_WORLDS.items():
        if module.endswith(suffix):
            return request.getfixturevalue(fixture)
    raise pytest.UsageError(
        f"{module}: `world` needs a platform suffix (_discord, _telegram) on the file name; "
        "or ask for discord_world / telegram_world"
    )


@pytest.fixture
def dc(discord_world: DiscordWorld) -> DiscordWorld:
    return discord_world


@pytest.fixture
def tg(telegram_world: TelegramWorld) -> TelegramWorld:
    return telegram_world


@pytest_asyncio.fixture
async def app(discord_world: DiscordWorld) -> App:
    """The real App with only Discord, on a fresh SQLite file, no scheduler."""
    return await discord_world.start_app()
