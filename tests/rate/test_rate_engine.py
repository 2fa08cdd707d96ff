"""The rate game through the engine on SQLite and PostgreSQL: solo cards, channel rounds
closed with their distribution and median, the live verdict, and the report's alpha."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import InvalidInput, RoundClosed
from bot.core.review.report import campaign_report
from storage import TALLY_FINALIZED, TALLY_OPEN, TALLY_REVIEW, SqlStore
from tests.rate.seed import seed_rate
from tests.review.owned import own
from tests.support.engine import (
    DM,
    GENERAL,
    MOD,
    answer_payload,
    buttons,
    choice_payload,
    consented,
    player,
    vote_round,
)


async def test_solo_card_has_the_scale_and_stores_one_rating(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_rate(store)
    ann = player(1, DM)
    await consented(engine, ann)
    card = await engine.play.next_task(ann)
    assert "How full is the glass?\n1 = empty … 5 = full" in card.text
    assert [label for label, _ in buttons(card)] == [
        "1 · empty", "2", "3", "4", "5 · full", "Can't say", "Skip ⏭",
    ]  # fmt: skip
    clock.advance(5)
    first = await engine.handle_button(ann, answer_payload(card, "4"))
    assert "Your answer: 4" in first.text
    with pytest.raises(RoundClosed, match="already answered"):  # a stale second press
        await engine.handle_button(ann, answer_payload(card, "2"))
    ident = await store.get_identity("discord", "u1")
    assert ident is not None
    assert [a.label for a in await store.player_answers(ident.player_id)] == ["4"]


async def test_a_composed_value_outside_the_scale_is_refused_and_not_stored(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_rate(store, scale="5")
    ann = player(1, DM)
    await consented(engine, ann)
    card = await engine.play.next_task(ann)
    assert card.round_id is not None
    clock.advance(5)
    with pytest.raises(InvalidInput, match="whole number from 1 to 5, not '7'"):
        await engine.play.answer_value(ann, card.round_id, "7")
    ident = await store.get_identity("discord", "u1")
    assert ident is not None and await store.player_answers(ident.player_id) == []


async def test_rounds_close_with_distribution_and_median_and_follow_the_verdict(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await own(engine, await seed_rate(store))
    agreed = await vote_round(engine, clock, ["4", "4", "5 · full"], first=1)
    spread = await vote_round(
        engine, clock, ["1 · empty", "3", "5 · full", "2", "5 · full"], first=10
    )
    abstained = await vote_round(engine, clock, ["Can't say", "3"], first=20)
    t1, t2, t3 = [await store.get_tally(camp.id, i) for i in (agreed, spread, abstained)]
    assert t1 is not None and (t1.label, t1.status, t1.confidence) == ("4", TALLY_FINALIZED, 1.0)
    assert t2 is not None and (t2.label, t2.status) == ("3", TALLY_REVIEW)
    assert t3 is not None and t3.status == TALLY_OPEN
    card = await engine.play.post_round(MOD)  # the fourth item
    voters = [player(30 + i, GENERAL) for i in range(3)]
    await consented(engine, *voters)
    clock.advance(4)
    for p, label in zip(voters, ["1 · empty", "2", "2"], strict=True):
        await engine.handle_button(p, answer_payload(card, label))
    assert card.round_id is not None
    await engine.play.close_round(card.round_id)
    closed = await engine.play.round_card(card.round_id)
    assert "Round closed" in closed.text
    assert "Votes: 1 · empty 1 · 2 2 · 3 0 · 4 0 · 5 · full 0 · Can't say 0" in closed.text
    assert "Median: 2" in closed.text
    assert "Crowd label final: 2 (100%)" in closed.text


async def test_report_shows_interval_alpha(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await own(engine, await seed_rate(store))
    await vote_round(engine, clock, ["4", "4", "5 · full"], first=1)
    await vote_round(engine, clock, ["1 · empty", "2", "1 · empty"], first=10)
    r = await campaign_report(store, camp, engine.quality)
    # By hand (bot.aggregation.krippendorff): units (4, 4, 5) and (1, 2, 1), n = 6, pooled
    # sum 17, sum of squares 63, SS_all = 63 - 17^2/6 = 89/6; within: each unit has SS 2/3,
    # m_u SS_u / (m_u - 1) = 3 * (2/3) / 2 = 1, twice = 2. alpha = 1 - 5 * 2 / 89 = 79/89.
    assert r.alpha_level == "interval" and r.alpha == round(79 / 89, 4)
    text = (await engine.review.quality_report(MOD)).text
    assert f"Krippendorff's α (interval): {79 / 89:.3f}" in text
    assert "Labels: 4 1 · 1 1" in text


async def test_gold_within_the_tolerance_counts_as_right(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_rate(store, truths=(3, 2, 5, 1), gold=(3,), tolerance="1")
    ann, bob = player(1, DM), player(2, DM)
    await consented(engine, ann, bob)
    for ref, rating in ((ann, "4"), (bob, "5 · full")):
        card = await engine.play.next_task(ref)
        assert "Glass 0 is 3/5 full." in card.text  # the gold item comes first (tutorial)
        clock.advance(5)
        await engine.handle_button(ref, answer_payload(card, rating))
    got = {}
    for user in ("u1", "u2"):
        ident = await store.get_identity("discord", user)
        assert ident is not None
        (a,) = await store.player_answers(ident.player_id)
        got[a.label] = a.correct
    assert got == {"4": True, "5": False}  # gold 3, tolerance 1


async def test_a_moderator_settles_a_spread_item_in_review(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await own(engine, await seed_rate(store))
    spread = await vote_round(engine, clock, ["1 · empty", "3", "5 · full", "2", "5 · full"])
    card = await engine.review.review(MOD)
    assert "leaning 3 (40%)" in card.text  # the weighted median; 2 of 5 within ±1 of it
    assert "Votes: 1 (empty) 1 · 2 1 · 3 1 · 4 0 · 5 (full) 2 · Can't say 0" in card.text
    await engine.handle_button(MOD, choice_payload(card, "4"))
    tally = await store.get_tally(camp.id, spread)
    assert tally is not None and tally.reviewed_label == "4"
