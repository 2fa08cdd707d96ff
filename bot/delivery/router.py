"""The delivery layer's one subscription to the engine's events, routed by platform.

Rules:
- `start()` subscribes once for every platform; `close()` unsubscribes. Events for a
  platform with no attached port are dropped (that bot is not running).
- `RoundChanged` goes to the platform's `RoundEditor`; `ChannelPost` to the platform's
  port; `PlayerNotice` to every attached port the player has an account on (`Notifier`).
- Cards are bound through `binder(platform)`: the engine stores the binding, then the
  platform's editor hears of it (`RoundEditor.on_bound`), whether or not it is attached.
- An adapter `attach`es its port when its client can send, and `detach`es it before the
  client closes: detaching stops routing to it, then makes its queued round edits and lets
  the messages in hand finish (each bounded by `grace`). Detaching twice is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.core.kernel.events import ChannelPost, PlayerNotice, RoundChanged
from bot.delivery.notify import Notifier
from bot.delivery.pacing import Pacer
from bot.delivery.ports import Binder, ChatPort, DeliveryCases
from bot.delivery.rounds import RoundEditor

log = logging.getLogger(__name__)


class Delivery:
    """Round-card edits and notifications for every attached chat platform."""

    def __init__(self, engine: DeliveryCases) -> None:
        self.engine = engine
        self.ports: dict[str, ChatPort] = {}
        self.editors: dict[str, RoundEditor] = {}
        self._hurry: dict[str, bool] = {}
        self.notifier = Notifier(engine, self.ports)
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        if self._unsubscribe is None:
            self._unsubscribe = self.engine.bus.subscribe(self.on_event)

    async def close(self, grace: float = 5.0) -> None:
        """Unsubscribe, and detach whatever is still attached."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for platform in list(self.ports):
            await self.detach(platform, grace)

    def attach(self, port: ChatPort, pacer: Pacer, *, hurry_at_close: bool) -> RoundEditor:
        """Route `port.platform`'s events to `port`; its round edits are paced by `pacer`.
        `hurry_at_close`: at detach, make queued edits without waiting for the interval."""
        editor = RoundEditor(self.engine, port, pacer)
        self.ports[port.platform] = port
        self.editors[port.platform] = editor
        self._hurry[port.platform] = hurry_at_close
        return editor

    def binder(self, platform: str) -> Binder:
        """What `platform`'s renderer binds its posted round cards with."""
        return _PlatformBinder(self, platform)

    def bound(self, platform: str, round_id: int, message_ref: str) -> None:
        """A round card was bound to its round (see `RoundEditor.on_bound`)."""
        editor = self.editors.get(platform)
        if editor is not None:
            editor.on_bound(round_id, message_ref)

    async def detach(self, platform: str, grace: float) -> None:
        """Stop routing to `platform`, then flush its edits and the messages in hand."""
        self.ports.pop(platform, None)
        editor = self.editors.pop(platform, None)
        hurry = self._hurry.pop(platform, False)
        if editor is not None:
            await editor.close(grace, hurry=hurry)
            await self.notifier.drain(grace)

    def on_event(self, event: object) -> None:
        """The bus handler: returns at once (the work is queued)."""
        if isinstance(event, RoundChanged):
            editor = self.editors.get(event.platform)
            if editor is not None:
                editor.on_event(event)
        elif isinstance(event, ChannelPost):
            self.notifier.post(event)
        elif isinstance(event, PlayerNotice):
            self.notifier.notify(event)


class _PlatformBinder:
    """Binds through the engine, then tells the platform's editor (see `Delivery.binder`)."""

    def __init__(self, delivery: Delivery, platform: str) -> None:
        self.delivery = delivery
        self.platform = platform

    async def bind_round_message(self, round_id: int, message_ref: str) -> None:
        await self.delivery.engine.bind_round_message(round_id, message_ref)
        self.delivery.bound(self.platform, round_id, message_ref)
