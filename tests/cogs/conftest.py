"""Fixtures of the Discord adapter tests: a started fake, a world, a running App."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from bot.app import App
from tests.cogs.driver import World
from tests.fakes.discord_api import FakeDiscord


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord. discord.py's endpoints are NOT patched here: the adapter has to
    apply `[discord] api_base`, `gateway_url` and `cdn_base` itself."""
    fake = await FakeDiscord().start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest_asyncio.fixture
async def world(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[World]:
    world = World(fake, tmp_path)
    try:
        yield world
    finally:
        for app in reversed(world.apps):
            await app.stop()


@pytest_asyncio.fixture
async def app(world: World) -> App:
    """The real App with only Discord, on a fresh SQLite file, no scheduler."""
    return await world.start_app()
