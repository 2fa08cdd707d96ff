"""Group commit: requests that arrive together share one call of a batch function.

`GroupCommit` queues requests; one runner task takes everything queued (up to `max_batch`)
and processes it as one batch while new requests queue behind it, so batches grow with the
load and no request waits for a timer. Each caller's future resolves only after its batch
has been processed (for answers: committed, so an answer acknowledged to a player is on
disk). A failed batch is rolled back and its requests are retried one by one, each in its
own batch, so one bad request (a label the store rejects, a bug its data triggers) fails alone
with its error and the others are stored and answered.

`GroupCommit.busy_s` and `waited_s` say where the latency goes: a request waits in the queue
for the batch being committed, then for its own batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """Batch concurrent requests into one call of `process` (see the module docstring)."""

    def __init__(self, process: Callable[[list[T]], Awaitable[list[R]]], max_batch: int) -> None:
        self._process = process
        self._max = max_batch
        self._queue: list[tuple[T, asyncio.Future[R], float]] = []
        self._wake = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._closed = False
        self.batches = 0
        self.items = 0
        self.busy_s = 0.0
        """Seconds spent processing batches; with `waited_s` (seconds requests spent queued,
        summed over requests) it says where the latency goes: queueing or committing."""
        self.waited_s = 0.0
        self.retried = 0
        """Requests retried alone after their batch failed."""
        self.on_batch: Callable[[int], None] | None = None
        """Told each batch's size before it is processed (metrics); must not raise."""

    async def submit(self, request: T) -> R:
        if self._closed:
            raise RuntimeError("the answer queue is closed (shutting down)")
        fut: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((request, fut, time.perf_counter()))
        self._idle.clear()
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run(), name="group-commit")
        self._wake.set()
        # a caller cancelled while waiting cancels only its future: the request is still
        # processed with its batch, whose runner skips futures that are done
        return await fut

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                batch, self._queue = self._queue[: self._max], self._queue[self._max :]
                await self._commit(batch)
            self._idle.set()

    async def _commit(self, batch: list[tuple[T, asyncio.Future[R], float]]) -> None:
        self.batches += 1
        self.items += len(batch)
        if self.on_batch is not None:
            self.on_batch(len(batch))
        start = time.perf_counter()
        self.waited_s += sum(start - queued_at for _, _, queued_at in batch)
        try:
            results = await self._process([req for req, _, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                log.exception("an answer failed and was rolled back")
                _fail(batch[0][1], exc)
                return
            log.warning(
                "a batch of %d answers failed and was rolled back (%s: %s); retrying them "
                "one by one",
                len(batch),
                type(exc).__name__,
                exc,
            )
            await self._one_by_one(batch)
            return
        finally:
            self.busy_s += time.perf_counter() - start
        for (_, fut, _), res in zip(batch, results, strict=True):
            if not fut.done():
                fut.set_result(res)

    async def _one_by_one(self, batch: list[tuple[T, asyncio.Future[R], float]]) -> None:
        """After a failed batch: each request in its own batch, so a bad request fails alone
        and the others are processed (and answered) as if it had never come."""
        for req, fut, _ in batch:
            self.retried += 1
            try:
                [res] = await self._process([req])
            except Exception as exc:
                log.exception("an answer failed alone on retry and was rolled back")
                _fail(fut, exc)
                continue
            if not fut.done():
                fut.set_result(res)

    async def close(self) -> None:
        """Refuse new requests, commit everything queued, stop the runner."""
        self._closed = True
        if self._queue:
            self._wake.set()
            await self._idle.wait()
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
            self._runner = None


def _fail(fut: asyncio.Future[R], exc: Exception) -> None:
    if not fut.done():
        fut.set_exception(exc)
