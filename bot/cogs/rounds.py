"""Keeps round messages current: `RoundChanged` (platform "discord") -> re-render -> edit.

Rules:
- Bus handlers must return at once, so an event only queues its round; a worker per
  channel does the editing.
- At most one edit per channel per `[discord] edit_interval` seconds (the first one goes out
  at once). Changes coalesce: a round queued twice is edited once, with the card as it is
  when the edit is made (`engine.play.round_card`), so a close that arrives while an edit is
  waiting is in that edit, and one that arrives during an edit queues another. The closing
  edit therefore always happens; on shutdown, queued edits are made without waiting.
- The message comes from the round's `message_ref` ("<channel_id>:<message_id>") as stored
  (events carry the reference known when they were raised, which may predate the binding).
  The edit keeps the message's attachment (the image) and replaces text and buttons: a
  closed card has none, so its buttons disappear.
- An edit that fails is logged (WARNING for Discord refusals, ERROR for bugs) and dropped;
  the next change re-renders from the database anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Callable

import discord

from bot.cogs import render
from bot.cogs.refs import PLATFORM
from bot.core.engine import Engine
from bot.core.kernel.errors import LabelQuestError
from bot.core.kernel.events import RoundChanged

log = logging.getLogger(__name__)

FLUSH_TIMEOUT = 5.0


class RoundEditor:
    def __init__(self, client: discord.Client, engine: Engine, interval: float) -> None:
        self.client = client
        self.engine = engine
        self.interval = interval
        self._pending: dict[str, dict[int, None]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._last_edit: dict[str, float] = {}
        self._hurry = asyncio.Event()
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        if self._unsubscribe is None:
            self._unsubscribe = self.engine.bus.subscribe(self.on_event)

    def on_event(self, event: object) -> None:
        if not isinstance(event, RoundChanged) or event.platform != PLATFORM:
            return
        key = _channel_key(event)
        self._pending.setdefault(key, {})[event.round_id] = None
        if key not in self._workers:
            self._workers[key] = asyncio.get_running_loop().create_task(
                self._drain(key), name=f"labelquest-round-edits-{key}"
            )

    async def close(self) -> None:
        """Stop listening and make the queued edits now (bounded by FLUSH_TIMEOUT)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._hurry.set()
        workers = list(self._workers.values())
        if not workers:
            return
        _done, late = await asyncio.wait(workers, timeout=FLUSH_TIMEOUT)
        for task in late:
            task.cancel()
        if late:
            log.warning("%d channel(s) still had round edits queued at shutdown", len(late))
            await asyncio.gather(*late, return_exceptions=True)

    async def _drain(self, key: str) -> None:
        loop = asyncio.get_running_loop()
        try:
            while queue := self._pending.get(key):
                wait = self._last_edit.get(key, -math.inf) + self.interval - loop.time()
                if wait > 0 and not self._hurry.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._hurry.wait(), wait)
                round_id = next(iter(queue))
                del queue[round_id]
                self._last_edit[key] = loop.time()
                await self._edit(round_id)
        finally:
            if not self._pending.get(key):
                self._pending.pop(key, None)
            self._workers.pop(key, None)

    async def _edit(self, round_id: int) -> None:
        try:
            row = await self.engine.store.get_round(round_id)
            ids = (
                None
                if row is None or not row.message_ref
                else render.parse_message_ref(row.message_ref)
            )
            if ids is None:
                return  # never posted (or not by us): nothing to edit
            card = await self.engine.play.round_card(round_id)
            out = render.build(card, with_files=False)
            channel = self.client.get_partial_messageable(ids[0])
            await channel.get_partial_message(ids[1]).edit(**out.edit_kwargs())
        except (discord.HTTPException, LabelQuestError) as exc:
            log.warning("round %s: could not update its message (%s)", round_id, exc)
        except Exception:
            log.exception("round %s: updating its message failed", round_id)


def _channel_key(event: RoundChanged) -> str:
    if event.message_ref:
        ids = render.parse_message_ref(event.message_ref)
        if ids is not None:
            return str(ids[0])
    return f"round-{event.round_id}"
