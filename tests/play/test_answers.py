"""Answers: stored once per item and player, whatever the concurrency; tallies and points."""

from __future__ import annotations

import asyncio

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import SqlStore
from tests.support.engine import GENERAL, answer_payload, consented, player
from tests.support.seeds import seed_campaign


async def test_many_simultaneous_presses_store_exactly_one_answer(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_campaign(store, items=2)
    card = await engine.play.post_round(player(0, GENERAL, moderator=True))
    p = player(1, GENERAL)
    await consented(engine, p)
    clock.advance(5)
    payload = answer_payload(card, "Yes")
    replies = await asyncio.gather(*(engine.handle_button(p, payload) for _ in range(25)))
    stored = [r for r in replies if "Vote recorded" in (r.notice or "")]
    dupes = [r for r in replies if "already answered" in (r.notice or "")]
    assert len(stored) == 1 and len(dupes) == 24
    answers = await store.round_answers(card.round_id or 0)
    assert len(answers) == 1
    stats = await store.get_stats(answers[0].player_id)
    assert stats is not None and stats.answers == 1 and stats.points == 10


async def test_item_is_finalized_at_its_overlap_with_agreement(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(
        store, game="classify", items=1, min_overlap=3, max_overlap=3, confidence=0.5
    )
    card = await engine.play.post_round(player(0, GENERAL, moderator=True))
    voters = [player(i, GENERAL) for i in range(1, 4)]
    await consented(engine, *voters)
    clock.advance(5)
    for v, label in zip(voters, ["red", "red", "blue"], strict=True):
        reply = await engine.handle_button(v, answer_payload(card, label))
    assert "finalized this item: red" in (reply.notice or "")
    rnd = await store.get_round(card.round_id or 0)
    tally = await store.get_tally(camp.id, rnd.item_id)  # type: ignore[union-attr]
    assert tally is not None and tally.status == "finalized" and tally.label == "red"
    assert tally.n_answers == 3 and tally.agreement is not None
    assert abs(tally.agreement - 2 / 3) < 1e-6
    board, _ = await store.leaderboard(limit=3)
    points = {row.display_name: row.points for row in board}
    # base 10 each; the two who agreed with the consensus earn the consensus bonus on top
    assert points["Player1"] == points["Player2"] > points["Player3"] == 10


async def test_undecided_item_goes_to_review_at_max_overlap(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(
        store, game="classify", items=1, min_overlap=2, max_overlap=3, confidence=0.95
    )
    card = await engine.play.post_round(player(0, GENERAL, moderator=True))
    voters = [player(i, GENERAL) for i in range(1, 4)]
    await consented(engine, *voters)
    clock.advance(5)
    for v, label in zip(voters, ["red", "green", "blue"], strict=True):
        await engine.handle_button(v, answer_payload(card, label))
    rnd = await store.get_round(card.round_id or 0)
    tally = await store.get_tally(camp.id, rnd.item_id)  # type: ignore[union-attr]
    assert tally is not None and tally.status == "review"


async def test_a_press_cancelled_while_its_batch_commits_is_still_stored_once(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    """A platform that gives up on a slow interaction cancels its handler: the answer, already
    in a batch, is stored all the same, and the other answers of the batch get their reply."""
    await seed_campaign(store, items=2)
    card = await engine.play.post_round(player(0, GENERAL, moderator=True))
    voters = [player(i, GENERAL) for i in range(1, 4)]
    await consented(engine, *voters)
    clock.advance(5)
    payload = answer_payload(card, "Yes")
    tasks = [asyncio.create_task(engine.handle_button(v, payload)) for v in voters]
    for _ in range(5000):  # until all three are taken into a batch
        if engine.play.answers.commits.items >= 3:
            break
        await asyncio.sleep(0.001)
    tasks[0].cancel()
    done = await asyncio.gather(*tasks, return_exceptions=True)
    assert all("Vote recorded" in (r.notice or "") for r in done[1:])  # type: ignore[union-attr]
    await engine.play.answers.commits.close()
    answers = await store.round_answers(card.round_id or 0)
    assert sorted(a.player_id for a in answers) == sorted({a.player_id for a in answers})
    assert len(answers) == 3
