"""Injected time. The engine never reads the wall clock itself, so tests and the demo can
run faster than real time."""

from __future__ import annotations

import contextvars
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the Unix epoch."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.time()


class ManualClock:
    """A clock that moves only when told to (tests, the demo)."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00:00Z
        self._t = start

    def now(self) -> float:
        return self._t + _OFFSET.get()

    def advance(self, seconds: float) -> float:
        self._t += seconds
        return self._t

    def set(self, t: float) -> None:
        self._t = t


_OFFSET: contextvars.ContextVar[float] = contextvars.ContextVar("clock_offset", default=0.0)


def set_task_offset(seconds: float) -> None:
    """Shift `ManualClock.now()` for the current asyncio task only (simulated players each
    live at their own moment: their thinking time)."""
    _OFFSET.set(seconds)
