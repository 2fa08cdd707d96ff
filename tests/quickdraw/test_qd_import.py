"""Importing Quick, Draw! files as a doodle campaign, and exporting it back (function + CLI)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.campaigns.importing import CampaignSpec, make_spec
from bot.core.campaigns.quickdraw_import import QuickdrawImportFailed, import_quickdraw
from bot.demo.doodles import demo_drawing
from storage import SqlStore, open_store
from storage.doodles import Drawing
from storage.quickdraw_formats import drawing_to_bin, drawing_to_ndjson, parse_ndjson_object
from tests.support.settings import settings_for

SIMPLE = {
    "word": "cat",
    "countrycode": "GB",
    "timestamp": "2017-01-05 10:00:00.5 UTC",
    "recognized": False,
    "key_id": "6420579601088512",
    "drawing": [[[0, 255], [0, 100]], [[30, 30], [40, 40]]],
}


def _simplified(word: str, key: int, recognized: bool = True) -> Drawing:
    obj = {**SIMPLE, "word": word, "key_id": str(key), "recognized": recognized}
    return parse_ndjson_object(obj)


def _files(tmp: Path) -> list[Path]:
    """raw.ndjson (2 drawings, a broken line between), simple.ndjson (2), house.bin (1)."""
    raw = tmp / "raw.ndjson"
    lines = [
        drawing_to_ndjson(demo_drawing("cat", 1)),
        '{"word": "cat", "drawing": [[[1]]]}',
        drawing_to_ndjson(demo_drawing("fish", 2)),
    ]
    raw.write_text("\n".join(lines) + "\n")
    simple = tmp / "simple.ndjson"
    simple.write_text(
        drawing_to_ndjson(_simplified("cat", 11))
        + "\n"
        + drawing_to_ndjson(_simplified("sun", 12, False))
        + "\n"
    )
    binary = tmp / "house.bin"
    binary.write_bytes(drawing_to_bin(_simplified("x", 21)))
    return [raw, simple, binary]


def _spec(name: str = "QD") -> CampaignSpec:
    return make_spec(settings_for(":memory:"), name, "quickdraw", gold_rate=0.0)


async def test_every_format_imports_and_a_bad_line_is_reported(
    store: SqlStore, tmp_path: Path
) -> None:
    campaign, problems = await import_quickdraw(
        store,
        _files(tmp_path),
        _spec(),
        now=1.0,
    )
    assert len(problems) == 1 and problems[0].startswith("raw.ndjson line 2: ")
    items = await store.dataset_items(campaign.dataset_id)
    assert [i.meta["format"] for i in items] == [
        "raw",
        "raw",
        "simplified",
        "simplified",
        "binary",
    ]
    assert [i.meta["word"] for i in items] == ["cat", "fish", "cat", "sun", "house"]
    sun = items[3]
    assert sun.kind == "doodle" and sun.meta["recognized"] is False
    assert sun.meta["countrycode"] == "GB" and sun.meta["timestamp"] == "2017-01-05 10:00:00.5 UTC"
    assert items[4].meta["timestamp"] == "2017-01-05 10:00:00 UTC"  # .bin keeps whole seconds
    assert campaign.game == "quickdraw" and campaign.options == ["cat", "fish", "house", "sun"]


async def test_a_file_without_any_drawing_fails_the_import(
    store: SqlStore, tmp_path: Path
) -> None:
    files = _files(tmp_path)
    empty = tmp_path / "empty.ndjson"
    empty.write_text("\n")
    with pytest.raises(QuickdrawImportFailed, match=r"no valid drawing in empty\.ndjson"):
        await import_quickdraw(store, [*files, empty], _spec(), now=1.0)
    assert await store.list_campaigns() == [] and await store.list_datasets() == []


async def test_limit_and_recognized_only(store: SqlStore, tmp_path: Path) -> None:
    files = _files(tmp_path)
    c1, _ = await import_quickdraw(store, files, _spec("A"), limit=2, now=1.0)
    assert len(await store.dataset_items(c1.dataset_id)) == 2
    c2, _ = await import_quickdraw(
        store,
        [files[1]],
        _spec("B"),
        recognized_only=True,
        now=1.0,
    )
    assert [i.meta["word"] for i in await store.dataset_items(c2.dataset_id)] == ["cat"]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_import_and_export_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "lq.db")
    files = [str(p) for p in _files(tmp_path)]
    code, out, err = _run(capsys, "import", "quickdraw", *files, "--campaign", "QD", "--db", db)
    assert code != 0 and "raw.ndjson line 2" in out + err  # all or nothing by default
    code, out, _ = _run(
        capsys, "import", "quickdraw", *files, "--campaign", "QD", "--db", db, "--skip-bad"
    )
    assert code == 0, out
    assert "imported 5 doodles (4 words) into campaign 'QD'" in out
    assert "skipped 1 bad line:\n  raw.ndjson line 2:" in out
    target = tmp_path / "out.ndjson"
    code, out, _ = _run(
        capsys, "export", "--campaign", "QD", "--format", "ndjson", "-o", str(target), "--db", db
    )
    assert code == 0 and "wrote 5 doodles" in out
    back = [json.loads(line) for line in target.read_text().splitlines()]
    assert [d["key_id"] for d in back][2:4] == ["11", "12"]
    assert back[0] == json.loads(drawing_to_ndjson(demo_drawing("cat", 1)))  # unchanged
    table = tmp_path / "labels.csv"
    code, _, _ = _run(capsys, "export", "--campaign", "QD", "-o", str(table), "--db", db)
    rows = list(csv.DictReader(table.read_text().splitlines()))
    assert code == 0 and len(rows) == 5
    assert {"word", "key_id", "recognition_rate", "top_guess", "verdict"} <= set(rows[0])
    assert rows[3]["word"] == "sun" and rows[3]["model_recognized"] == "0"


def test_cli_refuses_ndjson_for_other_games_and_empty_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "lq.db")
    labels = tmp_path / "t.csv"
    labels.write_text("text\nhello\nworld\n")
    code, _, _ = _run(
        capsys,
        "import",
        "texts",
        str(labels),
        "--campaign",
        "T",
        "--game",
        "classify",
        "--options",
        "a,b",
        "--db",
        db,
    )
    assert code == 0
    code, _, err = _run(
        capsys,
        "export",
        "--campaign",
        "T",
        "--format",
        "ndjson",
        "-o",
        str(tmp_path / "x"),
        "--db",
        db,
    )
    assert code == 1 and "quick-draw campaign" in err
    bad = tmp_path / "bad.ndjson"
    bad.write_text('{"word": "cat"}\n')
    code, _, err = _run(capsys, "import", "quickdraw", str(bad), "--campaign", "B", "--db", db)
    assert code == 1 and "no valid drawing in bad.ndjson" in err and "bad.ndjson line 1" in err


async def _key_ids(db: str, campaign: str) -> list[str]:
    store = await open_store(db)
    try:
        found = await store.get_campaign_by_name(campaign)
        assert found is not None
        return [str(i.meta["key_id"]) for i in await store.dataset_items(found.dataset_id)]
    finally:
        await store.close()


def test_the_real_samples_import_without_loss_and_export_back(
    shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Optional: every well-formed drawing of the raw, simplified and binary samples goes
    through `run.py import quickdraw` and comes back from `run.py export --format ndjson`:
    raw and simplified byte for byte (no guesses yet, so `recognized` keeps the model's
    flag), the .bin drawings as the simplified lines they were encoded from."""
    root = shared_dir / "datasets" / "quickdraw"
    manifest = {}
    with (root / "MANIFEST.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            manifest[row["path"]] = int(row["items"])
    db = str(tmp_path / "lq.db")
    exported: dict[str, list[str]] = {}
    for folder in ("raw", "simplified", "binary_derived"):
        expected = sum(n for p, n in manifest.items() if p.startswith(f"{folder}/"))
        code, out, err = _run(
            capsys, "import", "quickdraw", str(root / folder), "--campaign", folder, "--db", db
        )
        assert code == 0, err
        assert f"imported {expected} doodles" in out and "skipped" not in out
        target = tmp_path / f"{folder}.ndjson"
        code, out, _ = _run(
            capsys,
            "export",
            "--campaign",
            folder,
            "--format",
            "ndjson",
            "-o",
            str(target),
            "--db",
            db,
        )
        assert code == 0 and f"wrote {expected} doodles" in out
        exported[folder] = target.read_text(encoding="utf-8").splitlines()
        keys = [json.loads(line)["key_id"] for line in exported[folder]]
        assert len(set(keys)) == expected
        assert sorted(keys) == sorted(_key_ids_sync(db, folder))
        if folder != "binary_derived":
            source = [
                line
                for f in sorted((root / folder).glob("*.ndjson"))
                for line in f.read_text(encoding="utf-8").splitlines()
            ]
            assert exported[folder] == source
    simplified = {json.loads(line)["key_id"]: json.loads(line) for line in exported["simplified"]}
    for line in exported["binary_derived"]:
        back = json.loads(line)
        original = simplified[back["key_id"]]
        whole_seconds = original["timestamp"].removesuffix(" UTC").split(".")[0] + " UTC"
        assert back["timestamp"] == whole_seconds  # .bin keeps whole seconds
        assert {**back, "timestamp": None} == {**original, "timestamp": None}


def _key_ids_sync(db: str, campaign: str) -> list[str]:
    import asyncio

    return asyncio.run(_key_ids(db, campaign))
