"""Counts Discord API errors and retries for `/metrics` (`bot.delivery.PLATFORM_STATS`).

discord.py retries by itself inside its HTTP client (a 429 after the `retry_after` Discord
names; 500, 502, 504 and 524; a connection reset on macOS and Windows) and offers no hook
but an aiohttp `TraceConfig` on its session (`discord.Client(http_trace=...)`). So
`api_trace()` watches every request discord.py makes (REST, interaction responses, CDN):

- an answer with status >= 400 is one error of its kind (`bot.delivery.kind_of_status`); a
  request that got no answer (connection lost, timeout) is one `network` error;
- a retry is counted when a request is sent again after a retryable failure of the same
  method and URL (the failures discord.py retries, listed above). Failures awaiting their
  retry are remembered per method and URL, at most `MAX_PENDING` of them (discord.py gives
  up after five attempts: the last failure then waits for nothing, and is forgotten when the
  table is full).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from types import SimpleNamespace

import aiohttp

from bot.cogs.refs import PLATFORM
from bot.delivery import PLATFORM_STATS, PlatformStats, kind_of_status

RETRIED_STATUSES = frozenset({429, 500, 502, 504, 524})
RETRIED_ERRNOS = frozenset({54, 10054})  # discord.py's list: ECONNRESET on macOS, Windows
MAX_PENDING = 1024


class ApiTrace:
    """The counting side of one Discord client's HTTP session (see the module docstring)."""

    def __init__(self, stats: PlatformStats = PLATFORM_STATS) -> None:
        self.stats = stats
        self.pending: Counter[tuple[str, str]] = Counter()

    def _await_retry(self, method: str, url: str) -> None:
        if len(self.pending) >= MAX_PENDING:
            self.pending.clear()
        self.pending[(method, url)] += 1

    async def on_start(
        self,
        session: aiohttp.ClientSession,
        ctx: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        key = (params.method, str(params.url))
        if self.pending.get(key, 0) > 0:
            self.pending[key] -= 1
            if self.pending[key] == 0:
                del self.pending[key]
            self.stats.retry(PLATFORM)

    async def on_end(
        self,
        session: aiohttp.ClientSession,
        ctx: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        status = params.response.status
        if status < 400:
            return
        self.stats.error(PLATFORM, kind_of_status(status))
        if status in RETRIED_STATUSES:
            self._await_retry(params.method, str(params.url))

    async def on_exception(
        self,
        session: aiohttp.ClientSession,
        ctx: SimpleNamespace,
        params: aiohttp.TraceRequestExceptionParams,
    ) -> None:
        exc = params.exception
        if isinstance(exc, asyncio.CancelledError):
            return  # we stopped waiting (shutdown): not the platform's error
        self.stats.error(PLATFORM, "network")
        if isinstance(exc, OSError) and exc.errno in RETRIED_ERRNOS:
            self._await_retry(params.method, str(params.url))

    def config(self) -> aiohttp.TraceConfig:
        """A fresh `TraceConfig` calling this object's hooks."""
        trace = aiohttp.TraceConfig()
        trace.on_request_start.append(self.on_start)
        trace.on_request_end.append(self.on_end)
        trace.on_request_exception.append(self.on_exception)
        return trace


def api_trace(stats: PlatformStats = PLATFORM_STATS) -> aiohttp.TraceConfig:
    """What `LabelQuestBot` hands discord.py as `http_trace`."""
    return ApiTrace(stats).config()
