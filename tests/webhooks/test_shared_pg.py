"""Two engines over one PostgreSQL database (two processes) dispatching the same webhook at
once: every event is delivered exactly once, none twice, none lost."""

from __future__ import annotations

import asyncio

from bot.core.kernel.models import PlayerRef
from bot.core.kernel.scope import Actor
from bot.core.webhooks import DispatchRules
from bot.web.webhooks_out import HttpSender
from tests.multiprocess.conftest import MakePair, make_pair  # noqa: F401 (the fixture)
from tests.support.engine import vote_round
from tests.support.seeds import seed_campaign
from tests.webhooks.receiver import Receiver

ADMIN = Actor(PlayerRef("telegram", "1", "Ada"), True, None, False)
ITEMS = 6


async def test_two_engines_dispatching_at_once_never_send_an_event_twice(
    make_pair: MakePair,  # noqa: F811
) -> None:
    pair = await make_pair()
    await seed_campaign(pair.store, game="classify", items=ITEMS, min_overlap=2, max_overlap=3)
    receiver = await Receiver(now=pair.clock.now).start()
    senders = [HttpSender(), HttpSender()]
    try:
        added = await pair.a.webhooks.add(ADMIN, "colours", receiver.url)
        receiver.secret = added.secret
        for i in range(ITEMS):
            await vote_round(pair.a if i % 2 else pair.b, pair.clock, ["red", "red"], 10 * i + 1)
        rules = DispatchRules(batch=2)
        a, b = pair.a.webhooks.dispatcher(rules), pair.b.webhooks.dispatcher(rules)
        while sum(await asyncio.gather(a.run_once(senders[0]), b.run_once(senders[1]))):
            pass
    finally:
        for s in senders:
            await s.close()
        await receiver.stop()
    ids = [g.doc["id"] for g in receiver.got]
    assert len(ids) == ITEMS and len(set(ids)) == ITEMS
    assert all(g.verified for g in receiver.got)
    rows = await pair.rows(
        "SELECT status, attempts FROM webhook_deliveries WHERE webhook_id = ?", added.webhook.id
    )
    assert rows == [("delivered", 1)] * ITEMS
