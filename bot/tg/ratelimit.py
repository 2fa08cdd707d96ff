"""Outgoing request policy: retry what Telegram asks us to retry, and pace edits per chat.

PTB does not retry sends by itself (and `aiolimiter`, behind its `AIORateLimiter`, is not
installed), so every Bot API call passes through `RetryingLimiter.process_request`:

- `RetryAfter` (HTTP 429): sleep the `retry_after` Telegram names, then try again.
- `NetworkError` / `TimedOut` (but not `BadRequest`, which PTB also derives from
  `NetworkError`): exponential backoff, `base_delay * 2**attempt`, capped at `max_delay`.
- At most `max_retries` retries; then the last error propagates to the caller.
- `editMessage*` calls to a group chat go through the adapter's `Pacer.slot` (keyed by chat
  id, shared with the round editor): at most one edit per `interval` seconds per group
  (Telegram allows about 20 messages a minute in a group).
  Private chats are not paced: their edits answer the user's own button press.

A network error after Telegram received a send can, rarely, duplicate that message; a lost
answer is worse, and the retries are bounded.

Every failed attempt is counted in `bot.delivery.PLATFORM_STATS` by kind (`error_kind`), and
every retry as a retry, for `/metrics`. python-telegram-bot reports Telegram's 5xx answers
as `NetworkError` too; they are told from a lost connection by having no transport error as
their cause.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import BaseRateLimiter

from bot.delivery import PLATFORM_STATS, Pacer, PlatformStats
from bot.tg.refs import PLATFORM

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Result = bool | dict[str, Any] | list[dict[str, Any]]


def _seconds(retry_after: int | timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after


def error_kind(exc: BaseException) -> str:
    """The `bot.delivery.stats` kind of an error a Bot API call raised."""
    if isinstance(exc, RetryAfter):
        return "rate_limited"
    if isinstance(exc, Forbidden | InvalidToken):
        return "forbidden"
    if isinstance(exc, BadRequest | ChatMigrated | Conflict):
        return "bad_request"
    if isinstance(exc, TimedOut):
        return "network"
    if isinstance(exc, NetworkError):
        cause = exc.__cause__
        return "server" if cause is None or isinstance(cause, TelegramError) else "network"
    return "other"


class RetryingLimiter(BaseRateLimiter[None]):
    """PTB's hook around every Bot API request (getUpdates excepted); see the module doc."""

    def __init__(
        self,
        pacer: Pacer | None = None,
        *,
        max_retries: int = 5,
        base_delay: float = 0.5,
        max_delay: float = 30.0,
        sleep: Sleep = asyncio.sleep,
        stats: PlatformStats = PLATFORM_STATS,
    ) -> None:
        self.pacer = pacer
        self.max_retries = max_retries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._sleep = sleep
        self.stats = stats

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Result:
        chat_id = data.get("chat_id")
        if (
            self.pacer is not None
            and endpoint.startswith("editMessage")
            and isinstance(chat_id, int)
            and chat_id < 0
        ):
            async with self.pacer.slot(chat_id):
                return await self._with_retries(callback, args, kwargs, endpoint)
        return await self._with_retries(callback, args, kwargs, endpoint)

    async def _with_retries(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
    ) -> Result:
        for attempt in range(self.max_retries + 1):
            if attempt:
                self.stats.retry(PLATFORM)
            try:
                return await callback(*args, **kwargs)
            except Exception as exc:
                self.stats.error(PLATFORM, error_kind(exc))
                delay = self._delay(exc, attempt, endpoint)
                if delay is None:
                    raise
            await self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _delay(self, exc: Exception, attempt: int, endpoint: str) -> float | None:
        """Seconds to wait before retrying after `exc`, or None: do not retry."""
        if attempt == self.max_retries or isinstance(exc, BadRequest):
            return None
        if isinstance(exc, RetryAfter):
            delay = float(_seconds(exc.retry_after))
            log.warning("%s: Telegram asks to retry after %.2f s", endpoint, delay)
            return delay
        if isinstance(exc, NetworkError):
            backoff: float = min(self.max_delay, self.base_delay * 2**attempt)
            log.warning("%s failed (%s); retry %d in %.2f s", endpoint, exc, attempt + 1, backoff)
            return backoff
        return None
