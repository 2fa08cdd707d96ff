"""Players and places for engine tests."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.kernel.codec import decode
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef, Reply

GUILD = CommunityRef("discord", "g1", "Shape Club")
GENERAL = ChannelRef("discord", "c1", "general", Kind.GROUP, GUILD)
DM = ChannelRef("discord", "dm", "dm", Kind.PRIVATE)


def player(i: int, channel: ChannelRef = DM, moderator: bool = False) -> PlayerRef:
    return PlayerRef("discord", f"u{i}", f"Player{i}", channel, moderator)


async def consented(engine: Engine, *refs: PlayerRef) -> None:
    for ref in refs:
        await engine.consent(ref, True)


def buttons(reply: Reply) -> list[tuple[str, str]]:
    return [(c.label, c.payload) for row in reply.choices for c in row]


def answer_payload(reply: Reply, label: str) -> str:
    for text, payload in buttons(reply):
        if text == label and decode(payload).action == "a":
            return payload
    raise AssertionError(f"no answer button {label!r} in {buttons(reply)}")
