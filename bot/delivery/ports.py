"""What the delivery layer needs from the outside: a port per chat platform, and the few
engine use cases it calls.

A port renders and transports; it decides nothing. Each call carries ONE reply (the delivery
layer walks a reply's `then` chain itself) and raises what its platform raised: the errors
named in `refusals` (the platform said no: a closed DM, a deleted message, a missing right)
are logged as WARNINGs by the delivery layer, anything else as an ERROR with its traceback.
Platform limits live on the port, never in the engine.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.kernel.events import EventBus
from bot.core.kernel.models import Reply
from bot.delivery.refs import MessageRef


class ChatPort(Protocol):
    """One chat platform as the delivery layer sees it."""

    @property
    def platform(self) -> str:
        """The platform name the engine uses in events and identities ("discord", ...)."""
        ...

    @property
    def toast_limit(self) -> int:
        """The longest private button feedback the platform shows, in characters."""
        ...

    @property
    def refusals(self) -> tuple[type[BaseException], ...]:
        """Errors by which the platform refuses a call (logged as warnings, not bugs)."""
        ...

    async def send(self, channel_id: int, reply: Reply) -> None:
        """Post `reply` publicly in a channel or group; a round card is bound to its round."""
        ...

    async def send_private(self, user_id: int, reply: Reply) -> None:
        """Write `reply` to a player's private chat (a DM) by their platform user id."""
        ...

    async def edit(self, ref: MessageRef, card: Reply) -> None:
        """Replace the text and buttons of a posted round card; its picture stays."""
        ...


class Binder(Protocol):
    """Whoever binds a posted round card to its round: the engine, or (so the round editor
    hears of it) `Delivery.binder(platform)`."""

    async def bind_round_message(self, round_id: int, message_ref: str) -> None:
        """Remember that `message_ref` shows round `round_id`."""
        ...


class DeliveryCases(Binder, Protocol):
    """The engine, as far as delivery goes: its event bus, binding, three read-only cases."""

    @property
    def bus(self) -> EventBus: ...

    async def round_card(self, round_id: int) -> Reply:
        """The current card of a channel round."""
        ...

    async def round_message_ref(self, round_id: int) -> str | None:
        """The stored reference of the message that shows a round (None until posted)."""
        ...

    async def player_identities(self, player_id: int) -> list[tuple[str, str]]:
        """(platform, external id) of each account linked to a player."""
        ...
