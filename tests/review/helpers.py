"""Shared steps of the review tests: put items into the review queue through real answers."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.codec import decode
from bot.core.kernel.models import PlayerRef, Reply
from tests.core.helpers import GENERAL, answer_payload, consented, player

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
