"""The command line as an admin uses it: demo, import, export, campaign list, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.support.images import png_bytes


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_demo_json_is_reproducible_for_a_seed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out1, _ = _run(
        capsys, "demo", "--json", "--seed", "3", "--players", "12", "--items", "24"
    )
    assert code == 0
    first = json.loads(out1)
    for key in ("answers", "items", "finalized", "accuracy", "players", "elapsed_s"):
        assert key in first
    assert first["players"] == 12 and first["answers"] > first["items"]
    assert set(first["accuracy"]) >= {"live", "mv", "ds"}
    _, out2, _ = _run(capsys, "demo", "--json", "--seed", "3", "--players", "12", "--items", "24")
    second = json.loads(out2)
    first.pop("elapsed_s"), second.pop("elapsed_s")
    assert first == second


def _dataset(tmp: Path) -> tuple[Path, Path]:
    folder = tmp / "imgs"
    folder.mkdir()
    for i, colour in enumerate(["red", "green", "blue"]):
        (folder / f"{i}.png").write_bytes(png_bytes(colour))
    labels = tmp / "labels.csv"
    labels.write_text("file,label\n0.png,red\n1.png,red\n2.png,red\n")
    return folder, labels


def test_import_list_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "lq.db")
    folder, labels = _dataset(tmp_path)
    code, out, _ = _run(
        capsys,
        "import",
        "images",
        str(folder),
        "--labels",
        str(labels),
        "--campaign",
        "Colours",
        "--game",
        "verify",
        "--db",
        db,
    )
    assert code == 0 and "imported 3 items into campaign 'Colours'" in out
    code, out, _ = _run(capsys, "campaign", "list", "--db", db)
    assert code == 0 and out.startswith("Colours\tverify\tactive")
    target = tmp_path / "labels-out.csv"
    code, out, _ = _run(
        capsys, "export", "--campaign", "Colours", "--format", "csv", "-o", str(target), "--db", db
    )
    assert code == 0
    rows = list(csv.DictReader(target.read_text().splitlines()))
    assert list(rows[0]) == [
        "item_id",
        "source",
        "label",
        "confidence",
        "n_answers",
        "agreement",
        "status",
        "is_gold",
        "method",
        "expert",
        "gold_accuracy",
    ]
    assert [r["source"] for r in rows] == ["0.png", "1.png", "2.png"]
    answers = tmp_path / "answers.jsonl"
    code, _, _ = _run(
        capsys,
        "--db",
        db,
        "export",
        "--campaign",
        "Colours",
        "--answers",
        "--format",
        "jsonl",
        "-o",
        str(answers),
    )
    assert code == 0 and answers.read_text() == ""


def test_bad_import_exits_nonzero_with_line_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "lq.db")
    folder, labels = _dataset(tmp_path)
    labels.write_text("file,label\n0.png,red\n9.png,red\n0.png,blue\n")
    code, _, err = _run(
        capsys,
        "import",
        "images",
        str(folder),
        "--labels",
        str(labels),
        "--campaign",
        "Colours",
        "--game",
        "verify",
        "--db",
        db,
    )
    assert code == 1
    assert "line 3: file not found: 9.png" in err and "line 4: duplicate of line 2" in err
    code, out, _ = _run(capsys, "campaign", "list", "--db", db)
    assert code == 0 and out == ""


def test_config_errors_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[game]\nmax_overlap = 0\n")
    code, _, err = _run(capsys, "campaign", "list", "--config", str(cfg))
    assert code == 2
    assert err.strip() == f"config error: {cfg}: [game] max_overlap: must be at least 1, got 0"


def test_run_without_tokens_points_to_the_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TELEGRAM_TOKEN", raising=False)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    code, _, err = _run(capsys, "run", "--db", str(tmp_path / "x.db"))
    assert code == 2 and "python run.py demo" in err
