"""Suite-wide fixtures: the platform-logger error trap and access to the optional shared data."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import SqlStore, open_store
from tests.support import settings_for

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


class _ErrorTrap(logging.Handler):
    """Collects ERROR (and worse) records: both chat libraries log handler crashes and go on."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []
        self.expected: list[str] = []

    def expect(self, substring: str) -> None:
        """Declare that an ERROR record containing `substring` is part of the test's scenario."""
        self.expected.append(substring)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def platform_error_trap() -> Iterator[_ErrorTrap]:
    """Fail the test on any ERROR record from the `discord`, `telegram` or `bot` loggers.

    Our own adapters catch unexpected exceptions, apologise and log them under `bot.*`, so a
    crash there would otherwise pass unnoticed too. A test that provokes an error on purpose
    calls `platform_error_trap.expect("part of the message")`.
    """
    trap = _ErrorTrap()
    loggers = [logging.getLogger(name) for name in ("discord", "telegram", "bot")]
    for lg in loggers:
        lg.addHandler(trap)
    try:
        yield trap
    finally:
        for lg in loggers:
            lg.removeHandler(trap)
    unexpected = [
        rec for rec in trap.records if not any(sub in rec.getMessage() for sub in trap.expected)
    ]
    if unexpected:
        lines = []
        for rec in unexpected:
            text = f"{rec.name}: {rec.getMessage()}"
            if rec.exc_info and rec.exc_info[1] is not None:
                text += f" ({type(rec.exc_info[1]).__name__}: {rec.exc_info[1]})"
            lines.append(text)
        pytest.fail("ERROR records were logged:\n" + "\n".join(lines))


@pytest.fixture
def shared_dir() -> Path:
    """The optional `../shared` folder (public datasets); tests that need it skip without it."""
    if not SHARED.is_dir():
        pytest.skip(f"optional check: {SHARED} is not present on this machine")
    return SHARED


# --- stores: every store test runs on SQLite and on PostgreSQL ------------------------------

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
