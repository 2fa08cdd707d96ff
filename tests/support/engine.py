"""Players, places and steps for engine-level tests: refs in a Discord guild and a Telegram
group, consent, the buttons of a reply, a round answered by a small crowd."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.codec import decode
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef, Reply

GUILD = CommunityRef("discord", "g1", "Shape Club")
GENERAL = ChannelRef("discord", "c1", "general", Kind.GROUP, GUILD)
DM = ChannelRef("discord", "dm", "dm", Kind.PRIVATE)


def player(i: int, channel: ChannelRef = DM, moderator: bool = False) -> PlayerRef:
    return PlayerRef("discord", f"u{i}", f"Player{i}", channel, moderator)


async def consented(engine: Engine, *refs: PlayerRef) -> None:
    for ref in refs:
        await engine.players.consent(ref, True)


def buttons(reply: Reply) -> list[tuple[str, str]]:
    return [(c.label, c.payload) for row in reply.choices for c in row]


def answer_payload(reply: Reply, label: str) -> str:
    for text, payload in buttons(reply):
        if text == label and decode(payload).action == "a":
            return payload
    raise AssertionError(f"no answer button {label!r} in {buttons(reply)}")


def group_ref(
    user: str = "7",
    name: str = "Mo",
    *,
    chat: str = "-100123",
    moderator: bool = True,
    platform: str = "telegram",
) -> PlayerRef:
    community = CommunityRef(platform, chat, "Labelers")
    channel = ChannelRef(platform, chat, "Labelers", Kind.GROUP, community)
    return PlayerRef(platform, user, name, channel, moderator)


def private_ref(user: str, name: str = "Admin", platform: str = "telegram") -> PlayerRef:
    channel = ChannelRef(platform, user, "private chat", Kind.PRIVATE)
    return PlayerRef(platform, user, name, channel)


MOD = player(90, GENERAL, moderator=True)


def choice_payload(reply: Reply, label: str) -> str:
    """The payload of the button labelled `label` (any action)."""
    for row in reply.choices:
        for c in row:
            if c.label == label:
                return c.payload
    shown = [c.label for row in reply.choices for c in row]
    raise AssertionError(f"no button {label!r} in {shown}")


async def vote_round(engine: Engine, clock: ManualClock, labels: list[str], first: int = 1) -> int:
    """A round in #general answered with `labels` by players first, first+1, ...; returns
    the item id. The round is closed afterwards."""
    card = await engine.play.post_round(MOD)
    players = [player(first + i, GENERAL) for i in range(len(labels))]
    await consented(engine, *players)
    clock.advance(4)
    for p, label in zip(players, labels, strict=True):
        await engine.handle_button(p, answer_payload(card, label))
    assert card.round_id is not None
    rnd = await engine.store.get_round(card.round_id)
    assert rnd is not None
    await engine.play.close_round(rnd.id)
    return rnd.item_id


def round_of(reply: Reply) -> int:
    for row in reply.choices:
        for c in row:
            if decode(c.payload).action == "a":
                return decode(c.payload).args[0]
    raise AssertionError("no answer button")


def mod_ref(i: int = 90) -> PlayerRef:
    return player(i, GENERAL, moderator=True)
