"""Process-wide counts of the chat platforms' API errors and retries, for `/metrics`.

Rules:
- One `PlatformStats` per process (`PLATFORM_STATS`): the chat adapters count into it where
  they talk to their platform (Telegram: `bot/tg/ratelimit.py`, which every Bot API call but
  getUpdates passes; Discord: `bot/cogs/apistats.py`, an aiohttp trace on discord.py's HTTP
  session), and the web side reads a `snapshot()` when `/metrics` is scraped. This module
  imports nothing, so the delivery layer never depends on the web side.
- An *error* is one failed attempt of one API call, by `kind` (`ERROR_KINDS`):
  `rate_limited` (HTTP 429), `server` (5xx), `network` (no answer: connection lost, timeout),
  `forbidden` (401/403: a blocked bot, a missing permission), `not_found` (404: a deleted
  message), `bad_request` (another 4xx), `other` (anything else). A *retry* is one more
  attempt of a call that failed, made by the library's or our retry policy. A call refused
  three times and then answered counts three errors and three retries.
- Counters only grow (Prometheus counters); they start at zero with the process.
"""

from __future__ import annotations

import threading
from collections import Counter

CHAT_PLATFORMS = ("discord", "telegram")
"""The platforms whose counters are exported from zero, before their first error."""

ERROR_KINDS = (
    "rate_limited",
    "server",
    "network",
    "forbidden",
    "not_found",
    "bad_request",
    "other",
)


def kind_of_status(status: int) -> str:
    """The error kind of an HTTP status (>= 400) a platform answered with."""
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "server"
    if status in (401, 403):
        return "forbidden"
    if status == 404:
        return "not_found"
    if 400 <= status < 500:
        return "bad_request"
    return "other"


class PlatformStats:
    """Errors by (platform, kind) and retries by platform (thread-safe increments)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._errors: Counter[tuple[str, str]] = Counter()
        self._retries: Counter[str] = Counter()

    def error(self, platform: str, kind: str) -> None:
        """One failed attempt of an API call to `platform` (`kind` in `ERROR_KINDS`)."""
        if kind not in ERROR_KINDS:
            kind = "other"
        with self._lock:
            self._errors[(platform, kind)] += 1

    def retry(self, platform: str) -> None:
        """One more attempt of a call to `platform` that failed."""
        with self._lock:
            self._retries[platform] += 1

    def snapshot(self) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
        """(errors by (platform, kind), retries by platform), copied."""
        with self._lock:
            return dict(self._errors), dict(self._retries)


PLATFORM_STATS = PlatformStats()
"""The process's counts (see the module docstring)."""
