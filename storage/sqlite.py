"""SQLite driver (aiosqlite): WAL, one writer connection behind a lock, one reader.

SQLite allows one writer at a time; WAL lets the reader see every committed transaction
without waiting for the writer. Commits are fsynced (`synchronous=FULL`, see `SYNCHRONOUS`).
Group commit (bot/core/play/group_commit.py) is what makes the single
writer fast: many answers share one `BEGIN IMMEDIATE ... COMMIT`.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.driver import Conn, Params, Row, StoreError
from storage.locks import KeyedLocks

log = logging.getLogger(__name__)

SYNCHRONOUS = ("full", "normal")
"""The durability levels of `SqliteDriver` (`[database] sqlite_synchronous`), in WAL mode:

* ``full`` (the default): every commit is fsynced to the WAL before it returns, so an
  acknowledged answer survives a killed process, an OS crash and power loss. Group commit pays
  that one fsync per batch, not per answer.
* ``normal``: the WAL is fsynced only at checkpoints; a commit survives a killed process, but
  the last transactions before an OS crash or power loss can be lost.
"""

_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-65536",
)


class SqliteConn:
    """A `Conn` over one aiosqlite connection."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def execute(self, sql: str, params: Params = ()) -> None:
        await self._db.execute_fetchall(sql, params)

    async def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if rows:
            await self._db.executemany(sql, rows)

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        return list(await self._db.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self._db.execute_fetchall(sql, params)
        for row in rows:
            return row
        return None

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]


class SqliteDriver:
    dialect = "sqlite"
    max_params = 30_000

    def __init__(self, path: str, synchronous: str = "full") -> None:
        if synchronous not in SYNCHRONOUS:
            raise StoreError(
                f"sqlite_synchronous must be one of {', '.join(SYNCHRONOUS)}, got {synchronous!r}"
            )
        self.path = path
        self.synchronous = synchronous
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._keyed = KeyedLocks()

    async def open(self) -> None:
        if self.path != ":memory:":
            try:
                await asyncio.to_thread(_make_parent, self.path)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for {self.path}: {exc}") from None
        try:
            self._writer = await self._connect()
            self._reader = self._writer if self.path == ":memory:" else await self._connect()
        except sqlite3.Error as exc:
            await self.close()
            raise StoreError(f"cannot open SQLite database {self.path}: {exc}") from None

    async def _connect(self) -> aiosqlite.Connection:
        # the answer batch uses a few fixed sizes of multi-row statements (storage/batch.py):
        # room for all of them in the per-connection cache of prepared statements
        db = await aiosqlite.connect(self.path, isolation_level=None, cached_statements=512)
        db.row_factory = sqlite3.Row
        for pragma in (*_PRAGMAS, f"PRAGMA synchronous={self.synchronous.upper()}"):
            await db.execute(pragma)
        return db

    async def close(self) -> None:
        for db in {id(c): c for c in (self._reader, self._writer) if c is not None}.values():
            await db.close()
        self._writer = self._reader = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Conn]:
        db = self._require(self._writer)
        async with self._lock:
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteConn(db)
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            await db.execute("COMMIT")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        yield SqliteConn(self._require(self._reader))

    async def script(self, sql: str) -> None:
        db = self._require(self._writer)
        async with self._lock:
            await db.executescript(sql)

    @asynccontextmanager
    async def exclusive(self, key: str) -> AsyncIterator[None]:
        """The process-local lock of `key` only: one process per SQLite file (refused at
        start otherwise), so no other process can hold it."""
        async with self._keyed.hold(key):
            yield

    def _require(self, db: aiosqlite.Connection | None) -> aiosqlite.Connection:
        if db is None:
            raise StoreError("the SQLite store is not open")
        return db


def _make_parent(path: str) -> None:
    Path(path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
