"""One APScheduler `AsyncIOScheduler` for the whole process; jobs call the engine.

The database is the source of truth: a job never carries state, it asks the engine what is
due (`Engine.tick`: round timeouts, expired reservations, scheduled rounds) and does it. A
restart therefore resumes where it stopped, and runs missed while the process was down are
coalesced into one (`coalesce=True`, `max_instances=1`), never replayed in a burst.
`stop` waits for the jobs already running, so none of them meets a closed store.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

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
