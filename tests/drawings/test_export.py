"""Player drawings in the exports on SQLite and PostgreSQL: `--format ndjson` writes them in
Quick, Draw!'s raw or simplified format, `recognized` from the crowd's guesses, read back by
the reader every import uses; a hidden drawing is in no export."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.engine import Engine
from bot.core.exports.download import ExportOptions, export_file
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import InvalidInput
from storage import Drawing, SqlStore, open_store, read_quickdraw
from tests.drawings.helpers import drawing_campaign, square
from tests.support.doodles import person, players, private
from tests.support.settings import settings_for

MOD = person(1, "Mo", mod=True)


async def _recognised(engine: Engine, store: SqlStore, clock: ManualClock) -> tuple[int, str]:
    """Ann draws; a round shows only her drawing and three others guess it right."""
    campaign = await drawing_campaign(store)
    (ann,) = await players(engine, "Ann")
    p = await engine.drawings.prompt(private(ann))
    done = await engine.drawings.submit(private(ann), p.id, square(), "telegram")
    drawing = await store.get_drawing(done.drawing_id)
    assert drawing is not None
    async with store.db.transaction() as tx:
        await tx.execute(
            "UPDATE tallies SET status = 'finalized' WHERE campaign_id = ? AND item_id <> ?",
            (campaign.id, drawing.item_id),
        )
    await engine.play.post_round(MOD)
    clock.advance(4)
    for ref in (await players(engine, "Ann", "Bob", "Cy", "Di"))[1:]:
        assert (await engine.quickdraw.guess(ref, p.word)).text.startswith("✅")
    return drawing.id, p.word


def _read(data: bytes, tmp_path: Path, name: str) -> dict[str, Drawing]:
    path = tmp_path / name
    path.write_bytes(data)
    result = read_quickdraw([path])
    assert not result.problems
    return {d.key_id or "": d for d in result.drawings}


@pytest.mark.parametrize("fmt", ["raw", "simplified"])
async def test_the_ndjson_export_round_trips_through_the_quickdraw_reader(
    engine: Engine, store: SqlStore, clock: ManualClock, tmp_path: Path, fmt: str
) -> None:
    drawing_id, word = await _recognised(engine, store, clock)
    drawing = await store.get_drawing(drawing_id)
    assert drawing is not None
    campaign = await store.get_campaign(drawing.campaign_id)
    assert campaign is not None
    out = await export_file(store, campaign, ExportOptions(fmt="ndjson", drawings=fmt))
    found = _read(out.data, tmp_path, f"{fmt}.ndjson")
    assert out.count == len(found) == 4  # the three imported doodles and the drawing
    mine = found[str(10**16 + drawing.prompt_id)]
    assert mine.word == word and mine.recognized is True and mine.countrycode == ""
    stored = json.loads(drawing.raw if fmt == "raw" else drawing.simplified)
    got = [[list(s.x), list(s.y)] + ([list(s.t)] if s.t is not None else []) for s in mine.strokes]
    assert got == stored
    if fmt == "raw":
        assert got[0][2] == [10 * i for i in range(200)] and got[1][2] == [2500]


async def test_a_hidden_drawing_is_in_no_export(
    engine: Engine, store: SqlStore, clock: ManualClock, tmp_path: Path
) -> None:
    drawing_id, _ = await _recognised(engine, store, clock)
    drawing = await store.get_drawing(drawing_id)
    assert drawing is not None
    campaign = await store.get_campaign(drawing.campaign_id)
    assert campaign is not None
    await store.hide_drawing(drawing_id, "cli", clock.now())
    out = await export_file(store, campaign, ExportOptions(fmt="ndjson", drawings="raw"))
    assert str(10**16 + drawing.prompt_id) not in _read(out.data, tmp_path, "x.ndjson")
    labels = await export_file(store, campaign, ExportOptions(fmt="jsonl"))
    items = [json.loads(line)["item_id"] for line in labels.data.decode().splitlines()]
    assert drawing.item_id not in items and len(items) == 3
    answers = await export_file(store, campaign, ExportOptions(answers=True, fmt="jsonl"))
    tasks = {json.loads(line)["task"] for line in answers.data.decode().splitlines()}
    assert str(drawing.item_id) not in {str(t) for t in tasks}  # nor its guesses as answers


async def test_an_unknown_drawings_format_is_refused_naming_it(
    engine: Engine, store: SqlStore
) -> None:
    campaign = await drawing_campaign(store)
    with pytest.raises(InvalidInput, match="drawings must be one of simplified, raw, got 'svg'"):
        await export_file(store, campaign, ExportOptions(fmt="ndjson", drawings="svg"))


def test_run_py_export_writes_raw_player_drawings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "lq.db")

    async def seed() -> None:
        store = await open_store(db)
        engine = Engine(store, settings_for(db), ManualClock())
        try:
            await drawing_campaign(store)
            (ann,) = await players(engine, "Ann")
            p = await engine.drawings.prompt(ann)
            await engine.drawings.submit(ann, p.id, square(), "discord")
        finally:
            await engine.close()
            await store.close()

    asyncio.run(seed())
    out = tmp_path / "doodles.ndjson"
    argv = ["export", "--campaign", "Doodles", "--format", "ndjson", "--drawings", "raw"]
    assert main([*argv, "-o", str(out), "--db", db]) == 0
    capsys.readouterr()
    drawings = read_quickdraw([out]).drawings
    (mine,) = [d for d in drawings if len(d.key_id or "") == 17]
    assert mine.timed and [len(s.x) for s in mine.strokes] == [200, 1]
