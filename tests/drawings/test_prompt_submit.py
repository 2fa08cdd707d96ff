"""Prompt and submit (engine.drawings) on SQLite and PostgreSQL: consent, the hourly limit,
single use, another player's or an expired prompt, the checks' messages, and the drawing in
the campaign's doodle pool."""

from __future__ import annotations

import dataclasses
import json

import pytest

from bot.core.drawings import RawDrawing, RawStroke
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import (
    InvalidInput,
    NoTaskAvailable,
    NotConsented,
    NotFound,
    RateLimited,
)
from storage import SqlStore
from tests.drawings.helpers import WORDS, drawing_campaign, square
from tests.support.doodles import doodle_campaign, person, players, private, rows


async def test_an_unconsented_player_is_sent_to_consent_and_nothing_is_stored(
    engine: Engine, store: SqlStore
) -> None:
    await drawing_campaign(store)
    with pytest.raises(NotConsented):
        await engine.drawings.prompt(person(5, "Stranger"))
    assert await rows(store, "SELECT id FROM draw_prompts") == []


async def test_no_campaign_takes_drawings_says_so(engine: Engine, store: SqlStore) -> None:
    await doodle_campaign(store, WORDS)
    (ann,) = await players(engine, "Ann")
    with pytest.raises(NoTaskAvailable, match="No campaign takes player drawings"):
        await engine.drawings.prompt(ann)


async def test_a_drawing_joins_the_campaigns_doodle_pool(engine: Engine, store: SqlStore) -> None:
    campaign = await drawing_campaign(store)
    (ann,) = await players(engine, "Ann")
    p = await engine.drawings.prompt(private(ann))
    assert p.word in WORDS and p.seconds == 20 and p.campaign_name == "Doodles"
    done = await engine.drawings.submit(private(ann), p.id, square(), "telegram")
    assert p.word in done.text
    drawing = await store.get_drawing(done.drawing_id)
    assert drawing is not None and drawing.campaign_id == campaign.id
    item = await store.get_item(drawing.item_id)
    assert item is not None and item.kind == "doodle" and item.truth == p.word
    assert item.meta["player_drawing"] is True
    tally = await store.get_tally(campaign.id, drawing.item_id)
    assert tally is not None and tally.status == "open"
    media = await rows(store, "SELECT data FROM item_media WHERE item_id = ?", drawing.item_id)
    strokes = json.loads(bytes(media[0][0]))
    assert len(strokes) == 2 and len(strokes[0]) == 2  # simplified: no t
    every = [v for s in strokes for axis in s for v in axis]
    assert min(every) == 0 and max(every) == 255
    raw = json.loads(drawing.raw)
    assert [len(s[0]) for s in raw] == [200, 1] and raw[1][2] == [2500]
    assert drawing.drawing_ms == 2500 and (drawing.width, drawing.height) == (400, 300)


async def test_a_prompt_is_used_once(engine: Engine, store: SqlStore) -> None:
    await drawing_campaign(store)
    (ann,) = await players(engine, "Ann")
    p = await engine.drawings.prompt(ann)
    await engine.drawings.submit(ann, p.id, square(), "telegram")
    with pytest.raises(InvalidInput, match="already submitted"):
        await engine.drawings.submit(ann, p.id, square(), "telegram")
    assert len(await rows(store, "SELECT id FROM drawings")) == 1


