"""Which platforms the running processes serve, and so which process may lead the scheduler.

The scheduler's leader posts scheduled rounds, edits the cards of rounds it closes and sends
notices on every platform, so only a process that can talk to every platform in use may
lead. Each process writes a heartbeat per platform it serves into the store's `meta` table
(`platform:<name>` = Unix time) whenever it checks the leader lock (every
`[scheduler] failover_seconds`). A platform is "in use" while some process's heartbeat for it
is younger than `stale_after` seconds; a process missing one of those does not try for the
lock (`EligibleLock`), and says so once. A platform nobody serves any more stops counting
after `stale_after`, so dropping a platform never leaves the cluster without a scheduler.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection

from bot.scheduler import Lock
from storage import SqlStore
from storage.coordination import read_meta, write_meta

log = logging.getLogger(__name__)

PLATFORMS = ("discord", "telegram")


class Roster:
    """The heartbeats of the platforms this process serves (see the module rule)."""

    def __init__(
        self,
        store: SqlStore,
        mine: Collection[str],
        stale_after: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.mine = frozenset(mine)
        self.stale_after = stale_after
        self.clock = clock

    async def beat(self) -> None:
        now = str(self.clock())
        for platform in sorted(self.mine):
            await write_meta(self.store, f"platform:{platform}", now)

    async def missing(self) -> set[str]:
        """Platforms other processes served within `stale_after` that this one does not."""
        now = self.clock()
        found = set()
        for platform in PLATFORMS:
            if platform in self.mine:
                continue
            seen = await read_meta(self.store, f"platform:{platform}")
            if seen is not None and now - float(seen) < self.stale_after:
                found.add(platform)
        return found


class EligibleLock:
    """The leader lock, tried only while this process serves every platform in use."""

    def __init__(self, lock: Lock, roster: Roster) -> None:
        self._lock = lock
        self.inner = lock
        """The leader lock itself (tests reach its connection through it)."""
        self._roster = roster
        self._said: frozenset[str] = frozenset()

    async def try_acquire(self) -> bool:
        await self._roster.beat()
        missing = frozenset(await self._roster.missing())
        if missing:
            if missing != self._said:
                log.info(
                    "this process leaves the scheduler to others: it does not serve %s, "
                    "which other processes do (give it that token to let it lead)",
                    ", ".join(sorted(missing)),
                )
            self._said = missing
            return False
        self._said = frozenset()
        return await self._lock.try_acquire()

    async def still_held(self) -> bool:
        """Held, and this process still serves every platform in use; a leader that no
        longer does lets the lock go, so a process that does can take over."""
        await self._roster.beat()
        if await self._roster.missing():
            await self._lock.release()
            return False
        return await self._lock.still_held()

    async def release(self) -> None:
        await self._lock.release()
