"""Running python-telegram-bot against the Telegram fake the LabelQuest way (never
`run_polling`), and the `telegram_fake` fixture."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from telegram.ext import Application, ApplicationBuilder

from tests.support.fakes.telegram.fake import FakeTelegram


def application_builder(fake: FakeTelegram) -> ApplicationBuilder:  # type: ignore[type-arg]
    """An ApplicationBuilder pointed at the fake (token, base_url, base_file_url)."""
    return (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
    )


@contextlib.asynccontextmanager
async def running(app: Application, poll_timeout: float = 10.0) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run `app` the LabelQuest way (never run_polling): initialize, post_init, start, poll.

    Shutdown is the reverse: stop the updater, stop, shutdown (post_stop/post_shutdown included).
    """
    async with contextlib.AsyncExitStack() as stack:
        await app.initialize()
        stack.push_async_callback(_shut_down, app)
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        stack.push_async_callback(_stop, app)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=int(poll_timeout))
        stack.push_async_callback(app.updater.stop)
        yield app


async def _stop(app: Application) -> None:  # type: ignore[type-arg]
    await app.stop()
    if app.post_stop is not None:
        await app.post_stop(app)


async def _shut_down(app: Application) -> None:  # type: ignore[type-arg]
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


@pytest_asyncio.fixture
async def telegram_fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeTelegram]:
    """A started FakeTelegram; PTB_TIMEDELTA=1 so RetryAfter.retry_after is a timedelta.

    Without it PTB 22 emits a PTBDeprecationWarning while constructing RetryAfter, which the
    suite's `filterwarnings = error` turns into a crash inside PTB's request path.
    """
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    async with FakeTelegram() as fake:
        yield fake
