"""Platform-neutral delivery, once for both chats: round cards edited in place with paced,
coalesced edits (`RoundEditor`, `Pacer`), posts and notices routed to the right platform
(`Notifier`, `Delivery`), message references (`MessageRef`), and the process's counts of
platform API errors and retries (`PLATFORM_STATS`, read by `/metrics`).

Each chat adapter lends a `ChatPort` (send, send privately, edit; its limits). This package
imports the engine's kernel only: no platform library, no storage.
"""

from __future__ import annotations

from bot.delivery.notify import Notifier
from bot.delivery.pacing import Pacer
from bot.delivery.ports import Binder, ChatPort, DeliveryCases
from bot.delivery.refs import MessageRef, parse_id
from bot.delivery.rounds import RoundEditor
from bot.delivery.router import Delivery
from bot.delivery.stats import (
    CHAT_PLATFORMS,
    ERROR_KINDS,
    PLATFORM_STATS,
    PlatformStats,
    kind_of_status,
)
from bot.delivery.text import clip

__all__ = [
    "CHAT_PLATFORMS",
    "ERROR_KINDS",
    "PLATFORM_STATS",
    "Binder",
    "ChatPort",
    "Delivery",
    "DeliveryCases",
    "MessageRef",
    "Notifier",
    "Pacer",
    "PlatformStats",
    "RoundEditor",
    "clip",
    "kind_of_status",
    "parse_id",
]
