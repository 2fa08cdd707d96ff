"""The in-process event bus: the engine publishes, adapters and the scheduler listen.

Handlers are plain callables that must return quickly (they queue work); they never block
the answer path. A failing handler is logged and does not affect the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.core.kernel.models import Reply

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RoundChanged:
    """A channel round got an answer, a hint or closed; its card should be re-rendered."""

    round_id: int
    platform: str
    channel_external_id: str | None
    message_ref: str | None
    closed: bool = False


@dataclass(frozen=True, slots=True)
class PlayerNotice:
    """A private message for a player (level-up, badge, streak reminder)."""

    player_id: int
    reply: Reply


@dataclass(frozen=True, slots=True)
class ChannelPost:
    """A message for a channel or group (announcements, scheduled rounds)."""

    platform: str
    channel_external_id: str
    reply: Reply


Handler = Callable[[Any], None]


class EventBus:
    def __init__(self) -> None:
        self._handlers: list[Handler] = []

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Register `handler`; returns a function that unregisters it."""
        self._handlers.append(handler)
        return lambda: self._handlers.remove(handler) if handler in self._handlers else None

    def publish(self, event: object) -> None:
        for handler in list(self._handlers):
            try:
                handler(event)
            except Exception:
                log.exception("event handler %r failed on %r", handler, event)
