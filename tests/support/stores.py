"""Store fixtures: every store test runs on SQLite and on PostgreSQL (a private schema per
test), plus a ManualClock and an Engine over the store."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import SqlStore, open_store
from tests.support.settings import settings_for

PG_URL = os.environ.get("LABELQUEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("LABELQUEST_REQUIRE_PG") == "1"
_pg_state: dict[str, str | None] = {}


def _pg_unreachable() -> str | None:
    """Why PostgreSQL cannot be used (None when it can); checked once per session."""
    if "why" not in _pg_state:
        parts = urlsplit(PG_URL)
        try:
            with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 2):
                _pg_state["why"] = None
        except OSError as exc:
            _pg_state["why"] = f"PostgreSQL at {parts.hostname}:{parts.port} unreachable ({exc})"
    return _pg_state["why"]


def pg_url_or_skip() -> str:
    """A fresh schema URL on the test server; skip (or fail in CI) when it is unreachable."""
    why = _pg_unreachable()
    if why is not None:
        if REQUIRE_PG:
            pytest.fail(f"LABELQUEST_REQUIRE_PG=1 but {why}")
        pytest.skip(f"{why}; set LABELQUEST_PG_URL to run the PostgreSQL half")
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}search_path=lq_test_{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL for an empty store: a SQLite file, or a private PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "labelquest.db")
    return pg_url_or_skip()


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[SqlStore]:
    s = await open_store(db_url)
    try:
        yield s
    finally:
        if s.dialect == "postgres":
            await s.db.drop_schema()  # type: ignore[attr-defined]
        await s.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def engine(store: SqlStore, clock: ManualClock) -> AsyncIterator[Engine]:
    e = Engine(store, settings_for(":memory:"), clock)
    try:
        yield e
    finally:
        await e.close()
