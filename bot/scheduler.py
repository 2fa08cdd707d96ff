"""One APScheduler `AsyncIOScheduler` for the whole process; jobs call the engine.

The database is the source of truth: a job never carries state, it asks the engine what is
due (`Engine.tick`: round timeouts, expired reservations, scheduled rounds) and does it. A
restart therefore resumes where it stopped, and runs missed while the process was down are
coalesced into one (`coalesce=True`, `max_instances=1`), never replayed in a burst.
`stop` waits for the jobs already running, so none of them meets a closed store.

With several processes on one PostgreSQL, `Leadership` makes sure only one of them runs the
jobs at a time: the holder of the scheduler's leader lock (`storage.LeaderLock`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[Any]]


class Scheduler:
    def __init__(self, timezone: str = "UTC") -> None:
        self._sched = AsyncIOScheduler(timezone=timezone)
        self._running: set[asyncio.Task[Any]] = set()

    def every(self, seconds: float, job: Job, name: str) -> None:
        """Run `job` every `seconds`; overlapping or missed runs are coalesced."""
        run = self._tracked(_guarded(job, name))
        self._sched.add_job(
            run,
            IntervalTrigger(seconds=seconds),
            id=name,
            name=name,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
            replace_existing=True,
        )

    def cron(self, job: Job, name: str, **fields: Any) -> None:
        """Run `job` on a cron schedule (e.g. `day_of_week="mon", hour=9`)."""
        run = self._tracked(_guarded(job, name))
        self._sched.add_job(
            run,
            CronTrigger(**fields),
            id=name,
            name=name,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
            replace_existing=True,
        )

    def job_names(self) -> list[str]:
        """The names of the scheduled jobs (e.g. `tick`, `rewards`)."""
        return [job.name for job in self._sched.get_jobs()]

    def start(self) -> None:
        self._sched.start()

    async def stop(self) -> None:
        """No new runs; the runs in progress finish (their errors are logged by the guard)."""
        if self._sched.running:
            self._sched.shutdown(wait=False)
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)

    def _tracked(self, job: Job) -> Job:
        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                await job()
            finally:
                if task is not None:
                    self._running.discard(task)

        return run


def _guarded(job: Job, name: str) -> Job:
    async def run() -> None:
        try:
            await job()
        except Exception:
            log.exception("scheduled job %s failed; it runs again at its next time", name)

    return run


class Lock(Protocol):
    """The leader lock the scheduler runs under (`storage.LeaderLock`)."""

    async def try_acquire(self) -> bool: ...

    async def still_held(self) -> bool: ...

    async def release(self) -> None: ...


Hook = Callable[[], Awaitable[None]]


class Leadership:
    """Runs the scheduled jobs in one process at a time: the holder of `lock`.

    Not leading, it tries to take the lock every `failover_seconds`; leading, it asks every
    `failover_seconds / 2` whether it still holds it. On winning it calls `on_gain` (start the
    jobs); the moment it finds the lock lost it calls `on_lose` (stop them) before trying
    again, so two processes never run the jobs for longer than one check apart, and a
    process whose database connection broke stops acting on its own. `stop` ends the loop,
    calls `on_lose` if leading and releases the lock.
    """

    def __init__(self, lock: Lock, failover_seconds: float, on_gain: Hook, on_lose: Hook) -> None:
        self._lock = lock
        self._every = failover_seconds
        self._on_gain = on_gain
        self._on_lose = on_lose
        self._task: asyncio.Task[None] | None = None
        self.is_leader = False
        self.became_leader = asyncio.Event()
        """Set while this process leads, its jobs started (cleared when it loses the lock)."""
        self.lost_leadership = asyncio.Event()
        """Set each time this process loses the lock (cleared when it leads again)."""

    async def start(self) -> None:
        """One attempt now (a lone process leads as soon as `start` returns), then the loop."""
        await self._attempt()
        self._task = asyncio.create_task(self._run(), name="scheduler-leadership")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.is_leader:
            await self._step_down()
        await self._lock.release()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._every / 2 if self.is_leader else self._every)
            try:
                if self.is_leader:
                    if not await self._lock.still_held():
                        log.warning(
                            "this process lost the scheduler lock; it stops its scheduled jobs"
                        )
                        await self._step_down()
                else:
                    await self._attempt()
            except Exception:
                log.exception("the scheduler leadership check failed; trying again")

    async def _attempt(self) -> None:
        if not await self._lock.try_acquire():
            return
        log.info("this process now runs the scheduler")
        await self._on_gain()  # if it fails, the next attempt (the lock still held) retries
        self.is_leader = True
        self.lost_leadership.clear()
        self.became_leader.set()

    async def _step_down(self) -> None:
        self.is_leader = False
        self.became_leader.clear()
        self.lost_leadership.set()
        await self._on_lose()
