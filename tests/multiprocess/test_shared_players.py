"""A player's identity across two engines over one PostgreSQL database: forgotten (and then
consenting again) through one process, they answer through the other, whose cache had them
under their old player id. The other process reads the identity again after
`[database] cache_seconds`, so the answer is stored under the new id, never lost to a
foreign-key error."""

from __future__ import annotations

import asyncio

from tests.multiprocess.conftest import MakePair
from tests.support.engine import GENERAL, answer_payload, buttons, player
from tests.support.seeds import seed_campaign

MOD = player(90, GENERAL, moderator=True)


async def test_a_player_forgotten_in_one_process_answers_through_the_other(
    make_pair: MakePair,
) -> None:
    pair = await make_pair(database={"cache_seconds": 0.05})
    await seed_campaign(pair.store, game="classify", min_overlap=5, max_overlap=6)
    ann = player(1, GENERAL)
    await pair.b.players.consent(ann, True)
    first = await pair.a.play.post_round(MOD)
    pair.clock.advance(5)
    await pair.b.handle_button(ann, answer_payload(first, "red"))  # b caches ann's player id
    old = (await pair.rows("SELECT player_id FROM identities"))[0][0]

    ask = await pair.a.players.forget(ann)
    confirm = next(pl for label, pl in buttons(ask) if "Delete" in label)
    assert "deleted" in (await pair.a.handle_button(ann, confirm)).text
    await pair.a.players.consent(ann, True)  # back, as a new player
    new = (await pair.rows("SELECT player_id FROM identities"))[0][0]
    assert new != old

    await asyncio.sleep(0.06)  # past cache_seconds (a monotonic clock, not the engines' clock)
    second = await pair.a.play.post_round(MOD)
    pair.clock.advance(5)
    reply = await pair.b.handle_button(ann, answer_payload(second, "red"))
    assert "went wrong" not in reply.text.lower()
    stored = await pair.rows("SELECT player_id FROM answers WHERE round_id = ?", second.round_id)
    assert stored == [(new,)]
