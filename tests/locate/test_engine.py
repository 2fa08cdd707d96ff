"""Locate at the engine on SQLite and PostgreSQL: answers composed on the canvas go through
`engine.play.answer_value`; refusals store nothing; agreeing players finalize the merged
boxes, disagreeing ones send the item to review."""

from __future__ import annotations

import json

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import InvalidInput, RoundClosed
from storage import TALLY_FINALIZED, TALLY_REVIEW, SqlStore
from tests.locate.seeds import seed_locate
from tests.support.engine import consented, player


async def _card(engine: Engine, i: int) -> tuple[int, int]:
    """(round id, item id) of player i's solo card."""
    p = player(i)
    await consented(engine, p)
    card = await engine.play.next_task(p)
    assert card.round_id is not None
    assert "Box every ball" in card.text and "Open the canvas" in card.text
    rnd = await engine.store.get_round(card.round_id)
    assert rnd is not None
    return rnd.id, rnd.item_id


async def test_a_drawn_box_is_stored_once_in_canonical_form(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_locate(store, 1)
    rid, _ = await _card(engine, 1)
    clock.advance(5)
    await engine.play.answer_value(player(1), rid, '{"boxes": [[10.04, 20, 30, 40]]}')
    (a,) = await store.round_answers(rid)
    assert a.label == '{"boxes":[[10,20,30,40]]}'
    with pytest.raises(RoundClosed, match="already answered"):
        await engine.play.answer_value(player(1), rid, '{"boxes": []}')
    assert len(await store.round_answers(rid)) == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{boxes}", "not valid JSON"),
        ('{"points": [[1, 1]]}', "asks for boxes, not points"),
        ('{"boxes": [[300, 200, 40, 60]]}', r"outside the image \(320 x 240 pixels\)"),
    ],
)
async def test_bad_canvas_values_are_refused_and_nothing_is_stored(
    engine: Engine, store: SqlStore, clock: ManualClock, value: str, message: str
) -> None:
    await seed_locate(store, 1)
    rid, _ = await _card(engine, 1)
    clock.advance(5)
    with pytest.raises(InvalidInput, match=message):
        await engine.play.answer_value(player(1), rid, value)
    assert await store.round_answers(rid) == []
    await engine.play.answer_value(player(1), rid, '{"boxes": []}')  # the round still open
    assert len(await store.round_answers(rid)) == 1


async def test_agreeing_players_finalize_and_disagreeing_ones_go_to_review(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    campaign = await seed_locate(store, 1, min_overlap=2, max_overlap=3)
    boxes = ['{"boxes": [[40, 40, 50, 50]]}', '{"boxes": [[42, 41, 50, 49]]}']
    for i, value in enumerate(boxes, 1):
        rid, item_id = await _card(engine, i)
        clock.advance(5)
        await engine.play.answer_value(player(i), rid, value)
    t = await store.get_tally(campaign.id, item_id)
    assert t is not None and t.status == TALLY_FINALIZED
    assert json.loads(t.label or "") == {"boxes": [[41, 40.5, 50, 49.5]]}
    assert t.confidence == 1.0 and t.agreement is not None and t.agreement > 0.9

    other = await seed_locate(store, 1, name="balls", min_overlap=2, max_overlap=3)
    values = ['{"boxes": [[10, 10, 30, 30]]}', '{"boxes": [[200, 100, 40, 40]]}',
              '{"boxes": []}']  # fmt: skip
    for i, value in enumerate(values, 11):
        rid, item_id = await _card(engine, i)
        clock.advance(5)
        await engine.play.answer_value(player(i), rid, value)
    t = await store.get_tally(other.id, item_id)
    assert t is not None and t.status == TALLY_REVIEW
