"""Round cards kept current: `RoundChanged` -> the newest card -> one paced edit per channel.

Rules (the same for every platform):
- Bus handlers must return at once, so an event only queues its round; a worker per
  channel does the editing.
- At most one edit per channel per interval (`Pacer`; the first one goes out at once).
  Changes coalesce: a round queued twice is edited once, with the card as it is when the
  edit is made (`round_card`, rendered inside the channel's slot), so a burst of answers
  costs one edit, a close that arrives while an edit is waiting is in that edit, and one
  that arrives during an edit queues another. The closing edit therefore always happens.
- Shutdown (`close`) stops taking changes and makes the queued edits, for at most `grace`
  seconds; with `hurry` without waiting for the interval (Discord), else still paced
  (Telegram, whose flood limit its request hook enforces with the same pacer).
- The message is the round's stored reference (`round_message_ref`), read when the edit is
  made; an event carries the reference known when it was raised, which may predate the
  binding, so it only picks the channel (and is the fallback). A change to a round whose
  message is not bound yet waits for `on_bound` (bindings go through `Delivery.binder`),
  so an answer that raced the posting of its card still shows.
- The edit replaces text and buttons and keeps the picture: a closed card has no buttons.
- Several processes edit the same cards (each its own editor): an open card rendered just
  before another process closed the round could land after that process's closing edit, so
  after editing an open card the editor renders it again and, if the round closed in the
  meantime, edits once more. The closing edit is therefore always the last one.
- An edit that fails is logged (WARNING for the platform's refusals and the engine's own
  errors, ERROR for bugs) and dropped; the next change re-renders from the database anyway.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Hashable
from typing import TypeVar

from bot.core.kernel.errors import LabelQuestError
from bot.core.kernel.events import RoundChanged
from bot.delivery.pacing import Pacer
from bot.delivery.ports import ChatPort, DeliveryCases
from bot.delivery.refs import MessageRef

log = logging.getLogger(__name__)

REMEMBERED = 1024  # recent bindings and unbound rounds kept, each
V = TypeVar("V")


class RoundEditor:
    """Edits one platform's round cards; see the module rules."""

    def __init__(self, engine: DeliveryCases, port: ChatPort, pacer: Pacer) -> None:
        self.engine = engine
        self.port = port
        self.pacer = pacer
        self._pending: dict[Hashable, dict[int, MessageRef | None]] = {}
        self._workers: dict[Hashable, asyncio.Task[None]] = {}
        self._recent: OrderedDict[int, MessageRef] = OrderedDict()  # rounds bound here
        self._unbound: OrderedDict[int, None] = OrderedDict()
        self._closed = False

    def on_event(self, event: RoundChanged) -> None:
        """Queue the round (the caller checked the platform)."""
        ref = MessageRef.parse(event.message_ref) or self._recent.get(event.round_id)
        self.mark(event.round_id, ref)

    def on_bound(self, round_id: int, message_ref: str) -> None:
        """The adapter bound a round's message. An answer may race the binding (it read the
        round before), so remember the binding, and catch up on a change it already missed."""
        ref = MessageRef.parse(message_ref)
        if ref is None:
            return
        _remember(self._recent, round_id, ref)
        if round_id in self._unbound:
            del self._unbound[round_id]
            self.mark(round_id, ref)

    def mark(self, round_id: int, ref: MessageRef | None) -> None:
        """Queue an edit of the round in its channel (by id when the channel is unknown)."""
        if self._closed:
            return
        key: Hashable = ref.channel if ref is not None else ("round", round_id)
        self._pending.setdefault(key, {})[round_id] = ref
        if key not in self._workers:
            self._workers[key] = asyncio.get_running_loop().create_task(
                self._drain(key), name=f"labelquest-round-edits-{self.port.platform}-{key}"
            )

    async def close(self, grace: float, *, hurry: bool) -> None:
        """Stop taking changes and make the queued edits (the closing ones matter)."""
        self._closed = True
        if hurry:
            self.pacer.hurry()
        workers = list(self._workers.values())
        if not workers:
            return
        _done, late = await asyncio.wait(workers, timeout=grace)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        if late:
            log.warning(
                "%s: %d channel(s) still had round edits queued at shutdown",
                self.port.platform,
                len(late),
            )

    async def _drain(self, key: Hashable) -> None:
        queue = self._pending[key]
        try:
            while queue:
                async with self.pacer.slot(key):
                    round_id = next(iter(queue))
                    await self._edit(round_id, queue.pop(round_id))
        finally:
            self._workers.pop(key, None)
            if not queue:
                self._pending.pop(key, None)

    async def _edit(self, round_id: int, known: MessageRef | None) -> None:
        refused: tuple[type[BaseException], ...] = (LabelQuestError, *self.port.refusals)
        try:
            ref = MessageRef.parse(await self.engine.round_message_ref(round_id)) or known
            if ref is None:
                _remember(self._unbound, round_id, None)  # not posted yet: `on_bound` will do
                return
            card = await self.engine.round_card(round_id)
            await self.port.edit(ref, card)
            if card.choices:  # an open card: another process may have closed it meanwhile
                fresh = await self.engine.round_card(round_id)
                if not fresh.choices:
                    await self.port.edit(ref, fresh)
        except refused as exc:
            log.warning("round %s: could not update its message (%s)", round_id, exc)
        except Exception:
            log.exception("round %s: updating its message failed", round_id)


def _remember(seen: OrderedDict[int, V], round_id: int, value: V) -> None:
    seen[round_id] = value
    seen.move_to_end(round_id)
    while len(seen) > REMEMBERED:
        seen.popitem(last=False)
