"""`run.py review`, `run.py campaign report` and `run.py export --method` as an admin runs them."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import open_store
from tests.support.engine import vote_round
from tests.support.seeds import seed_campaign
from tests.support.settings import settings_for


async def make_db(tmp_path: Path) -> str:
    """colours: item 1 finalized (red, red), item 2 in review (red, green, blue)."""
    db = str(tmp_path / "lq.db")
    store = await open_store(db)
    clock = ManualClock()
    engine = Engine(store, settings_for(db), clock)
    try:
        await seed_campaign(store, game="classify", items=3, min_overlap=2, max_overlap=3)
        await vote_round(engine, clock, ["red", "red"], first=1)
        await vote_round(engine, clock, ["red", "green", "blue"], first=3)
    finally:
        await engine.close()
        await store.close()
    return db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_review_lists_the_queue_and_sets_expert_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = asyncio.run(make_db(tmp_path))
    code, out, _ = run(capsys, "review", "--db", db)
    assert code == 0
    assert "colours: 1 item(s) in review" in out
    assert "item 2\titem1.png\tdisputed\tvotes: red 1 · green 1 · blue 1  leaning red" in out

    code, _, err = run(capsys, "review", "--db", db, "--set", "2=purple")
    assert code == 1 and "'purple' is not one of: red, green, blue" in err
    code, _, err = run(capsys, "review", "--db", db, "--set", "two=red")
    assert code == 1 and "expected ITEM=LABEL" in err
    code, _, err = run(capsys, "review", "--db", db, "--gold")
    assert code == 1 and "--gold and --explanation go with --set" in err
    code, _, err = run(capsys, "review", "--db", db, "--campaign", "nope")
    assert code == 1 and "no campaign named 'nope'" in err

    code, out, _ = run(
        capsys,
        "review",
        "--db",
        db,
        "--set",
        "2=Green",
        "--gold",
        "--explanation",
        "Look at the hue.",
    )
    assert code == 0
    assert out.strip() == (
        "item 2 of 'colours': expert label 'green' (was review, crowd said "
        "'red'); now a gold item with the answer 'green'"
    )
    code, out, _ = run(capsys, "review", "--db", db)
    assert code == 0 and out.strip() == "nothing to review"

    target = tmp_path / "labels.csv"
    code, out, _ = run(
        capsys, "export", "--db", db, "--campaign", "colours", "--method", "mv", "-o", str(target)
    )
    assert code == 0 and "wrote 3 labels" in out
    rows = {r["item_id"]: r for r in csv.DictReader(target.read_text().splitlines())}
    one, two = rows["1"], rows["2"]
    assert (one["label"], one["method"], one["confidence"]) == ("red", "mv", "1.0")
    assert (two["label"], two["method"], two["expert"]) == ("green", "expert", "1")
    assert rows["2"]["status"] == "gold"
    code, _, err = run(
        capsys,
        "export",
        "--db",
        db,
        "--campaign",
        "colours",
        "--answers",
        "--method",
        "ds",
        "-o",
        "-",
    )
    assert code == 1 and "--method applies to labels" in err


def test_campaign_report_as_text_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = asyncio.run(make_db(tmp_path))
    code, out, _ = run(capsys, "campaign", "report", "colours", "--db", db)
    assert code == 0
    assert out.startswith("📊 Quality report · colours (classify, active)")
    assert "in review 1" in out and "Batch methods agreeing with the live labels" in out
    code, out, _ = run(capsys, "campaign", "report", "colours", "--json", "--db", db)
    data = json.loads(out)
    assert code == 0 and data["items"] == 3 and data["in_review"] == 1
    assert data["finalized_share"] == round(1 / 3, 4)
    code, _, err = run(capsys, "campaign", "report", "nope", "--db", db)
    assert code == 1 and "no campaign named 'nope'" in err
