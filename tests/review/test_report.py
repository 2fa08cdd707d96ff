"""The campaign quality report, from answers a small crowd gave."""

from __future__ import annotations

import pytest

from bot.aggregation import METHODS
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import NotFound, PermissionDenied
from bot.core.review.report import campaign_report
from storage import SqlStore
from tests.review.owned import own
from tests.support.engine import (
    GENERAL,
    MOD,
    answer_payload,
    choice_payload,
    consented,
    player,
    vote_round,
)
from tests.support.seeds import fast_answers_before, seed_campaign


async def small_crowd(engine: Engine, store: SqlStore, clock: ManualClock) -> int:
    """Items 1-4 of a classify campaign (truth red, green, blue, red; overlap 2-3): item 1 gets
    red, red (finalized); item 2 red, green, blue (review); item 3 one too-fast blue."""
    camp = await seed_campaign(
        store, game="classify", items=4, min_overlap=2, max_overlap=3, text_items=True
    )
    camp = await own(engine, camp)
    await vote_round(engine, clock, ["red", "red"], first=1)
    await vote_round(engine, clock, ["red", "green", "blue"], first=3)
    card = await engine.play.post_round(MOD)
    rusher = player(9, GENERAL)
    await consented(engine, rusher)
    await fast_answers_before(engine.store, "discord", "u9", camp.id)
    clock.advance(0.3)
    await engine.handle_button(rusher, answer_payload(card, "blue"))
    return camp.id


async def test_report_numbers_follow_from_the_answers(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp_id = await small_crowd(engine, store, clock)
    camp = await store.get_campaign(camp_id)
    assert camp is not None
    r = await campaign_report(store, camp, engine.quality)
    assert (r.items, r.finalized, r.in_review, r.open, r.reviewed) == (4, 1, 1, 2, 0)
    assert r.finalized_share == 0.25
    assert (r.answers, r.counted, r.players) == (6, 5, 6)
    assert r.labels == {"red": 1}
    tally = await store.get_tally(camp_id, 1)
    assert tally is not None and r.mean_confidence == round(tally.confidence or 0, 4)
    # Krippendorff by hand: unit 1 {red: 2}, unit 2 {red, green, blue}. Coincidences: o(red,
    # red) = 2, and 0.5 for each of the 6 ordered pairs of unit 2; n_red = 3, n_green =
    # n_blue = 1, n = 5; alpha = 1 - (n - 1) * 3 / (25 - 9 - 1 - 1) = 1 - 12/14.
    assert r.alpha == round(1 - 12 / 14, 4)
    assert r.flags["too_fast"].players == 1 and r.flags["too_fast"].answers == 1
    assert set(r.agreement) == set(METHODS) and r.agreement_items == 2
    # Item 2 is a three-way tie: the live tally keeps the first option (red), majority vote
    # the first label in code-point order (blue), so they agree on item 1 only.
    assert r.agreement["mv"] == 0.5
    # Against the reference: live gets item 1 only; majority vote also item 3 (the rushed
    # blue, which batch methods see); unlabelled items count as wrong.
    assert r.accuracy_items == 4 and r.accuracy["live"] == 0.25 and r.accuracy["mv"] == 0.5


async def test_report_in_chat_and_after_a_review(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await small_crowd(engine, store, clock)
    text = (await engine.review.quality_report(MOD)).text
    assert text.startswith("📊 Quality report · colours (classify, active)")
    assert "finalized 1 (25.0%, 0 by a moderator) · in review 1 · open 2" in text
    assert "Krippendorff's α (nominal): 0.143" in text
    assert "too fast: 1 / 1" in text
    card = await engine.review.review(MOD)
    await engine.handle_button(MOD, choice_payload(card, "green"))
    text = (await engine.review.quality_report(MOD, "Colours")).text
    assert "finalized 2 (50.0%, 1 by a moderator) · in review 0" in text
    assert "Labels: red 1 · green 1" in text
    with pytest.raises(PermissionDenied, match="/report"):
        await engine.review.quality_report(player(2, GENERAL))
    with pytest.raises(NotFound, match="no campaign named 'nope'"):
        await engine.review.quality_report(MOD, "nope")
