"""The two-method seam between the shared SQL and a database driver.

All SQL in `storage/` is written once, with `?` placeholders; the PostgreSQL driver rewrites
them to `$1, $2, ...`. A `Conn` is either inside a write transaction (`Driver.transaction`) or
a read-only view (`Driver.read`). Rows support both `row[0]` and `row["column"]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

Params = Sequence[Any]


class Row(Protocol):
    def __getitem__(self, key: int | str) -> Any: ...


class Conn(Protocol):
    async def execute(self, sql: str, params: Params = ()) -> None: ...

    async def executemany(self, sql: str, rows: Sequence[Params]) -> None: ...

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None: ...

    async def fetchval(self, sql: str, params: Params = ()) -> Any: ...


class Driver(Protocol):
    dialect: str
    max_params: int

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    def transaction(self) -> AbstractAsyncContextManager[Conn]: ...

    def read(self) -> AbstractAsyncContextManager[Conn]: ...

    async def script(self, sql: str) -> None: ...

    def exclusive(self, key: str) -> AbstractAsyncContextManager[None]:
        """Mutual exclusion on `key` across every process on this database
        (`storage.locks`)."""
        ...


class StoreError(Exception):
    """A store could not be opened or used; the message says which and why."""


def redact_url(url: str) -> str:
    """`url` with any password replaced by `***`, for logs and error messages."""
    if "://" not in url or "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    if ":" in creds:
        creds = creds.split(":", 1)[0] + ":***"
    return f"{scheme}://{creds}@{host}"
