"""Discord's IDENTIFY limit across processes.

Discord lets a bot start at most `max_concurrency` sessions per 5 seconds (1 for all but the
largest bots); an IDENTIFY beyond that is answered with an invalid session, and the shard
starts again later. discord.py spaces the shards of ONE process (its default
`before_identify_hook` sleeps 5 s before every IDENTIFY but the first). With shards spread
over several processes that is not enough, so LabelQuest replaces the hook: before each
IDENTIFY a shard takes the store's lock `discord.identify` (`Engine.exclusive`: a PostgreSQL
advisory lock shared by every process) and keeps it for `IDENTIFY_SPACING` seconds after,
so the IDENTIFYs of all processes are at least that far apart. The first shard of the first
process to start goes at once.
"""

from __future__ import annotations

import asyncio
import logging

from bot.core.engine import Engine

log = logging.getLogger(__name__)

IDENTIFY_SPACING = 5.5
"""Seconds between two IDENTIFYs of the bot, over all processes (Discord: one per 5 s)."""


class IdentifyGate:
    """`before(shard_id)` returns once this shard may IDENTIFY (see the module rule)."""

    def __init__(self, engine: Engine, spacing: float = IDENTIFY_SPACING) -> None:
        self.engine = engine
        self.spacing = spacing
        self._holders: set[asyncio.Task[None]] = set()

    async def before(self, shard_id: int | None) -> None:
        turn = asyncio.Event()
        holder = asyncio.create_task(self._hold(turn), name=f"discord-identify-{shard_id}")
        self._holders.add(holder)
        holder.add_done_callback(self._holders.discard)
        waiter = asyncio.create_task(turn.wait())
        done, _ = await asyncio.wait({holder, waiter}, return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:  # the lock failed: do not keep the shard from starting
            waiter.cancel()
            log.warning("Discord: the IDENTIFY turn of shard %s could not be taken", shard_id)
            await asyncio.sleep(self.spacing)

    async def _hold(self, turn: asyncio.Event) -> None:
        async with self.engine.exclusive("discord.identify"):
            turn.set()
            await asyncio.sleep(self.spacing)

    async def close(self) -> None:
        """Let go of a turn still held (the bot is closing)."""
        for task in list(self._holders):
            task.cancel()
        await asyncio.gather(*self._holders, return_exceptions=True)
