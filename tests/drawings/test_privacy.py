"""A player's drawings in /mydata and after /forget, on SQLite and PostgreSQL: listed with
their strokes; forgotten, the drawings and prompts are gone, the strokes of the items they
became too, and those items are never served or exported again."""

from __future__ import annotations

import json
from pathlib import Path

from bot.core.engine import Engine
from bot.core.exports.download import ExportOptions, export_file
from storage import SqlStore
from tests.drawings.helpers import drawing_campaign, square
from tests.support.doodles import players, rows


async def test_my_data_lists_my_drawings(engine: Engine, store: SqlStore) -> None:
    await drawing_campaign(store)
    (ann,) = await players(engine, "Ann")
    p = await engine.drawings.prompt(ann)
    await engine.drawings.submit(ann, p.id, square(), "telegram")
    reply = await engine.players.my_data(ann)
    data = json.loads(reply.files[0].data)
    (mine,) = data["drawings"]
    assert mine["word"] == p.word and mine["canvas"] == [400, 300] and not mine["hidden"]
    assert [len(s[0]) for s in mine["strokes"]] == [200, 1]


async def test_forget_removes_my_drawings_and_their_strokes(
    engine: Engine, store: SqlStore, tmp_path: Path
) -> None:
    campaign = await drawing_campaign(store)
    ann, bob = await players(engine, "Ann", "Bob")
    p = await engine.drawings.prompt(ann)
    done = await engine.drawings.submit(ann, p.id, square(), "telegram")
    drawing = await store.get_drawing(done.drawing_id)
    assert drawing is not None
    q = await engine.drawings.prompt(bob)
    await engine.drawings.submit(bob, q.id, square(), "telegram")
    await engine.players.forget_confirm(ann, True)
    assert await rows(store, "SELECT player_id FROM draw_prompts") == [(drawing.player_id + 1,)]
    assert len(await rows(store, "SELECT id FROM drawings")) == 1
    assert await rows(store, "SELECT 1 FROM item_media WHERE item_id = ?", drawing.item_id) == []
    tally = await store.get_tally(campaign.id, drawing.item_id)
    assert tally is not None and tally.status == "hidden"
    out = await export_file(store, campaign, ExportOptions(fmt="ndjson"))
    assert out.count == 4  # three imported doodles and Bob's drawing
    assert str(10**16 + p.id) not in out.data.decode()