async def test_another_players_unknown_or_expired_prompt_is_not_found(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await drawing_campaign(store)
    ann, bob = await players(engine, "Ann", "Bob")
    p = await engine.drawings.prompt(ann)
    with pytest.raises(NotFound) as other:
        await engine.drawings.submit(bob, p.id, square(), "telegram")
    with pytest.raises(NotFound) as unknown:
        await engine.drawings.submit(ann, p.id + 1000, square(), "telegram")
    clock.advance(p.seconds + 16)
    with pytest.raises(NotFound) as late:
        await engine.drawings.submit(ann, p.id, square(), "telegram")
    assert other.value.message == unknown.value.message == late.value.message
    assert await rows(store, "SELECT id FROM drawings") == []


async def test_a_submit_within_the_grace_is_taken(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await drawing_campaign(store)
    (ann,) = await players(engine, "Ann")
    p = await engine.drawings.prompt(ann)
    clock.advance(p.seconds + 10)
    await engine.drawings.submit(ann, p.id, square(), "discord")


async def test_the_hourly_limit_is_counted_by_the_database(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await drawing_campaign(store)
    (ann,) = await players(engine, "Ann")
    for _ in range(10):
        await engine.drawings.prompt(ann)
        clock.advance(60)
    with pytest.raises(RateLimited, match="10 times in the last hour"):
        await engine.drawings.prompt(ann)
    # a second engine (another process) over the same store counts the same rows
    other = Engine(store, engine.settings, clock)
    with pytest.raises(RateLimited):
        await other.drawings.prompt(ann)
    clock.advance(3600 - 9 * 60)
    await engine.drawings.prompt(ann)
    assert len(await rows(store, "SELECT id FROM draw_prompts")) == 11


def _stroke(xs: list[float], ys: list[float], ts: list[int]) -> RawStroke:
    return RawStroke(tuple(xs), tuple(ys), tuple(ts))


BAD = [
    (RawDrawing((), 400, 300), "the drawing is empty"),
    (dataclasses.replace(square(), width=0), "0x300 pixels is not a usable size"),
    (dataclasses.replace(square(), height=100_000), "400x100000 pixels is not a usable size"),
    (RawDrawing((_stroke([1, 2], [1], [0, 5]),), 400, 300), "strokes[0]: x, y and t must"),
    (RawDrawing((_stroke([], [], []),), 400, 300), "strokes[0]: a stroke has no points"),
    (RawDrawing((_stroke([1, 2], [1, 2], [5, 3]),), 400, 300), "strokes[0][1]: t must not dec"),
    (
        RawDrawing((_stroke([1], [1], [50]), _stroke([2], [2], [40])), 400, 300),
        "strokes[1][0]: t must not decrease",
    ),
    (RawDrawing((_stroke([1, 900], [1, 2], [0, 5]),), 400, 300), "(900, 2) lies outside"),
    (RawDrawing((_stroke([1.0], [float("nan")], [0]),), 400, 300), "must be finite"),
    (RawDrawing((_stroke([1], [1], [-3]),), 400, 300), "t must not be negative"),
    (RawDrawing(tuple(_stroke([1], [1], [i]) for i in range(101)), 400, 300), "101 strokes"),
    (RawDrawing((_stroke([1.0] * 4001, [1.0] * 4001, [0] * 4001),), 400, 300), "4001 points"),
]


@pytest.mark.parametrize(("raw", "message"), BAD)
async def test_a_bad_drawing_is_refused_naming_the_problem_and_the_prompt_stays_usable(
    engine: Engine, store: SqlStore, raw: RawDrawing, message: str
) -> None:
    await drawing_campaign(store)
    (ann,) = await players(engine, "Ann")
    p = await engine.drawings.prompt(ann)
    with pytest.raises(InvalidInput) as refused:
        await engine.drawings.submit(ann, p.id, raw, "telegram")
    assert message in refused.value.message
    await engine.drawings.submit(ann, p.id, square(), "telegram")


async def test_a_named_campaign_of_another_community_is_not_found(
    engine: Engine, store: SqlStore
) -> None:
    campaign = await drawing_campaign(store)
    other = await store.upsert_community("telegram", "-1", "Elsewhere", 0.0)
    async with store.db.transaction() as tx:
        await tx.execute(
            "UPDATE campaigns SET community_id = ? WHERE id = ?", (other.id, campaign.id)
        )
    engine.kernel.forget_campaign(campaign.id)
    (ann,) = await players(engine, "Ann")
    with pytest.raises(NotFound):
        await engine.drawings.prompt(ann, "Doodles")
    with pytest.raises(NoTaskAvailable):
        await engine.drawings.prompt(ann)
