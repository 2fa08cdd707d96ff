"""Coordination between LabelQuest processes that share one store.

* `LeaderLock` elects the one process that runs the scheduler. On PostgreSQL it is a session
  advisory lock (`pg_try_advisory_lock`) held on a dedicated connection, not a pooled one: the
  lock lives exactly as long as that connection, so a process that dies (even by SIGKILL)
  releases it when its connection ends, and a machine that vanishes releases it when the
  server's TCP keepalives give up on the connection (tuned from `failover_seconds`). On
  SQLite the rule is one process per database file, so that process is always the leader.
* `SqliteProcessLock` enforces that rule: an exclusive `flock` on `<database file>.lock`,
  held for the process's lifetime (the kernel drops it when the process dies, however it
  dies); a second process, or a second App in the same process, is refused with a message
  that names the holder's pid. `flock` is POSIX: on Windows the lock is not taken.
* `read_meta` / `write_meta` keep small coordination facts (such as the fingerprint of the
  Telegram webhook last set) in the `meta` table, one row per key.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import sys
from pathlib import Path

import asyncpg

from storage.driver import StoreError, redact_url
from storage.postgres import PostgresDriver
from storage.store import SqlStore, is_postgres_url

if sys.platform != "win32":
    import fcntl

log = logging.getLogger(__name__)

SCHEDULER_KEY = "labelquest:scheduler"
_CONNECTION_ERRORS = (
    OSError,
    TimeoutError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    # a session the server has just terminated can fail the next query this way, before
    # asyncpg has noticed the connection is gone
    asyncpg.InternalClientError,
)
"""What a broken or terminated lock connection raises: the lock counts as not held."""
APP_NAME = "labelquest-leader-lock"
"""`application_name` of the lock connections, to find the leader in `pg_stat_activity`."""


def advisory_key(name: str) -> int:
    """A fixed signed 64-bit advisory-lock key for `name` (the first 8 bytes of its SHA-256)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def keepalive_settings(failover_seconds: float) -> dict[str, str]:
    """Server-side TCP keepalives for the lock connection: the server gives up on a silent
    client after about twice `failover_seconds` (idle + 3 probes), ending its session and so
    releasing its advisory lock. They apply to TCP connections only (not Unix sockets)."""
    idle = max(1, math.ceil(failover_seconds))
    interval = max(1, math.ceil(failover_seconds / 3))
    return {
        "tcp_keepalives_idle": str(idle),
        "tcp_keepalives_interval": str(interval),
        "tcp_keepalives_count": "3",
    }


