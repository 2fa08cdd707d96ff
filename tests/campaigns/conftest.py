"""Fixtures of the campaign tests: the Telegram and Discord worlds over their fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from tests.cogs.driver import World as DiscordWorld
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram, telegram_fake
from tests.tg.world import World as TelegramWorld

__all__ = ["dc_world", "telegram_fake", "tg_world"]


@pytest_asyncio.fixture
async def tg_world(telegram_fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[TelegramWorld]:
    w = TelegramWorld(telegram_fake, str(tmp_path / "labelquest.db"))
    try:
        yield w
    finally:
        await w.stop()


@pytest_asyncio.fixture
async def dc_world(tmp_path: Path) -> AsyncIterator[DiscordWorld]:
    fake = await FakeDiscord().start()
    world = DiscordWorld(fake, tmp_path)
    try:
        yield world
    finally:
        for app in reversed(world.apps):
            await app.stop()
        await fake.stop()
