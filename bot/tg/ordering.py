"""Concurrent updates, in order per user, fair between users.

PTB handles updates one after another unless told otherwise; in a busy group that makes
every player wait for everyone else's database write. With this processor, updates of
DIFFERENT users run concurrently (their answers then share one group commit), while the
updates of ONE user run in arrival order: a double press, or "I agree" followed at once by
/play, is seen in the order it was made. Locks are FIFO, so the order is kept.

Fairness: an update first waits for its user's turn, and only then for one of the running
slots. A waiting update never holds a slot, so one user runs at most one update at a time
and a flood from one user (1,000 presses) delays another user by at most the one update in
hand. When every slot is busy, users take the free slots in turn (the slot queue is FIFO and
a user queues again only after its update in hand is done).

PTB's own semaphore (`BaseUpdateProcessor.process_update`, final) would make updates wait for
a slot BEFORE their user's turn; it is given a bound no flood reaches, and the real bound is
this class's slots.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

ADMITTED = 2**31  # PTB's outer semaphore: every update is admitted and waits here instead


def _key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None


class PerUserOrder(BaseUpdateProcessor):
    """At most `max_concurrent_updates` updates at once, at most one per user, in order."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        if max_concurrent_updates < 1:
            raise ValueError("max_concurrent_updates must be a positive integer")
        # PTB's __init__ sizes its semaphore from the property: it sees ADMITTED, then the
        # property reports the real bound (Application reads it to run updates concurrently)
        self._limit = ADMITTED
        super().__init__(ADMITTED)
        self._limit = max_concurrent_updates
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._running = 0
        self._turns: dict[int, tuple[asyncio.Lock, int]] = {}

    @property
    def max_concurrent_updates(self) -> int:
        return self._limit

    @property
    def current_concurrent_updates(self) -> int:
        return self._running

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _key(update)
        if key is None:
            await self._run(coroutine)
            return
        async with self._turn(key):  # the user's turn first: waiting holds no slot
            await self._run(coroutine)

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        async with self._slots:
            self._running += 1
            try:
                await coroutine
            finally:
                self._running -= 1

    @asynccontextmanager
    async def _turn(self, key: int) -> AsyncIterator[None]:
        lock, waiting = self._turns.get(key, (asyncio.Lock(), 0))
        self._turns[key] = (lock, waiting + 1)
        try:
            async with lock:
                yield
        finally:
            lock, waiting = self._turns[key]
            if waiting <= 1:
                del self._turns[key]
            else:
                self._turns[key] = (lock, waiting - 1)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
