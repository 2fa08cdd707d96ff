"""The neutral pacer: spacing per key, and `hurry` for shutdown."""

from __future__ import annotations

import asyncio
import time

from bot.delivery import Pacer


async def test_keys_are_paced_apart_and_the_first_slot_is_free() -> None:
    pacer = Pacer(0.2)
    start = time.monotonic()
    async with pacer.slot(("round", 1)):
        pass
    async with pacer.slot(7):  # another key: its own interval
        pass
    assert time.monotonic() - start < 0.15
    async with pacer.slot(7):
        pass
    assert time.monotonic() - start >= 0.19


async def test_hurry_ends_a_wait_at_once_and_for_good() -> None:
    pacer = Pacer(60.0)
    async with pacer.slot(1):
        pass
    waiting = asyncio.create_task(_take(pacer, 1))
    await asyncio.sleep(0.05)
    assert not waiting.done()  # 60 s to go
    start = time.monotonic()
    pacer.hurry()
    await asyncio.wait_for(waiting, 1.0)
    await asyncio.wait_for(_take(pacer, 1), 1.0)  # later slots do not wait either
    assert time.monotonic() - start < 0.5


async def _take(pacer: Pacer, key: int) -> None:
    async with pacer.slot(key):
        pass
