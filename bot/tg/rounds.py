"""Round messages edited in place: `RoundChanged` -> one debounced editor task per chat.

The rule: at most one edit per `[telegram] edit_interval` seconds per chat (`ChatPacer`),
and every edit shows the NEWEST card. Changes that arrive while a chat waits for its next
slot only mark the round dirty; the card is rendered after the wait, so a burst of answers
costs one edit. The closing edit always happens: a closed round is just one more change, and
`close()` flushes what is pending before the bot stops. Bus handlers are synchronous, so
`on_event` only records the change and starts the chat's task if none runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

from telegram import Bot
from telegram.error import TelegramError

from bot.core.engine import Engine
from bot.core.kernel.errors import LabelQuestError
from bot.core.kernel.events import RoundChanged
from bot.tg.ratelimit import ChatPacer
from bot.tg.refs import PLATFORM, parse_message_ref
from bot.tg.render import Renderer

log = logging.getLogger(__name__)


class RoundEditor:
    def __init__(self, engine: Engine, bot: Bot, renderer: Renderer, pacer: ChatPacer) -> None:
        self.engine = engine
        self.bot = bot
        self.renderer = renderer
        self.pacer = pacer
        self._dirty: dict[int, dict[int, int]] = {}  # chat -> {round: message}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._unbound: set[int] = set()
        self._recent: OrderedDict[int, str] = OrderedDict()  # rounds this process bound

    def on_event(self, event: object) -> None:
        if not isinstance(event, RoundChanged) or event.platform != PLATFORM:
            return
        ref = event.message_ref or self._recent.get(event.round_id)
        if ref is None:
            self._unbound.add(event.round_id)  # answered before its message was bound
            return
        self.mark(event.round_id, ref)

    def on_bound(self, round_id: int, message_ref: str) -> None:
        """The renderer bound a round's message. An answer may race the binding (it read the
        round before), so remember the binding, and catch up on a change it already missed."""
        self._recent[round_id] = message_ref
        while len(self._recent) > 1024:
            self._recent.popitem(last=False)
        if round_id in self._unbound:
            self._unbound.discard(round_id)
            self.mark(round_id, message_ref)

    def mark(self, round_id: int, message_ref: str) -> None:
        chat_id, message_id = parse_message_ref(message_ref)
        self._dirty.setdefault(chat_id, {})[round_id] = message_id
        if chat_id not in self._tasks:
            self._tasks[chat_id] = asyncio.create_task(
                self._drain(chat_id), name=f"tg-round-edits-{chat_id}"
            )

    async def _drain(self, chat_id: int) -> None:
        dirty = self._dirty[chat_id]
        try:
            while dirty:
                async with self.pacer.slot(chat_id):
                    round_id = next(iter(dirty))
                    message_id = dirty.pop(round_id)
                    await self._edit(chat_id, message_id, round_id)
        finally:
            del self._tasks[chat_id]
            if not dirty:
                del self._dirty[chat_id]

    async def _edit(self, chat_id: int, message_id: int, round_id: int) -> None:
        try:
            card = await self.engine.play.round_card(round_id)
            await self.renderer.edit(
                self.bot, chat_id, message_id, card, caption=card.media is not None
            )
        except (LabelQuestError, TelegramError) as exc:
            log.warning(
                "round %s: could not update its message in chat %s: %s", round_id, chat_id, exc
            )
        except Exception:
            log.exception("round %s: updating its message in chat %s failed", round_id, chat_id)

    async def close(self, grace: float) -> None:
        """Let pending edits finish (the closing ones matter), for at most `grace` seconds."""
        tasks = list(self._tasks.values())
        if not tasks:
            return
        _done, late = await asyncio.wait(tasks, timeout=grace)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        if late:
            log.warning("%d chat(s) still had round edits pending at shutdown", len(late))
