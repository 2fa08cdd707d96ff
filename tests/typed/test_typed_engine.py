"""The typed-answer path at the engine: solo and channel answers, refusals, agreement, the
alignment vote, eligibility (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.codec import decode
from bot.core.kernel.errors import InvalidInput, NotFound, PermissionDenied, RoundClosed
from storage import TALLY_FINALIZED, TALLY_REVIEW, SqlStore
from tests.support.engine import GENERAL, MOD, buttons, consented, player
from tests.typed.seeds import seed_transcribe


async def test_a_solo_card_takes_a_typed_answer(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_transcribe(store, ["hello", "world"])
    p = player(1)
    await consented(engine, p)
    card = await engine.play.next_task(p)
    assert card.media is not None
    labels = [label for label, _ in buttons(card)]
    assert labels == ["✍️ Answer", "Skip ⏭"]
    assert decode(buttons(card)[0][1]).action == "t"
    clock.advance(5)
    reply = await engine.play.answer_text(p, "  HeLLo  ")
    first = reply.chain()[0]
    assert "“hello”" in first.text
    rnd = await store.get_round(card.round_id or 0)
    assert rnd is not None and rnd.status == "answered"
    answers = await store.round_answers(rnd.id)
    assert [a.label for a in answers] == ["hello"]
    with pytest.raises(RoundClosed, match="already answered"):
        await engine.play.answer_text(p, "hello", round_id=rnd.id)
    assert len(await store.round_answers(rnd.id)) == 1


async def test_bad_typed_answers_are_refused_and_nothing_is_stored(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_transcribe(store, ["hello"], settings={"max_chars": 10})
    p = player(1)
    await consented(engine, p)
    card = await engine.play.next_task(p)
    with pytest.raises(InvalidInput, match="answer was empty"):
        await engine.play.answer_text(p, "\u3000 \t", round_id=card.round_id)
    with pytest.raises(InvalidInput, match="12 characters long; the limit here is 10"):
        await engine.play.answer_text(p, "x" * 12)
    with pytest.raises(InvalidInput, match="control character"):
        await engine.play.answer_text(p, "he\x1bllo")
    with pytest.raises(InvalidInput, match="Usage: /answer"):
        await engine.play.answer_text(p, "  ")
    assert await store.round_answers(card.round_id or 0) == []


async def test_no_typed_task_is_said_clearly(engine: Engine, store: SqlStore) -> None:
    await seed_transcribe(store, ["hello"])
    p = player(1)
    await consented(engine, p)
    with pytest.raises(NotFound, match="no task waiting for a typed answer"):
        await engine.play.answer_text(p, "hello")


async def test_a_channel_round_finalises_when_answers_agree(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    campaign = await seed_transcribe(store, ["good morning"], min_overlap=3, confidence=0.8)
    card = await engine.play.post_round(MOD)
    assert card.round_id is not None
    assert [label for label, _ in buttons(card)] == ["✍️ Answer"]
    players = [player(i, GENERAL) for i in range(1, 4)]
    await consented(engine, *players)
    clock.advance(5)
    for p, text in zip(players, ["Good morning", "good   MORNING", "good morning"], strict=True):
        await engine.play.answer_text(p, text)
    open_card = await engine.play.round_card(card.round_id)
    assert "3 players have answered" in open_card.text and "“" not in open_card.text
    rnd = await store.get_round(card.round_id)
    assert rnd is not None
    tally = await store.get_tally(campaign.id, rnd.item_id)
    assert tally is not None and tally.status == TALLY_FINALIZED
    assert tally.label == "good morning"
    await engine.play.close_round(card.round_id)
    closed = await engine.play.round_card(card.round_id)
    assert "“good morning” 3" in closed.text
    assert "Crowd label final: “good morning”" in closed.text


async def test_a_button_answer_is_refused_on_a_typed_card_and_a_typed_one_on_a_choice_card(
    engine: Engine, store: SqlStore
) -> None:
    from tests.support.seeds import seed_campaign

    await seed_campaign(store, items=2)
    p = player(1)
    await consented(engine, p)
    card = await engine.play.next_task(p)
    with pytest.raises(InvalidInput, match="takes the buttons"):
        await engine.play.answer_text(p, "yes", round_id=card.round_id)
    assert await store.round_answers(card.round_id or 0) == []


async def test_the_answer_button_says_how_to_answer(engine: Engine, store: SqlStore) -> None:
    await seed_transcribe(store, ["hello"])
    p = player(1)
    await consented(engine, p)
    card = await engine.play.next_task(p)
    reply = await engine.handle_button(p, buttons(card)[0][1])
    assert "Press ✍️ Answer" in reply.text and reply.ephemeral


async def test_someone_elses_solo_card_is_refused(engine: Engine, store: SqlStore) -> None:
    await seed_transcribe(store, ["hello"])
    a, b = player(1), player(2)
    await consented(engine, a, b)
    card = await engine.play.next_task(a)
    with pytest.raises(PermissionDenied):
        await engine.play.answer_text(b, "hello", round_id=card.round_id)


async def test_an_ineligible_flow_makes_play_skip_the_campaign_with_its_note(
    engine: Engine, store: SqlStore
) -> None:
    from bot.core.play.typed import TypedFlow

    class Picky(TypedFlow):
        async def eligible(self, pid: int, campaign: object) -> str | None:
            return "Set your languages with /languages first."

    play = engine.play
    play.k.ext.flow("transcribe", Picky(play.k, play.answers, play.open_round_in_channel))
    await seed_transcribe(store, ["hello"])
    p = player(1)
    await consented(engine, p)
    with pytest.raises(Exception, match="Set your languages") as caught:
        await engine.play.next_task(p)
    assert "No tasks" in str(caught.value)
    assert await store.open_solo_campaigns(1) == set()


async def _review_or_final(
    engine: Engine, store: SqlStore, clock: ManualClock, answers: list[str]
) -> tuple[str, str | None, float | None]:
    campaign = await seed_transcribe(
        store, ["the quick brown fox"], min_overlap=3, max_overlap=len(answers)
    )
    players = [player(i) for i in range(1, len(answers) + 1)]
    await consented(engine, *players)
    for p, text in zip(players, answers, strict=True):
        await engine.play.next_task(p)
        clock.advance(6)
        await engine.play.answer_text(p, text)
    items = await store.campaign_tallies(campaign.id)
    [tally] = items
    return tally.status, tally.label, tally.confidence


async def test_the_alignment_vote_finalises_answers_that_disagree_on_different_words(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    answers = [
        "the quick brown fox",
        "the quick brown fix",
        "the quack brown fox",
        "a quick brown fox",
        "the quick brawn fox",
    ]
    status, label, conf = await _review_or_final(engine, store, clock, answers)
    assert status == TALLY_FINALIZED
    assert label == "the quick brown fox"
    assert conf is not None and 0.5 < conf < 1.0


async def test_a_position_without_a_majority_sends_the_item_to_review(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    answers = [
        "the quick brown fox",
        "the quick green fox",
        "the quick red fox",
        "the quick blue fox",
    ]
    status, _label, _conf = await _review_or_final(engine, store, clock, answers)
    assert status == TALLY_REVIEW
