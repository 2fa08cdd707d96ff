"""Answers: stored once per item and player, whatever the concurrency; tallies and points."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import InvalidInput
from bot.core.play import texts as play_texts
from storage import NewAnswer, SqlStore, StoreError
from storage.batch import AnswerTx
from tests.support.doodles import doodle_campaign, person, players, rows
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


async def test_one_bad_answer_fails_alone_and_the_rest_of_its_batch_is_stored(
    engine: Engine,
    store: SqlStore,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    platform_error_trap: Any,
) -> None:
    """Issue 12 hole 6: a request the store rejects (here, one player's answer row) fails
    its whole batch; the batch's requests are then retried one by one, so the four good
    answers are stored and answered and only the bad one gets an error."""
    await seed_campaign(store, items=2)
    card = await engine.play.post_round(player(0, GENERAL, moderator=True))
    voters = [player(i, GENERAL) for i in range(1, 6)]
    await consented(engine, *voters)
    poisoned = await engine.kernel.require_player(voters[2])
    batches: list[int] = []
    insert = AnswerTx.insert_answers

    async def rejecting(self: AnswerTx, rows: Sequence[NewAnswer]) -> list[int | None]:
        batches.append(len(rows))
        if any(r.player_id == poisoned for r in rows):
            raise StoreError("the store rejects this answer")
        return await insert(self, rows)

    monkeypatch.setattr(AnswerTx, "insert_answers", rejecting)
    clock.advance(5)
    payload = answer_payload(card, "Yes")
    done = await asyncio.gather(
        *(engine.handle_button(v, payload) for v in voters), return_exceptions=True
    )
    platform_error_trap.expect("an answer failed alone on retry")
    assert max(batches) > 1  # the bad answer shared a batch with good ones
    assert engine.play.answers.commits.retried >= 2
    assert isinstance(done[2], StoreError)
    good = [r for i, r in enumerate(done) if i != 2]
    assert all("Vote recorded" in (r.notice or "") for r in good)  # type: ignore[union-attr]
    answers = await store.round_answers(card.round_id or 0)
    assert len(answers) == 4 and poisoned not in {a.player_id for a in answers}
    stats = await store.get_stats(poisoned)
    assert stats is None or stats.answers == 0


@pytest.mark.parametrize("text", ["ca\x00t", "cat\x07", "\x1bcat", "cat\x7f"])
async def test_a_guess_with_a_control_character_is_refused_and_stores_nothing(
    engine: Engine, store: SqlStore, clock: ManualClock, text: str
) -> None:
    """Issue 12 hole 6: a NUL (which PostgreSQL rejects in text) or another control character
    in a typed guess is refused at the engine with a clear message, before the store."""
    await doodle_campaign(store, ("cat",))
    card = await engine.play.post_round(person(1, "Mo", mod=True))
    [ann] = await players(engine, "Ann")
    clock.advance(5)
    with pytest.raises(InvalidInput) as refused:
        await engine.quickdraw.guess(ann, text, round_id=card.round_id)
    assert str(refused.value) == play_texts.CONTROL_CHARACTER.format(
        char=f"U+{ord(text.strip('cat')):04X}"
    )
    assert await rows(store, "SELECT COUNT(*) FROM guesses") == [(0,)]
    assert await rows(store, "SELECT COUNT(*) FROM answers") == [(0,)]
    ok = await engine.quickdraw.guess(ann, "a\tdog\n", round_id=card.round_id)  # whitespace: fine
    assert ok.text.startswith("❌")
