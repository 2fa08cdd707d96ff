"""Send back (`engine.review.bulk(..., "send_back")`): an item in review returns to the crowd
with its answers kept and room for `min_overlap` more; the live tally and the recount after a
/forget both use that room, so the item is not pushed straight back into review."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import PlayerRef
from bot.core.kernel.scope import Actor
from storage import SqlStore
from tests.review.owned import own
from tests.support.engine import GENERAL, answer_payload, buttons, consented, player, vote_round
from tests.support.seeds import seed_campaign


async def test_a_sent_back_item_takes_more_answers_and_survives_a_recount(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await own(
        engine, await seed_campaign(store, game="verify", items=1, min_overlap=2, max_overlap=3)
    )
    card = await engine.play.post_round(player(90, GENERAL, moderator=True))
    labels = [label for label, _ in buttons(card)][:3]  # yes, no, not sure
    await engine.play.close_round(card.round_id or 0)
    item = await vote_round(engine, clock, labels, first=1)
    tally = await store.get_tally(camp.id, item)
    assert tally is not None and tally.status == "review"

    mod = Actor(PlayerRef("discord", "u90", "Mo", GENERAL, True), False, camp.community_id, True)
    done = await engine.review.bulk(mod, camp.id, [item], "send_back")
    assert done.summary == "1 item of colours sent back to the crowd"
    tally = await store.get_tally(camp.id, item)
    assert tally is not None and (tally.status, tally.n_answers, tally.extra_overlap) == (
        "open",
        3,
        2,
    )

    newcomer = player(20, GENERAL)
    await consented(engine, newcomer)
    solo = await engine.play.next_task(newcomer)
    await engine.handle_button(newcomer, answer_payload(solo, labels[2]))  # abstains
    tally = await store.get_tally(camp.id, item)
    assert tally is not None and (tally.status, tally.n_answers) == ("open", 4)

    await engine.handle_button(player(3, GENERAL), "v1:f:1")  # the first abstainer forgets
    tally = await store.get_tally(camp.id, item)
    assert tally is not None and (tally.status, tally.n_answers) == ("open", 3)
    assert [e.action for e in await store.review_log(campaign_id=camp.id)] == ["send_back"]
