"""The reward start-up pass through two engines starting together over one PostgreSQL
database: badges earned before their definition existed are awarded and announced once."""

from __future__ import annotations

import asyncio

from tests.multiprocess.conftest import MakePair
from tests.support.engine import GENERAL, answer_payload, player
from tests.support.seeds import seed_campaign

MOD = player(90, GENERAL, moderator=True)


async def test_two_processes_starting_together_award_a_retroactive_badge_once(
    make_pair: MakePair,
) -> None:
    pair = await make_pair()
    await seed_campaign(pair.store)
    card = await pair.a.play.post_round(MOD)
    refs = [player(i, GENERAL) for i in (1, 2)]
    for ref in refs:
        await pair.a.players.consent(ref, True)
    pair.clock.advance(3)
    for ref in refs:
        await pair.b.handle_button(ref, answer_payload(card, "Yes"))
    async with pair.store.db.transaction() as tx:  # as if badges were defined only now
        await tx.execute("DELETE FROM player_badges")
        await tx.execute("UPDATE player_rewards SET badges = ''")
        await tx.execute("DELETE FROM meta WHERE key = 'rewards.badges'")
    pair.notices.clear()
    awarded = await asyncio.gather(
        pair.a.reward_jobs.start_rewards(), pair.b.reward_jobs.start_rewards()
    )
    pair.a.reward_jobs.publish_pending()
    pair.b.reward_jobs.publish_pending()
    assert sorted(awarded)[0] == 0 and sorted(awarded)[1] >= 2  # one process did the work
    first = await pair.rows("SELECT player_id FROM player_badges WHERE badge_id = 'first_answer'")
    assert len(first) == 2
    told = [n for n in pair.notices if "First Label" in n.reply.text]
    assert sorted(n.player_id for n in told) == sorted(p[0] for p in first)
