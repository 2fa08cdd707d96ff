"""Label exports: the method, its confidence, expert labels marked, contributors' accuracy."""

from __future__ import annotations

import dataclasses

from bot.core.engine import Engine
from bot.core.exports.labels import answer_rows, label_rows
from bot.core.kernel.clock import ManualClock
from storage import SqlStore
from tests.review.owned import own
from tests.support.engine import MOD, choice_payload, vote_round
from tests.support.seeds import seed_campaign


async def player_id(store: SqlStore, user: str) -> int:
    ident = await store.get_identity("discord", user)
    assert ident is not None
    return ident.player_id


async def test_methods_confidence_expert_override_and_gold_accuracy(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await own(
        engine, await seed_campaign(store, game="classify", items=3, min_overlap=2, max_overlap=3)
    )
    easy = await vote_round(engine, clock, ["red", "red"], first=1)
    hard = await vote_round(engine, clock, ["red", "green", "blue"], first=3)
    # Players 1 and 2 have a gold record of 1/1 and 1/2; the others answered no gold item.
    for user, right, answered in (("u1", 1, 1), ("u2", 1, 2)):
        pid = await player_id(store, user)
        st = await store.get_standing(pid, camp.id)
        await store.save_standing(
            dataclasses.replace(st, gold_right=right, gold_answered=answered), clock.now()
        )

    live = {r["item_id"]: r for r in await label_rows(store, camp)}
    tally = await store.get_tally(camp.id, easy)
    assert tally is not None and tally.confidence is not None
    assert live[easy]["method"] == "live" and live[easy]["confidence"] == round(
        tally.confidence, 4
    )
    assert live[easy]["gold_accuracy"] == 0.75  # mean of 1/1 and 1/2
    assert live[hard]["gold_accuracy"] is None and live[hard]["status"] == "review"

    mv = {r["item_id"]: r for r in await label_rows(store, camp, method="mv")}
    assert (mv[easy]["label"], mv[easy]["confidence"], mv[easy]["n_answers"]) == ("red", 1.0, 2)
    # a three-way tie: majority vote takes the first label in code-point order, at 1/3
    assert (mv[hard]["label"], mv[hard]["confidence"], mv[hard]["method"]) == (
        "blue",
        0.3333,
        "mv",
    )

    card = await engine.review.review(MOD)
    await engine.handle_button(MOD, choice_payload(card, "green"))
    for method in ("live", "mv", "sds"):
        row = {r["item_id"]: r for r in await label_rows(store, camp, method=method)}[hard]
        assert (row["label"], row["method"], row["expert"]) == ("green", "expert", True)
        assert row["confidence"] is None and row["status"] == "reviewed"
        assert row["agreement"] == 0.3333  # one of the three answers named green

    answers = await answer_rows(store, camp, raw_ids=True)
    by_worker = {r["worker"]: r["worker_gold_accuracy"] for r in answers}
    assert by_worker[str(await player_id(store, "u1"))] == 1.0
    assert by_worker[str(await player_id(store, "u3"))] is None
