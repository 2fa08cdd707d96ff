"""CSV exports are spreadsheet-safe: a text cell starting with `=`, `+`, `-`, `@`, tab or CR
gets a leading `'` (OWASP's rule for CSV injection), numbers stay numbers, JSON Lines stay raw,
and `run.py export --raw-cells` (command line only) writes the cells as they are."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.engine import Engine
from bot.core.exports.labels import (
    ANSWER_COLUMNS,
    LABEL_COLUMNS,
    NUMBER_COLUMNS,
    TEXT_COLUMNS,
    render,
)
from bot.core.kernel.clock import ManualClock
from bot.core.quickdraw.labels import DOODLE_COLUMNS
from bot.csv_safe import DANGEROUS, safe_cell
from storage import SqlStore, open_store
from storage.rows import NewCampaign, NewItem
from tests.support.engine import player, vote_round
from tests.support.settings import settings_for

# One label per dangerous first character (a tab and a CR too), each a formula if raw.
HOSTILE = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]


def cells(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode(), newline="")))


def unsafe(rows: list[dict[str, str]]) -> list[str]:
    """Every cell a spreadsheet would read as a formula."""
    return [v for r in rows for v in r.values() if v and v[0] in DANGEROUS]


def test_safe_cell_prefixes_each_dangerous_first_character() -> None:
    assert DANGEROUS == ("=", "+", "-", "@", "\t", "\r")
    for text in HOSTILE:
        assert safe_cell(text) == "'" + text
    for text in ("red", "", "a=b", "'=1", " =1", "1-2", "item0.png"):
        assert safe_cell(text) == text


def test_every_export_column_is_either_text_or_number() -> None:
    for column in (*LABEL_COLUMNS, *ANSWER_COLUMNS, *DOODLE_COLUMNS):
        assert (column in TEXT_COLUMNS) != (column in NUMBER_COLUMNS), column
    assert {"source", "label", "worker", "flag", "top_guess", "word"} <= TEXT_COLUMNS
    assert {"confidence", "latency_ms", "weight", "recognition_rate"} <= NUMBER_COLUMNS


def test_text_cells_escaped_numbers_kept_jsonl_raw() -> None:
    row = {
        "item_id": 7,
        "source": '=HYPERLINK("http://x")',
        "label": "-1+1",
        "confidence": -0.25,
        "n_answers": -3,
        "agreement": None,
        "is_gold": True,
        "method": "live",
    }
    (got,) = cells(render([row], LABEL_COLUMNS, "csv"))
    assert got["source"] == '\'=HYPERLINK("http://x")' and got["label"] == "'-1+1"
    assert (got["confidence"], got["n_answers"], got["item_id"]) == ("-0.25", "-3", "7")
    assert (got["agreement"], got["is_gold"], got["method"]) == ("", "1", "live")
    (raw,) = cells(render([row], LABEL_COLUMNS, "csv", raw_cells=True))
    assert raw["source"] == row["source"] and raw["label"] == "-1+1"
    line = json.loads(render([row], LABEL_COLUMNS, "jsonl"))
    assert line["source"] == row["source"] and line["confidence"] == -0.25
    doodle = {"word": "+cat", "top_guess": "=cmd|' /C calc'!A0", "top_share": -0.5}
    (d,) = cells(render([doodle], (*LABEL_COLUMNS, *DOODLE_COLUMNS), "csv"))
    assert (d["word"], d["top_guess"], d["top_share"]) == ("'+cat", "'=cmd|' /C calc'!A0", "-0.5")


async def hostile_campaign(store: SqlStore, now: float) -> None:
    """A classify campaign whose question, options, sources and answers are all formulas."""
    ds = await store.create_dataset("hostile-data", "text", "", now)
    items = [
        NewItem(kind="text", source=text + ".txt", text=f"item {i}", truth=None)
        for i, text in enumerate(HOSTILE)
    ]
    await store.add_items(ds.id, items, now)
    await store.create_campaign(
        NewCampaign("Hostile", "classify", ds.id, "=1+1 which?", HOSTILE, 1, 2, 0.8, 0.0), now
    )


async def test_chat_export_cells_are_spreadsheet_safe(store: SqlStore, clock: ManualClock) -> None:
    settings = settings_for(":memory:", admins={"discord": ["u99"]}, campaigns={"hours": "all"})
    engine = Engine(store, settings, clock)
    try:
        await hostile_campaign(store, clock.now())
        for i, label in enumerate(HOSTILE[:3]):
            await vote_round(engine, clock, [label], first=10 * i + 1)
        admin = player(99)
        labels = cells((await engine.campaigns.export_campaign(admin, "Hostile")).files[0].data)
        answers = cells(
            (await engine.campaigns.export_campaign(admin, "Hostile", answers=True)).files[0].data
        )
    finally:
        await engine.close()
    assert unsafe(labels) == [] and unsafe(answers) == []
    assert sorted(r["source"] for r in labels) == sorted("'" + t + ".txt" for t in HOSTILE)
    assert {"'=1+1"} <= {r["label"] for r in labels if r["label"]} <= {"'" + t for t in HOSTILE}
    assert {r["label"] for r in answers} == {"'" + t for t in HOSTILE[:3]}
    assert all(float(r["weight"]) >= 0 and r["latency_ms"].isdigit() for r in answers)


def test_cli_export_escapes_by_default_and_raw_cells_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    db = str(tmp_path / "lq.db")

    async def seed() -> None:
        s = await open_store(db)
        try:
            await hostile_campaign(s, 1_767_225_600.0)
        finally:
            await s.close()

    asyncio.run(seed())
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    assert main(["export", "--campaign", "Hostile", "-o", str(safe), "--db", db]) == 0
    argv = ["export", "--campaign", "Hostile", "--raw-cells", "-o", str(raw), "--db", db]
    assert main(argv) == 0
    capsys.readouterr()
    with safe.open(newline="") as f:
        escaped = list(csv.DictReader(f))
    with raw.open(newline="") as f:
        as_is = list(csv.DictReader(f))
    assert unsafe(escaped) == []
    assert [r["source"] for r in escaped] == ["'" + t + ".txt" for t in HOSTILE]
    assert [r["source"] for r in as_is] == [t + ".txt" for t in HOSTILE]
    assert [r["item_id"] for r in escaped] == [r["item_id"] for r in as_is]


def test_aggregate_output_is_safe_unless_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.csv"
    with answers.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["worker", "task", "label"])
        for i, text in enumerate(HOSTILE):
            w.writerows([["w1", text, text], ["w2", text, text], ["w3", f"t{i}", "-5"]])
    out, out_raw = tmp_path / "out.csv", tmp_path / "raw.csv"
    assert main(["aggregate", "--answers", str(answers), "-o", str(out)]) == 0
    assert main(["aggregate", "--answers", str(answers), "--raw-cells", "-o", str(out_raw)]) == 0
    capsys.readouterr()
    with out.open(newline="") as f:
        rows = list(csv.DictReader(f))
    with out_raw.open(newline="") as f:
        raw = list(csv.DictReader(f))
    assert unsafe(rows) == []
    assert {r["label"] for r in rows} == {"'" + t for t in HOSTILE} | {"'-5"}
    assert {r["task"] for r in raw} >= set(HOSTILE) and all(float(r["confidence"]) for r in rows)
