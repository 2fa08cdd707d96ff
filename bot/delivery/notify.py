"""Messages nobody asked for right now, on every platform: `ChannelPost` (announcements,
weekly winners, scheduled rounds, round results) to a channel or group, `PlayerNotice`
(level-ups, badges, reminders) to each linked account's private chat.

Rules:
- Bus handlers must return at once: each event becomes a task; `drain()` lets them finish
  (bounded), and cancels what is left.
- A post goes to the port of its platform; a notice to every platform the player has an
  account on and that has a port attached (the identities are asked once per notice).
- The parts of a reply's chain are sent in order; the first failure ends that delivery.
- A channel the bot cannot post in, or a player whose private chat is closed (never
  started the bot, blocked it, DMs off), is logged as a WARNING, never raised; a bug is
  logged as an ERROR. An id that is not a platform id is logged and skipped.
- A posted round card is bound to its round like one posted by /round (the port does it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Mapping
from typing import Any

from bot.core.kernel.events import ChannelPost, PlayerNotice
from bot.core.kernel.models import Reply
from bot.delivery.ports import ChatPort, DeliveryCases
from bot.delivery.refs import parse_id

log = logging.getLogger(__name__)


class Notifier:
    """Sends posts and notices through the attached ports; see the module rules."""

    def __init__(self, engine: DeliveryCases, ports: Mapping[str, ChatPort]) -> None:
        self.engine = engine
        self.ports = ports
        self._tasks: set[asyncio.Task[None]] = set()

    def post(self, event: ChannelPost) -> None:
        port = self.ports.get(event.platform)
        if port is None:
            return
        channel_id = parse_id(event.channel_external_id)
        if channel_id is None:
            log.warning("%s: %r is not a channel id", event.platform, event.channel_external_id)
            return
        self._spawn(self._send(port, channel_id, event.reply, private=False))

    def notify(self, event: PlayerNotice) -> None:
        self._spawn(self._notify(event.player_id, event.reply))

    async def drain(self, grace: float) -> None:
        """Let the deliveries in hand finish, for at most `grace` seconds."""
        if not self._tasks:
            return
        _done, late = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        if late:
            log.warning("%d message(s) were still being delivered at shutdown", len(late))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work, name="labelquest-delivery")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _notify(self, player_id: int, reply: Reply) -> None:
        try:
            identities = await self.engine.player_identities(player_id)
        except Exception:
            log.exception("player %s: looking up where to write failed", player_id)
            return
        for platform, external_id in identities:
            port = self.ports.get(platform)
            user_id = parse_id(external_id)
            if port is None or user_id is None:
                continue
            await self._send(port, user_id, reply, private=True, whom=f"player {player_id}")

    @staticmethod
    async def _send(
        port: ChatPort, to: int, reply: Reply, *, private: bool, whom: str = ""
    ) -> None:
        whom = whom or f"channel {to}"
        try:
            for part in reply.chain():
                if private:
                    await port.send_private(to, part)
                else:
                    await port.send(to, part)
        except port.refusals as exc:
            log.warning("%s: could not write to %s: %s", port.platform, whom, exc)
        except Exception:
            log.exception("%s: writing to %s failed", port.platform, whom)
