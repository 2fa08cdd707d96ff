"""`run.py campaign create|start|pause|...|status|schedule` and `run.py audit`, as an admin
types them."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PIL import Image

from bot.cli.main import main
from storage import open_store
from tests.support.uploads import images_zip, labels_csv


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


async def _seen_channel(db: str) -> None:
    """The bot has seen a Telegram group (as it does when anyone uses it there)."""
    store = await open_store(db)
    try:
        c = await store.upsert_community("telegram", "-100123", "Labelers", 0.0)
        await store.upsert_channel("telegram", "-100123", c.id, "Labelers", "group", 0.0)
    finally:
        await store.close()


def test_lifecycle_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "lq.db")
    archive = tmp_path / "colours.zip"
    archive.write_bytes(images_zip(4))
    code, out, err = _run(
        capsys,
        "campaign",
        "create",
        "Colours",
        "--game",
        "verify",
        "--images",
        str(archive),
        "--db",
        db,
    )
    assert code == 0, err
    assert "created campaign 'Colours': 4 items, verify, draft" in out
    code, out, _ = _run(capsys, "campaign", "list", "--db", db)
    assert out.startswith("Colours\tverify\tdraft")
    code, _, err = _run(capsys, "campaign", "pause", "Colours", "--db", db)
    assert code == 1 and "is draft: only an active campaign can be paused" in err
    for action, change in [
        ("start", "draft -> active"),
        ("pause", "active -> paused"),
        ("resume", "paused -> active"),
    ]:
        code, out, _ = _run(capsys, "campaign", action, "Colours", "--db", db)
        assert code == 0 and change in out

    asyncio.run(_seen_channel(db))
    code, out, err = _run(
        capsys,
        "campaign",
        "schedule",
        "Colours",
        "--channel",
        "telegram:-100123",
        "--every",
        "30",
        "--hours",
        "9-21",
        "--quiet-days",
        "sun",
        "--db",
        db,
    )
    assert code == 0, err
    assert "Colours in Labelers: every 30 min, 09:00-21:00, quiet on sun (UTC)" in out
    code, _, err = _run(
        capsys, "campaign", "schedule", "Colours", "--channel", "discord:5", "--db", db
    )
    assert code == 1 and "has not seen channel 'discord:5'" in err

    chart = tmp_path / "progress.png"
    code, out, _ = _run(capsys, "campaign", "status", "Colours", "--image", str(chart), "--db", db)
    assert code == 0 and "Colours: verify, active" in out and "items 4:" in out
    assert "schedule telegram:-100123 (Labelers): every 30 min" in out
    assert f"progress chart written to {chart}" in out
    with Image.open(chart) as image:
        assert image.format == "PNG" and image.size == (720, 216)
        assert len(image.convert("RGB").getcolors(1 << 16) or []) > 2  # a chart, not a blank

    code, _, err = _run(capsys, "campaign", "archive", "Colours", "--db", db)
    assert code == 1 and "stop it first" in err
    for action, change in [("stop", "active -> stopped"), ("archive", "stopped -> archived")]:
        code, out, _ = _run(capsys, "campaign", action, "Colours", "--db", db)
        assert code == 0 and change in out
    code, out, _ = _run(capsys, "campaign", "status", "Colours", "--db", db)
    assert code == 0 and "Colours: verify, archived" in out
    assert "every 30 min, 09:00-21:00, quiet on sun; no rounds while archived" in out

    code, out, _ = _run(capsys, "audit", "--db", db)
    lines = out.splitlines()
    assert [ln.split(" · ")[2].split()[0] for ln in lines] == [
        "campaign.archive",
        "campaign.stop",
        "schedule.set",
        "campaign.resume",
        "campaign.pause",
        "campaign.start",
        "campaign.create",
    ]
    assert all(" · cli" in ln for ln in lines)
    code, out, _ = _run(capsys, "audit", "--limit", "1", "--campaign", "Colours", "--db", db)
    assert len(out.splitlines()) == 1 and "campaign.archive Colours" in out


def test_create_with_a_separate_labels_csv_and_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "lq.db")
    archive = tmp_path / "colours.zip"
    archive.write_bytes(images_zip(3, with_labels=False))
    labels = tmp_path / "labels.csv"
    labels.write_bytes(labels_csv(3) + b"nope.png,red\n")
    code, _, err = _run(
        capsys,
        "campaign",
        "create",
        "Colours",
        "--game",
        "verify",
        "--images",
        str(archive),
        "--labels",
        str(labels),
        "--db",
        db,
    )
    assert code == 1 and "line 5: file not found: nope.png" in err
    code, out, _ = _run(
        capsys,
        "campaign",
        "create",
        "Colours",
        "--game",
        "verify",
        "--start",
        "--images",
        str(archive),
        "--labels",
        str(labels),
        "--skip-bad",
        "--db",
        db,
    )
    assert code == 0 and "3 items, verify, active" in out and "skipped line 5" in out
    code, out, _ = _run(
        capsys,
        "campaign",
        "create",
        "Again",
        "--game",
        "classify",
        "--options",
        "red,green",
        "--dataset",
        "Colours",
        "--db",
        db,
    )
    assert code == 0 and "created campaign 'Again': 3 items, classify, draft" in out
