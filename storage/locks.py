"""Named locks: `exclusive(key)` of the store, mutual exclusion across processes.

Rule: a section that must run once at a time across every process sharing a database runs
under `SqlStore.exclusive(key)`. The key is hashed to a stable signed 64-bit number (the
first 8 bytes of BLAKE2b, the same in every process and Python run, unlike `hash`).

* First a process-local `asyncio.Lock` per key (`KeyedLocks`), so one process holds at most
  one database connection per key and waiters of the same process queue in memory.
* PostgreSQL then takes `pg_advisory_lock(hash)` on a connection of its own, held until the
  section ends (`PostgresDriver.exclusive`); SQLite has only the local lock (one process per
  SQLite file is enforced at start, so the local lock is the whole truth there).

Bound: a process holds one pooled connection per key locked at that moment, and at most
half of its pool (`PostgresDriver.exclusive_slots`): the other half serves the statements
the sections run, so held locks can never exhaust the pool. Keep sections short.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


def lock_id(key: str) -> int:
    """The advisory-lock number of `key`: a signed 64-bit integer, stable everywhere."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class KeyedLocks:
    """One `asyncio.Lock` per key while someone holds or waits for it (then forgotten)."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)
