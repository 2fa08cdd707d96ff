"""`run.py export --format ranking NAME` and the labels export of a compare campaign, as an
admin types them: base items ranked by Bradley-Terry, best first; pairs are not labels."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import NoTaskAvailable
from storage import open_store
from tests.compare.helpers import compare_campaign, task, truthful_choice
from tests.support.engine import consented, player
from tests.support.settings import settings_for

WORDS = ("poor", "fair", "good", "best")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


async def _compared(db: str) -> None:
    """Two players answer every pair truthfully (WORDS is the order, worst first)."""
    store = await open_store(db)
    engine = Engine(store, settings_for(db), ManualClock())
    try:
        campaign = await compare_campaign(engine, name="Words", texts=WORDS)
        await compare_campaign(engine, name="Unplayed", texts=("a", "b"))
        score = {i.id: float(WORDS.index(i.text or "")) for i in await store.campaign_items(1)}
        for ref in (player(1), player(2)):
            await consented(engine, ref)
            while True:
                try:
                    card, item = await task(engine, ref)
                except NoTaskAvailable:
                    break
                if item.meta.get("left_id") not in score:
                    break
                assert card.round_id is not None
                choice = truthful_choice(item, score)
                await engine.play.answer(ref, card.round_id, choice, continue_session=False)
        assert campaign.id == 1
    finally:
        await engine.close()
        await store.close()


def test_export_the_ranking_and_the_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "lq.db")
    asyncio.run(_compared(db))
    code, out, err = _run(capsys, "export", "--format", "ranking", "Words", "--db", db, "-o", "-")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in rows] == ["best", "good", "fair", "poor"]
    assert [r["rank"] for r in rows] == ["1", "2", "3", "4"]
    assert float(rows[0]["score"]) > 0 > float(rows[-1]["score"])
    assert all(int(r["comparisons"]) >= 3 and int(r["pairs"]) == 3 for r in rows)
    code, out, err = _run(capsys, "export", "--campaign", "Words", "--db", db, "-o", "-")
    assert code == 0, err
    labels = list(csv.DictReader(io.StringIO(out)))
    assert [(r["source"], r["label"], r["method"]) for r in labels] == [
        ("t3", "1", "bradley-terry"),
        ("t2", "2", "bradley-terry"),
        ("t1", "3", "bradley-terry"),
        ("t0", "4", "bradley-terry"),
    ]
    code, out, err = _run(
        capsys, "export", "--format", "ranking", "Unplayed", "--db", db, "-o", "-"
    )
    assert code == 0 and [r["comparisons"] for r in csv.DictReader(io.StringIO(out))] == ["0"] * 2
    code, _, err = _run(
        capsys, "export", "--format", "ranking", "--answers", "Words", "--db", db, "-o", "-"
    )
    assert code != 0 and "not --answers" in err
