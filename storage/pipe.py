"""A batch's connection that can queue writes without waiting for them (SQLite pipelining)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from typing import Any

from storage.driver import Conn, Params, Row


class Pipe:
    """The batch's connection (a `Conn`) that can queue writes without waiting for them.

    With queueing on, `execute`/`executemany` hand the statement to the driver and return at
    once, so the engine computes the next part of the batch while the database writes; a
    read first lets every queued write reach the driver, so it sees them. Only for a driver
    that runs one connection's statements in the order they are handed over (aiosqlite: one
    thread, one queue); asyncpg allows one operation at a time per connection, so PostgreSQL
    keeps plain awaits. `drain()` must run before the transaction ends: it waits for the
    queued writes and raises the first failure; `settle()` does the same without raising,
    for the path that rolls back."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn
        self.queueing = False
        self._queued: list[asyncio.Future[None]] = []
        self._unstarted = False

    def _queue(self, write: Any) -> None:
        self._queued.append(asyncio.ensure_future(write))
        self._unstarted = True

    async def _reach_driver(self) -> None:
        if self._unstarted:
            # tasks take their first step (handing their statement over) in creation order,
            # before this coroutine resumes
            await asyncio.sleep(0)
            self._unstarted = False

    def background(self, work: Coroutine[Any, Any, None]) -> asyncio.Future[None]:
        """Run `work` (statements on this connection) as a task beside the caller, like a
        queued write: `drain()` and `settle()` wait for it too. Only while queueing: the
        driver runs the statements of both in the order they are handed over, so `work`
        must touch tables the caller's later statements do not depend on."""
        task = asyncio.ensure_future(work)
        self._queued.append(task)
        self._unstarted = True
        return task

    async def execute(self, sql: str, params: Params = ()) -> None:
        if self.queueing:
            self._queue(self.conn.execute(sql, params))
        else:
            await self.conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if self.queueing:
            self._queue(self.conn.executemany(sql, rows))
        else:
            await self.conn.executemany(sql, rows)

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        await self._reach_driver()
        return await self.conn.fetch(sql, params)

    async def fetch_all(self, statements: Sequence[tuple[str, Params]]) -> list[list[Row]]:
        """The rows of each statement, in order. While queueing, all are handed to the driver
        at once and waited for together (one round trip instead of one per statement); all
        have ended when this returns or raises (the first failure)."""
        if not self.queueing or len(statements) < 2:
            return [await self.fetch(sql, params) for sql, params in statements]
        await self._reach_driver()
        done = await asyncio.gather(
            *(self.conn.fetch(sql, params) for sql, params in statements),
            return_exceptions=True,
        )
        out: list[list[Row]] = []
        for result in done:
            if isinstance(result, BaseException):
                raise result
            out.append(result)
        return out

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        await self._reach_driver()
        return await self.conn.fetchone(sql, params)

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        await self._reach_driver()
        return await self.conn.fetchval(sql, params)

    async def drain(self) -> None:
        """Wait for every queued write; raise the first failure."""
        for result in await self._gather():
            if isinstance(result, BaseException):
                raise result

    async def settle(self) -> None:
        """Wait for every queued write, ignoring failures (the transaction rolls back)."""
        await self._gather()

    async def _gather(self) -> list[object]:
        queued, self._queued = self._queued, []
        self._unstarted = False
        if not queued:
            return []
        return list(await asyncio.gather(*queued, return_exceptions=True))
