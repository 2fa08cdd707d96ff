"""Edit pacing: at most one edit per `interval` seconds per channel.

Rules:
- The interval runs from the END of the previous edit (its answer received), so requests
  also ARRIVE at least `interval` apart, whatever the network latency. The first edit of a
  channel goes out at once.
- The slot is re-entrant for the task holding it: the round editor takes the slot, renders
  the newest card, and its edit may pass a platform rate limiter that asks for the same slot
  (Telegram's request hook paces every group edit with the same `Pacer`).
- `hurry()` (at shutdown) ends every wait at once, so queued closing edits are not lost to a
  long interval; it cannot be undone (a pacer lives as long as its adapter).
- Keys are any hashable value (a channel id); idle gates are pruned past 1024 channels.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class _Gate:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    free_at: float = float("-inf")
    owner: asyncio.Task[Any] | None = None


class Pacer:
    """At most one edit per `interval` seconds per key; see the module rules."""

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._gates: dict[Hashable, _Gate] = {}
        self._hurry = asyncio.Event()

    def hurry(self) -> None:
        """Stop waiting, now and from now on (shutdown: make the queued edits)."""
        self._hurry.set()

    @contextlib.asynccontextmanager
    async def slot(self, key: Hashable) -> AsyncIterator[None]:
        """Wait for the key's next free moment and hold it while the body edits."""
        gate = self._gates.setdefault(key, _Gate())
        me = asyncio.current_task()
        if gate.owner is not None and gate.owner is me:
            yield
            return
        async with gate.lock:
            gate.owner = me
            try:
                await self._pause(gate.free_at - self._clock())
                yield
            finally:
                gate.free_at = self._clock() + self.interval
                gate.owner = None
        self._prune()

    async def _pause(self, delay: float) -> None:
        if delay <= 0 or self._hurry.is_set():
            return
        sleeper = asyncio.ensure_future(self._sleep(delay))
        hurry = asyncio.ensure_future(self._hurry.wait())
        try:
            await asyncio.wait({sleeper, hurry}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in (sleeper, hurry):
                waiter.cancel()
            await asyncio.gather(sleeper, hurry, return_exceptions=True)

    def _prune(self) -> None:
        if len(self._gates) < 1024:
            return
        now = self._clock()
        for key, gate in list(self._gates.items()):
            if not gate.lock.locked() and gate.free_at < now:
                del self._gates[key]
