"""The real entry point's Telegram part (`bot.app.App`) against the loopback fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from tests.fakes.telegram_api import FakeTelegram, telegram_fake
from tests.tg.world import World

__all__ = ["telegram_fake", "world"]


@pytest_asyncio.fixture
async def world(telegram_fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[World]:
    """A fake Telegram, a fresh SQLite file and a ManualClock; `await world.start()` runs App."""
    w = World(telegram_fake, str(tmp_path / "labelquest.db"))
    try:
        yield w
    finally:
        await w.stop()
