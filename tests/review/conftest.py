"""End-to-end worlds for the review tests: `tg` (Telegram fake) and `dc` (Discord fake), each
running the real App over a fresh SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from tests.cogs.driver import World as DiscordWorld
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram, telegram_fake
from tests.tg.world import World as TelegramWorld

__all__ = ["dc", "telegram_fake", "tg"]


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
