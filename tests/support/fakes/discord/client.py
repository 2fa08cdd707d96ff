"""Running the real discord.py client against the fake: patched endpoints, the `discord_fake`
fixture, and `running_bot`, which starts a bot and waits for READY and `on_ready`."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import pytest_asyncio
import yarl

with warnings.catch_warnings():
    # discord.py imports the stdlib `audioop` (deprecated in 3.11, gone in 3.13); the suite
    # turns warnings into errors, so the import is kept quiet here.
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord
from tests.support.fakes.discord.server import FakeDiscord


@contextmanager
def patch_discord_endpoints(fake: FakeDiscord) -> Iterator[FakeDiscord]:
    """Point discord.py's REST, gateway and CDN class attributes at the fake; restore after.

    They are process-global (shared/docs/platforms.md A.2). Never call
    `discord.http._set_api_version`: it resets `Route.BASE`.
    """
    route, ws, asset = discord.http.Route, discord.gateway.DiscordWebSocket, discord.asset.Asset
    saved = (route.BASE, ws.DEFAULT_GATEWAY, asset.BASE)
    route.BASE, asset.BASE = fake.api_base, fake.cdn_base
    ws.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield fake
    finally:
        route.BASE, ws.DEFAULT_GATEWAY, asset.BASE = saved


@pytest_asyncio.fixture
async def discord_fake() -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord with discord.py's endpoints patched to it for the test."""
    fake = await FakeDiscord().start()
    try:
        with patch_discord_endpoints(fake):
            yield fake
    finally:
        await fake.stop()


async def _race(
    task: asyncio.Task[None],
    aw: Awaitable[Any],
    timeout: float,  # noqa: ASYNC109
    what: str,
) -> None:
    waiter = asyncio.ensure_future(aw)
    done, _ = await asyncio.wait(
        {task, waiter}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
    )
    if waiter in done:
        waiter.result()
        return
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    if task in done:
        task.result()
        raise RuntimeError(f"bot.start() returned before {what}")
    raise TimeoutError(f"the bot did not reach {what} within {timeout} s")


@asynccontextmanager
async def running_bot(
    bot: discord.Client,
    fake: FakeDiscord,
    *,
    timeout: float = 5.0,  # noqa: ASYNC109
) -> AsyncIterator[asyncio.Task[None]]:
    """Run `bot.start(fake.token)` as a task until `on_ready`; on exit `await bot.close()` and
    re-raise whatever ended the task (a gateway parser's KeyError ends it silently otherwise).
    Pass `guild_ready_timeout=0.05` to the bot, or every start takes 2 s."""
    task = asyncio.create_task(bot.start(fake.token), name="discord-bot")
    try:
        await _race(task, fake.wait_connected(timeout), timeout, "the gateway READY")
        await _race(task, bot.wait_until_ready(), timeout, "on_ready")
        yield task
        await _settle(timeout)
    finally:
        await bot.close()
        await asyncio.wait_for(asyncio.shield(task), timeout)


_HANDLER_TASKS = ("CommandTree-invoker", "discord-ui-", "discord.py: ")


async def _settle(timeout: float) -> None:  # noqa: ASYNC109
    """Let running command, view and event handlers finish before closing: a followup still
    in flight when the fake stops would fail with ServerDisconnectedError and be logged."""
    here = asyncio.current_task()
    busy = [
        t
        for t in asyncio.all_tasks()
        if t is not here
        and t.get_name().startswith(_HANDLER_TASKS)
        and "timeout" not in t.get_name()
    ]
    if busy:
        await asyncio.wait(busy, timeout=timeout)