class LeaderLock:
    """Leader election over the store (see the module docstring).

    `try_acquire` never waits for the lock; `still_held` is a cheap query on the lock's own
    connection and says False once the connection broke or answers too slowly (the server
    may already have released the lock, so the caller must stop leading). The key is derived
    from `name` and, on PostgreSQL, the store's schema, so two deployments in two schemas of
    one database elect their leaders independently.
    """

    def __init__(
        self, store: SqlStore, *, failover_seconds: float = 10.0, name: str = SCHEDULER_KEY
    ) -> None:
        driver = store.db
        self._pg = driver if isinstance(driver, PostgresDriver) else None
        scope = f"{name}:{self._pg.schema}" if self._pg is not None and self._pg.schema else name
        self.key = advisory_key(scope)
        self.failover_seconds = failover_seconds
        self._conn: asyncpg.Connection | None = None
        self._held = False

    @property
    def held(self) -> bool:
        """True after a successful `try_acquire`, until `release` or a failed `still_held`."""
        return self._held

    @property
    def backend_pid(self) -> int | None:
        """The PostgreSQL server pid of the lock connection (None on SQLite or when closed)."""
        return None if self._conn is None else int(self._conn.get_server_pid())

    async def try_acquire(self) -> bool:
        """Become the leader if nobody is; True when this process is (or already was) it."""
        if self._pg is None:
            self._held = True
            return True
        if self._held:
            return await self.still_held()
        try:
            if self._conn is None or self._conn.is_closed():
                self._conn = await self._connect(self._pg)
            got = await self._conn.fetchval(
                "SELECT pg_try_advisory_lock($1)", self.key, timeout=self._timeout
            )
        except _CONNECTION_ERRORS as exc:
            log.warning("cannot reach PostgreSQL for the scheduler lock: %s", exc)
            await self._drop()
            return False
        self._held = bool(got)
        return self._held

    async def still_held(self) -> bool:
        """Whether this process still holds the lock, asked of the server."""
        if self._pg is None:
            return self._held
        if not self._held or self._conn is None:
            return False
        try:
            held = await self._conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                "AND pid = pg_backend_pid() AND granted "
                "AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1)",
                (self.key >> 32) & 0xFFFFFFFF,
                self.key & 0xFFFFFFFF,
                timeout=self._timeout,
            )
        except _CONNECTION_ERRORS as exc:
            log.warning("the scheduler lock's connection failed: %s", exc)
            held = False
        if not held:
            await self._drop()
        return bool(held)

    async def release(self) -> None:
        """Give the lock up (closing its connection releases it on the server)."""
        self._held = False
        await self._drop()

    @property
    def _timeout(self) -> float:
        return max(1.0, self.failover_seconds)

    async def _connect(self, pg: PostgresDriver) -> asyncpg.Connection:
        settings = {**keepalive_settings(self.failover_seconds), "application_name": APP_NAME}
        if pg.schema:
            settings["search_path"] = pg.schema
        try:
            conn: asyncpg.Connection = await asyncpg.connect(
                pg.dsn, password=pg.password, timeout=self._timeout, server_settings=settings
            )
        except _CONNECTION_ERRORS as exc:
            raise OSError(f"{redact_url(pg.dsn)}: {exc}") from None
        return conn

    async def _drop(self) -> None:
        self._held = False
        conn, self._conn = self._conn, None
        if conn is None or conn.is_closed():
            return
        try:
            await conn.close(timeout=self._timeout)
        except _CONNECTION_ERRORS:
            conn.terminate()


class AlreadyServing(StoreError):
    """Another process already serves this SQLite file."""


def sqlite_file(url: str) -> str | None:
    """The SQLite file behind a database URL (None for PostgreSQL and `:memory:`)."""
    if is_postgres_url(url):
        return None
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///") :]
    if url == ":memory:" or "://" in url:
        return None
    return url


class SqliteProcessLock:
    """One serving process per SQLite file: an exclusive `flock` on `<file>.lock`.

    `acquire` raises `AlreadyServing` (naming the holder's pid) when another process, or
    another App of this process, holds it. The lock file itself stays; only the lock on it
    matters, and the kernel releases that when the holder exits, even by SIGKILL.
    """

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self.path = Path(db_path).expanduser().resolve().with_name(Path(db_path).name + ".lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise `AlreadyServing`; a no-op where `flock` does not exist."""
        if self._fd is not None or sys.platform == "win32":
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot create the lock file {self.path}: {exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise AlreadyServing(
                f"Another LabelQuest process (pid {holder}) is already serving {self.db_path}; "
                "SQLite allows one process per database file. Stop it first, or use "
                "PostgreSQL to run several processes (see docs/operations.md)."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        """Let another process serve the file (also done by the kernel at exit)."""
        fd, self._fd = self._fd, None
        if fd is not None and sys.platform != "win32":
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


async def read_meta(store: SqlStore, key: str) -> str | None:
    """The value stored under `key` in the `meta` table, or None."""
    return await store.get_meta(key)


async def write_meta(store: SqlStore, key: str, value: str) -> None:
    """Store `value` under `key` (one upsert: insert or replace, on both backends)."""
    await store.set_meta(key, value)


__all__ = [
    "AlreadyServing",
    "LeaderLock",
    "SqliteProcessLock",
    "advisory_key",
    "read_meta",
    "sqlite_file",
    "write_meta",
]
