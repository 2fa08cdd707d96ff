"""Messages nobody asked for right now: `ChannelPost` (announcements, scheduled rounds) to a
Discord channel, `PlayerNotice` (level-ups, badges, reminders) to a player's DMs.

Bus handlers are synchronous: each event becomes a task; `close()` lets them finish. A
channel the bot cannot post in, or a player whose DMs are closed, is logged as a WARNING,
never raised. A posted round card is bound to its round like one posted by /round.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import discord

from bot.cogs import render
from bot.cogs.refs import PLATFORM
from bot.core.engine import Engine
from bot.core.kernel.events import ChannelPost, PlayerNotice
from bot.core.kernel.models import Reply

log = logging.getLogger(__name__)


class Notifier:
    def __init__(self, client: discord.Client, engine: Engine) -> None:
        self.client = client
        self.engine = engine
        self._tasks: set[asyncio.Task[None]] = set()
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        if self._unsubscribe is None:
            self._unsubscribe = self.engine.bus.subscribe(self.on_event)

    def on_event(self, event: object) -> None:
        if isinstance(event, ChannelPost) and event.platform == PLATFORM:
            if event.channel_external_id.isdigit():
                channel_id = int(event.channel_external_id)
                self._spawn(self._post(channel_id, event.reply))
        elif isinstance(event, PlayerNotice):
            self._spawn(self._notify(event.player_id, event.reply))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work, name="labelquest-discord-notice")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _post(self, channel_id: int, reply: Reply) -> None:
        channel = self.client.get_partial_messageable(channel_id)
        await self._send(channel, channel_id, reply, f"channel {channel_id}")

    async def _notify(self, player_id: int, reply: Reply) -> None:
        for ident in await self.engine.store.player_identities(player_id):
            if ident.platform != PLATFORM or not ident.external_id.isdigit():
                continue
            try:
                dm = await self.client.create_dm(discord.Object(int(ident.external_id)))
            except discord.HTTPException as exc:
                log.warning("player %s: no DM channel (%s)", player_id, exc)
                continue
            await self._send(dm, dm.id, reply, f"player {player_id}")

    async def _send(
        self, channel: discord.abc.Messageable, channel_id: int, reply: Reply, whom: str
    ) -> None:
        try:
            for part in reply.chain():
                await render.post_in_channel(channel, channel_id, part, self.engine)
        except discord.HTTPException as exc:
            log.warning("could not write to %s: %s", whom, exc)
        except Exception:
            log.exception("writing to %s failed", whom)

    async def close(self, timeout: float) -> None:  # noqa: ASYNC109
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._tasks:
            _done, late = await asyncio.wait(set(self._tasks), timeout=timeout)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
