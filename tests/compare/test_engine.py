"""The compare game through the engine, on SQLite and PostgreSQL: pairs are served (never
base items, never the same two items twice to a player), answered once, made once by racing
creators, and ranked by Bradley-Terry."""

from __future__ import annotations

import asyncio
import io

import pytest
from PIL import Image

from bot.core.engine import Engine
from bot.core.kernel.errors import NoTaskAvailable
from bot.core.review.report import campaign_report, format_report
from bot.games.compare import PAIR_KIND
from bot.render.pair import BAND, GAP, PANEL
from storage import TALLY_BASE, NewItem, SqlStore, open_store
from tests.compare.helpers import compare_campaign, task, think, truthful_choice
from tests.support.engine import MOD, buttons, consented, player

ANN, BOB, CAT = (player(i) for i in range(1, 4))


async def test_a_player_gets_pairs_never_base_items_and_never_a_pair_twice(
    engine: Engine,
) -> None:
    campaign = await compare_campaign(engine, pairs_per_item=3)  # 4 discs: all 6 pairs
    await consented(engine, ANN)
    seen: list[tuple[int, int]] = []
    while True:
        try:
            card, item = await task(engine, ANN)
        except NoTaskAvailable:
            break
        assert item.kind == PAIR_KIND
        assert [label for label, _ in buttons(card)][:3] == ["⬅️ Left", "➡️ Right", "🤷 Can't tell"]
        assert card.media is not None
        with Image.open(io.BytesIO(card.media.data)) as pic:
            assert pic.size == (2 * PANEL + 3 * GAP, PANEL + BAND + 2 * GAP)
        seen.append(tuple(sorted((item.meta["left_id"], item.meta["right_id"]))))
        assert card.round_id is not None
        await engine.play.answer(ANN, card.round_id, 2, continue_session=False)
    assert len(seen) == 6 and len(set(seen)) == 6  # every pair once, A-B never again as B-A
    base = await engine.store.compare_base_items(campaign.id)
    assert len(base) == 4
    for item_id in base:
        t = await engine.store.get_tally(campaign.id, item_id)
        assert t is not None and t.status == TALLY_BASE and t.n_answers == 0


async def test_an_answer_is_stored_once(engine: Engine) -> None:
    campaign = await compare_campaign(engine)
    await consented(engine, ANN)
    card, item = await task(engine, ANN)
    assert card.round_id is not None
    await asyncio.gather(
        engine.play.answer(ANN, card.round_id, 0, continue_session=False),
        engine.play.answer(ANN, card.round_id, 1, continue_session=False),
        return_exceptions=True,
    )
    answers = await engine.store.item_answers(campaign.id, item.id)
    assert len(answers) == 1 and answers[0].label in ("left", "right")


async def test_the_ranking_follows_the_answers_and_pairs_are_informative(
    engine: Engine,
) -> None:
    campaign = await compare_campaign(
        engine, texts=("poor", "fair", "good", "great", "best"), pairs_per_item=4
    )
    await consented(engine, ANN, BOB, CAT)
    items = await engine.store.campaign_items(campaign.id)
    score = {
        i.id: float(["poor", "fair", "good", "great", "best"].index(i.text or "")) for i in items
    }
    for ref in (ANN, BOB, CAT):
        while True:
            try:
                card, item = await task(engine, ref)
            except NoTaskAvailable:
                break
            assert "⬅️ Left: " in card.text and "➡️ Right: " in card.text
            assert card.round_id is not None
            choice = truthful_choice(item, score)
            await engine.play.answer(ref, card.round_id, choice, continue_session=False)
    pairs = await engine.store.compare_pairs(campaign.id)
    assert len(pairs) == 10  # 5 items x 4 comparisons each: every pair once
    ranking = await engine.compare.ranking(campaign)
    assert [r.name for r in ranking.items] == ["best", "great", "good", "fair", "poor"]
    assert [r.rank for r in ranking.items] == [1, 2, 3, 4, 5]
    # each pair took answers until its tally was confident (dynamic overlap), at least one
    assert ranking.answers >= 10
    assert sum(r.comparisons for r in ranking.items) == 2 * ranking.answers
    assert all(r.comparisons >= 4 for r in ranking.items)
    status = await engine.campaigns.campaign_status(MOD, campaign.name)
    assert "🏆 Ranking: 5 of 5 items compared" in status.text
    assert "\n1. best (score +" in status.text and "\n3. good" in status.text
    report = format_report(await campaign_report(engine.store, campaign, engine.quality))
    assert campaign.name in report  # the pairs' votes are reported like any two-option item


async def test_the_tick_keeps_pairs_ready_and_racing_ticks_make_each_pair_once(
    engine: Engine,
) -> None:
    campaign = await compare_campaign(engine, pairs_per_item=2)
    made = await asyncio.gather(engine.tick(), engine.tick(), engine.compare.tick())
    pairs = await engine.store.compare_pairs(campaign.id)
    keys = [(p.low_id, p.high_id) for p in pairs]
    assert len(keys) == len(set(keys)) >= 2
    items = [i for i in await engine.store.campaign_items(campaign.id) if i.kind == PAIR_KIND]
    assert len(items) == len(pairs)
    assert sum(made) >= len(pairs)  # engine.tick counts every job's work, pairs included
    think(engine)
    assert await engine.compare.tick() == 0  # enough pairs are waiting for answers


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)  # one SQLite file: one process
async def test_two_processes_racing_for_one_pair_make_it_once(
    store: SqlStore, engine: Engine, db_url: str
) -> None:
    assert store.dialect == "postgres"
    campaign = await compare_campaign(engine)
    low, high = (await engine.compare.pairs.base(campaign))[:2]
    other = await open_store(db_url)
    try:
        results = await asyncio.gather(
            *(
                s.add_compare_pair(campaign.id, low, high, NewItem(PAIR_KIND, f"p{n}"), 1.0)
                for n, s in enumerate((store, other, store, other))
            )
        )
    finally:
        await other.close()
    assert len([r for r in results if r is not None]) == 1
    assert len(await store.compare_pairs(campaign.id)) == 1


async def test_a_channel_round_shows_a_pair_with_its_picture(engine: Engine) -> None:
    campaign = await compare_campaign(engine)
    posted = await engine.play.post_round(MOD, campaign.name)
    assert posted.round_id is not None and posted.media is not None
    assert [label for label, _ in buttons(posted)][:3] == ["⬅️ Left", "➡️ Right", "🤷 Can't tell"]
    rnd = await engine.store.get_round(posted.round_id)
    assert rnd is not None
    item = await engine.store.get_item(rnd.item_id)
    assert item is not None and item.kind == PAIR_KIND
    voter = player(7, MOD.channel)
    await consented(engine, voter)
    think(engine)
    await engine.play.answer(voter, posted.round_id, 1)
    (stored,) = await engine.store.item_answers(campaign.id, item.id)
    assert stored.label == "right"
