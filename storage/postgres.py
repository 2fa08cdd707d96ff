"""PostgreSQL driver (asyncpg): a connection pool; `?` placeholders become `$n`; named locks
across processes (`exclusive`, session advisory locks; see `storage.locks`).

A `search_path` query parameter in the URL (`...?search_path=lq_test`) selects a schema, which
is created when missing; the test suite uses it to give every test its own schema.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

from storage.driver import Conn, Params, Row, StoreError, redact_url
from storage.locks import KeyedLocks, lock_id
from storage.migrate import MIGRATION_LOCK

log = logging.getLogger(__name__)

_converted: dict[str, str] = {}


def to_dollar(sql: str) -> str:
    """Rewrite `?` placeholders as `$1, $2, ...` (our SQL has no `?` inside literals)."""
    cached = _converted.get(sql)
    if cached is not None:
        return cached
    parts = sql.split("?")
    out = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], start=1))
    if len(_converted) < 4096:
        _converted[sql] = out
    return out


class PgConn:
    """A `Conn` over one asyncpg connection."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._c = conn

    async def execute(self, sql: str, params: Params = ()) -> None:
        await self._c.execute(to_dollar(sql), *params)

    async def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if rows:
            await self._c.executemany(to_dollar(sql), rows)

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        return list(await self._c.fetch(to_dollar(sql), *params))

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = await self._c.fetchrow(to_dollar(sql), *params)
        return row

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        return await self._c.fetchval(to_dollar(sql), *params)


class PostgresDriver:
    dialect = "postgres"
    max_params = 30_000

    def __init__(self, url: str, *, password: str | None = None, pool_size: int = 10) -> None:
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        self.schema = query.pop("search_path", None)
        self.dsn = urlunsplit(parts._replace(query=urlencode(query)))
        self.password = password
        self.pool_size = pool_size
        self._pool: asyncpg.Pool | None = None
        self._keyed = KeyedLocks()
        self.exclusive_slots = max(1, pool_size // 2)
        self._slots = asyncio.Semaphore(self.exclusive_slots)

    async def open(self) -> None:
        try:
            if self.schema:
                conn = await asyncpg.connect(self.dsn, password=self.password, timeout=10)
                try:
                    async with conn.transaction():  # two processes starting at once
                        await conn.execute(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                        await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
                finally:
                    await conn.close()
            settings = {"search_path": self.schema} if self.schema else None
            self._pool = await asyncpg.create_pool(
                self.dsn,
                password=self.password,
                min_size=1,
                max_size=self.pool_size,
                server_settings=settings,
                timeout=10,
            )
        except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL at {redact_url(self.dsn)}: {exc}"
            ) from None

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Conn]:
        async with self._require().acquire() as conn, conn.transaction():
            yield PgConn(conn)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Conn]:
        async with self._require().acquire() as conn:
            yield PgConn(conn)

    async def script(self, sql: str) -> None:
        async with self._require().acquire() as conn:
            await conn.execute(sql)

    @asynccontextmanager
    async def exclusive(self, key: str) -> AsyncIterator[None]:
        """Hold `key` against every process on this database: the process-local lock of
        the key, then (within `exclusive_slots` held at once) `pg_advisory_lock` on a pooled
        connection kept until the section ends, then `pg_advisory_unlock`. A connection that
        failed while locking or unlocking is closed, not reused: its session, and so the
        lock, ends with it."""
        async with self._keyed.hold(key), self._slots:
            pool = self._require()
            conn = await pool.acquire()
            sound = False
            try:
                await conn.execute("SELECT pg_advisory_lock($1)", lock_id(key))
                try:
                    yield
                finally:
                    sound = await _unlock(conn, key)
            finally:
                if not sound:  # (a lost connection is already back in the pool, closed)
                    with contextlib.suppress(asyncpg.InterfaceError):
                        conn.terminate()
                await pool.release(conn)

    async def drop_schema(self) -> None:
        """Drop this driver's schema (tests)."""
        if self.schema:
            async with self._require().acquire() as conn:
                await conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')

    def _require(self) -> asyncpg.Pool:
        if self._pool is None:
            raise StoreError("the PostgreSQL store is not open")
        return self._pool


async def _unlock(conn: asyncpg.Connection, key: str) -> bool:
    """Release the advisory lock of `key`; False when that failed: the caller closes the
    connection, which ends its session and the lock with it (the section's work stands, so
    this is no error)."""
    try:
        await conn.execute("SELECT pg_advisory_unlock($1)", lock_id(key))
    except Exception as exc:  # any failure (asyncpg raises several kinds): drop the connection
        log.warning("lock %r: its connection broke (%r); the lock ends with it", key, exc)
        return False
    return True
