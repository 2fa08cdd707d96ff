"""One APScheduler `AsyncIOScheduler` for the whole process; jobs call the engine.

The database is the source of truth: a job never carries state, it asks the engine what is
due (`Engine.tick`: round timeouts, expired reservations, scheduled rounds) and does it. A
restart therefore resumes where it stopped, and runs missed while the process was down are
coalesced into one (`coalesce=True`, `max_instances=1`), never replayed in a burst.
"""

from __future__ import annotations

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

    def every(self, seconds: float, job: Job, name: str) -> None:
        """Run `job` every `seconds`; overlapping or missed runs are coalesced."""
        self._sched.add_job(
            _guarded(job, name), IntervalTrigger(seconds=seconds), id=name, name=name,
            coalesce=True, max_instances=1, misfire_grace_time=None, replace_existing=True,
        )  # fmt: skip

    def cron(self, job: Job, name: str, **fields: Any) -> None:
        """Run `job` on a cron schedule (e.g. `day_of_week="mon", hour=9`)."""
        self._sched.add_job(
            _guarded(job, name), CronTrigger(**fields), id=name, name=name, coalesce=True,
            max_instances=1, misfire_grace_time=3600, replace_existing=True,
        )  # fmt: skip

    def start(self) -> None:
        self._sched.start()

    async def stop(self) -> None:
        if self._sched.running:
            self._sched.shutdown(wait=False)


def _guarded(job: Job, name: str) -> Job:
    async def run() -> None:
        try:
            await job()
        except Exception:
            log.exception("scheduled job %s failed; it runs again at its next time", name)

    return run
