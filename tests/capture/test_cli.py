"""`run.py campaign create NAME --game capture --set ...` (no upload) and `run.py export
--format photos NAME --output X.zip [--published]`, as an admin types them."""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import ACCEPTED, open_store
from tests.capture.helpers import answer_consents, contributor, scene
from tests.support.settings import settings_for


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


async def _two_accepted_photos(db: str) -> None:
    """Two players send a photo each (one refusing publication); both are accepted."""
    store = await open_store(db)
    engine = Engine(store, settings_for(db), ManualClock())
    try:
        ann, bob = await contributor(engine, 1), await contributor(engine, 2)
        await answer_consents(engine, ann)
        await answer_consents(engine, bob, publish=False)
        for i, ref in enumerate((ann, bob)):
            await engine.capture.start(ref, "Chairs")
            await engine.capture.contribute(ref, scene(i), "p.jpg", "image/jpeg")
        for row in await store.campaign_contributions(1, "photo"):
            await store.settle_contribution(row.id, ACCEPTED, 1.0)
    finally:
        await engine.close()
        await store.close()


def test_create_without_upload_and_export_photos(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "lq.db")
    code, out, err = _run(
        capsys, "campaign", "create", "Chairs", "--game", "capture", "--set",
        "prompt=a photo of a chair in your home", "--set", "subject=chair", "--start",
        "--db", db,
    )  # fmt: skip
    assert code == 0, err
    assert "created campaign 'Chairs': 0 items, capture, active" in out
    code, _, err = _run(capsys, "campaign", "create", "Nothing", "--game", "verify", "--db", db)
    assert code != 0 and "--images, --texts, --quickdraw or --dataset" in err
    asyncio.run(_two_accepted_photos(db))
    for flags, expected in (([], 2), (["--published"], 1)):
        target = tmp_path / f"photos{len(flags)}.zip"
        code, out, err = _run(
            capsys, "export", "--format", "photos", *flags, "Chairs", "--out", str(target),
            "--db", db,
        )  # fmt: skip
        assert code == 0, err
        assert f"wrote {expected} accepted photos of 'Chairs'" in out
        z = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
        rows = list(csv.DictReader(io.StringIO(z.read("manifest.csv").decode())))
        assert len(rows) == expected
        assert {r["prompt"] for r in rows} == {"a photo of a chair in your home"}


def test_export_refuses_published_without_photos(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "lq.db")
    _run(capsys, "campaign", "create", "Chairs", "--game", "capture", "--set", "subject=chair",
         "--db", db)  # fmt: skip
    code, _, err = _run(
        capsys, "export", "--published", "Chairs", "--output", str(tmp_path / "x"), "--db", db
    )
    assert code != 0 and "--published goes with --format photos" in err
