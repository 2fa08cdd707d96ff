"""Fixtures of the quick-draw end-to-end tests: the Telegram fake (privacy mode ON, as bots
ship) and the Discord fake, each with its test world from tests/tg and tests/cogs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.cogs.driver import World as DiscordWorld
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram
from tests.tg.world import World as TelegramWorld


@pytest_asyncio.fixture
async def tg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AsyncIterator[TelegramWorld]:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # see tests/fakes/telegram_api.telegram_fake
    async with FakeTelegram(privacy_mode=True) as fake:
        world = TelegramWorld(fake, str(tmp_path / "labelquest.db"))
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
