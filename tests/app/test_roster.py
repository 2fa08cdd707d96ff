"""Only a process that serves every platform in use may lead the scheduler (`bot.roster`):
the leader posts and edits on every platform, so a Telegram-only process leaves the lock to a
process that also serves Discord while one does, and takes it once Discord is gone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.roster import EligibleLock, Roster
from storage import SqlStore, open_store


class CountingLock:
    """A leader lock anyone may take; counts what was asked of it."""

    def __init__(self) -> None:
        self.held = False
        self.tries = 0

    async def try_acquire(self) -> bool:
        self.tries += 1
        self.held = True
        return True

    async def still_held(self) -> bool:
        return self.held

    async def release(self) -> None:
        self.held = False


class Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqlStore]:
    s = await open_store(str(tmp_path / "lq.db"))
    try:
        yield s
    finally:
        await s.close()


async def test_a_telegram_only_process_leaves_the_lock_while_discord_is_served(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    both = Roster(store, ["discord", "telegram"], stale_after=60, clock=clock)
    await both.beat()
    lock = CountingLock()
    telegram_only = EligibleLock(lock, Roster(store, ["telegram"], stale_after=60, clock=clock))
    caplog.set_level("INFO", "bot.roster")

    assert not await telegram_only.try_acquire()
    assert not await telegram_only.try_acquire()
    assert lock.tries == 0
    said = [r.getMessage() for r in caplog.records if "leaves the scheduler" in r.getMessage()]
    assert len(said) == 1 and "discord" in said[0]  # said once, naming what it lacks

    clock.t += 61  # no process has served Discord for a minute: it no longer counts
    assert await telegram_only.try_acquire()
    assert lock.held


async def test_a_leader_that_misses_a_platform_in_use_steps_down(store: SqlStore) -> None:
    clock = Clock()
    lock = CountingLock()
    leader = EligibleLock(lock, Roster(store, ["telegram"], stale_after=60, clock=clock))
    assert await leader.try_acquire()
    assert await leader.still_held()

    await Roster(store, ["discord"], stale_after=60, clock=clock).beat()  # a Discord process
    assert not await leader.still_held()
    assert not lock.held  # let go, so the process that serves both can take it


async def test_a_process_serving_every_platform_always_may_lead(store: SqlStore) -> None:
    clock = Clock()
    await Roster(store, ["discord"], stale_after=60, clock=clock).beat()
    lock = CountingLock()
    full = EligibleLock(lock, Roster(store, ["discord", "telegram"], stale_after=60, clock=clock))
    assert await full.try_acquire() and await full.still_held()
