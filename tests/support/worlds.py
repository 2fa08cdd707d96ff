"""End-to-end worlds shared by the feature test packages (campaigns, review, quickdraw, ...).

A package's conftest imports the fixtures it wants, e.g.
`from tests.feature_fixtures import dc, telegram_fake, tg`:

- `tg`: the real App over a fresh SQLite file, talking to the Telegram fake given by the
  `telegram_fake` fixture (privacy mode off; a conftest may import
  `privacy_telegram_fake as telegram_fake` instead, to play as bots ship: privacy mode on);
- `dc`: the Discord fake and its world (apps are started by the test, stopped here).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.cogs.driver import World as DiscordWorld
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram, telegram_fake
from tests.tg.world import World as TelegramWorld

__all__ = ["dc", "privacy_telegram_fake", "telegram_fake", "tg"]


@pytest_asyncio.fixture
async def privacy_telegram_fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeTelegram]:
    """A started FakeTelegram with privacy mode on (the bot sees commands and replies to its
    own messages only); PTB_TIMEDELTA=1 as in `telegram_fake`."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    async with FakeTelegram(privacy_mode=True) as fake:
        yield fake


@pytest_asyncio.fixture
async def tg(telegram_fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[TelegramWorld]:
    world = TelegramWorld(telegram_fake, str(tmp_path / "labelquest.db"))
    try:
        yield world
    finally:
        await world.stop()


@pytest_asyncio.fixture
async def dc(tmp_path: Path) -> AsyncIterator[DiscordWorld]:
    fake = await FakeDiscord().start()
    world = DiscordWorld(fake, tmp_path)
    try:
        yield world
    finally:
        for app in reversed(world.apps):
            await app.stop()
        await fake.stop()
