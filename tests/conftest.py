"""Suite-wide fixtures: the platform-logger error trap and access to the optional shared data.

Every other shared fixture lives in the support package and is registered here:
`tests.support.stores` (db_url, store, clock, engine) and `tests.support.worlds` (the
Discord and Telegram fakes and their worlds).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.settings import SHARED

pytest_plugins = ["tests.support.stores", "tests.support.worlds"]


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
