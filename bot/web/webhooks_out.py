"""Webhooks out, the adapter's half: the HTTP client that POSTs a signed delivery
(`HttpSender`) and the background task that runs the engine's dispatcher
(`WebhookRunner`) in a process serving the web side.

Rules:
- one `aiohttp.ClientSession` per runner; every POST has a total timeout
  (`[webhooks] timeout_seconds`), follows no redirect (a 3xx is a failed attempt), and its
  response body is read only up to `READ_MAX` bytes; a connection error or timeout is a
  failed attempt with a short error (`SendResult`), never an exception;
- the runner calls `Dispatcher.run_once` every `poll_seconds`, as its own task: answers
  never wait for it. Any number of processes may run it (the store hands each delivery to
  one); an unexpected failure is logged once per run and the loop goes on;
- nothing here logs a URL's query, a secret or a signature.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiohttp

from bot.config import WebhookSettings
from bot.core.engine import Engine
from bot.core.webhooks import DispatchRules, SendResult

log = logging.getLogger(__name__)

READ_MAX = 4096


class HttpSender:
    """POSTs with aiohttp (see the module docstring)."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def post(
        self, url: str, body: bytes, headers: dict[str, str], wait_s: float
    ) -> SendResult:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        try:
            async with self._session.post(
                url,
                data=body,
                headers=headers,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=wait_s),
            ) as resp:
                await resp.content.read(READ_MAX)
                return SendResult(resp.status, None if resp.status < 300 else resp.reason)
        except TimeoutError:
            return SendResult(None, f"timeout after {wait_s:g} s")
        except aiohttp.ClientError as exc:
            return SendResult(None, type(exc).__name__)

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()


def rules_of(settings: WebhookSettings) -> DispatchRules:
    """`[webhooks]` as the engine's plain values."""
    return DispatchRules(
        backoff=tuple(settings.backoff_seconds),
        timeout=settings.timeout_seconds,
        batch=settings.batch,
    )


class WebhookRunner:
    """Runs the dispatcher every `poll_seconds` until `stop()` (see the module docstring)."""

    def __init__(self, engine: Engine, settings: WebhookSettings) -> None:
        self.settings = settings
        self.dispatcher = engine.webhooks.dispatcher(rules_of(settings))
        self.sender = HttpSender()
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def start(self) -> None:
        if self._task is None and self.settings.enabled:
            self._task = asyncio.create_task(self._loop(), name="webhooks")

    def poke(self) -> None:
        """Run again now instead of at the next poll."""
        self._wake.set()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.sender.close()

    async def _loop(self) -> None:
        while True:
            try:
                await self.dispatcher.run_once(self.sender)
            except Exception:
                log.exception("webhook dispatch failed; trying again at the next poll")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.poll_seconds)
