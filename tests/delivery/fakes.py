"""An engine and two chat ports in miniature, for the delivery layer on its own.

`DiscordLike` refuses with its own error class and is paced by the editor alone;
`TelegramLike` passes every edit through a "rate limiter" that takes the same pacer's slot
for the chat (re-entrant, as Telegram's request hook does).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core.kernel.events import EventBus
from bot.core.kernel.models import Reply
from bot.delivery import MessageRef, Pacer


class Refused(Exception):
    """The platform said no (a deleted message, closed DMs)."""


@dataclass
class FakeEngine:
    bus: EventBus = field(default_factory=EventBus)
    refs: dict[int, str] = field(default_factory=dict)  # round -> stored message ref
    state: dict[int, int] = field(default_factory=dict)  # round -> what its card shows
    identities: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    cards_rendered: int = 0

    async def round_card(self, round_id: int) -> Reply:
        self.cards_rendered += 1
        return Reply(f"round {round_id}: {self.state.get(round_id, 0)}")

    async def bind_round_message(self, round_id: int, message_ref: str) -> None:
        self.refs[round_id] = message_ref

    async def round_message_ref(self, round_id: int) -> str | None:
        return self.refs.get(round_id)

    async def player_identities(self, player_id: int) -> list[tuple[str, str]]:
        return self.identities.get(player_id, [])


@dataclass
class Call:
    what: str  # "send", "dm" or "edit"
    where: int | MessageRef
    text: str
    at: float


class FakePort:
    platform = "fake"
    toast_limit = 100
    refusals: tuple[type[BaseException], ...] = (Refused,)

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.fail: Callable[[Call], BaseException | None] = lambda call: None
        self.edit_seconds = 0.0  # how long an edit takes on the wire

    def _record(self, call: Call) -> None:
        problem = self.fail(call)
        if problem is not None:
            raise problem
        self.calls.append(call)

    async def send(self, channel_id: int, reply: Reply) -> None:
        self._record(Call("send", channel_id, reply.text, time.monotonic()))

    async def send_private(self, user_id: int, reply: Reply) -> None:
        self._record(Call("dm", user_id, reply.text, time.monotonic()))

    async def edit(self, ref: MessageRef, card: Reply) -> None:
        if self.edit_seconds:
            await asyncio.sleep(self.edit_seconds)
        self._record(Call("edit", ref, card.text, time.monotonic()))

    def edits(self) -> list[str]:
        return [c.text for c in self.calls if c.what == "edit"]


class DiscordLike(FakePort):
    platform = "discord"
    toast_limit = 2000


class TelegramLike(FakePort):
    platform = "telegram"
    toast_limit = 200

    def __init__(self, pacer: Pacer) -> None:
        super().__init__()
        self.pacer = pacer

    async def edit(self, ref: MessageRef, card: Reply) -> None:
        async with self.pacer.slot(ref.channel):  # the request hook: same pacer, same key
            await super().edit(ref, card)


async def until(check: Callable[[], bool], within: float = 3.0) -> None:
    """Wait until `check()` holds (fails the test after `within` seconds)."""
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.005)
