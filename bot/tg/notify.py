"""Messages nobody asked for right now: `ChannelPost` (announcements, scheduled rounds) to a
Telegram group, `PlayerNotice` (level-ups, badges, reminders) to a player's private chat.

Bus handlers are synchronous: each event becomes a task; `close()` waits for them. A player
who never started the bot, or blocked it, cannot be written to: that is logged, not raised.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from telegram import Bot
from telegram.error import TelegramError

from bot.core.engine import Engine
from bot.core.kernel.events import ChannelPost, PlayerNotice
from bot.core.kernel.models import Reply
from bot.tg.refs import PLATFORM
from bot.tg.render import Renderer

log = logging.getLogger(__name__)


class Notifier:
    def __init__(self, engine: Engine, bot: Bot, renderer: Renderer) -> None:
        self.engine = engine
        self.bot = bot
        self.renderer = renderer
        self._tasks: set[asyncio.Task[None]] = set()

    def on_event(self, event: object) -> None:
        if isinstance(event, ChannelPost) and event.platform == PLATFORM:
            self._spawn(self._post(int(event.channel_external_id), event.reply))
        elif isinstance(event, PlayerNotice):
            self._spawn(self._notify(event.player_id, event.reply))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _post(self, chat_id: int, reply: Reply) -> None:
        try:
            for part in reply.chain():
                await self.renderer.send(self.bot, chat_id, part)
        except TelegramError as exc:
            log.warning("could not post to chat %s: %s", chat_id, exc)
        except Exception:
            log.exception("posting to chat %s failed", chat_id)

    async def _notify(self, player_id: int, reply: Reply) -> None:
        identities = await self.engine.store.player_identities(player_id)
        for ident in identities:
            if ident.platform == PLATFORM:
                await self._post(int(ident.external_id), reply)

    async def close(self, grace: float) -> None:
        if self._tasks:
            _done, late = await asyncio.wait(set(self._tasks), timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
