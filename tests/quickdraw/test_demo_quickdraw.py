"""`run.py demo` plays doodle rounds too: the JSON gains `quickdraw`, --out gets a replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from bot.cli.main import main


def test_demo_reports_doodle_rounds_and_writes_a_replay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        ["demo", "--json", "--seed", "5", "--players", "30", "--items", "48", "--out", str(out)]
    )
    assert code == 0
    qd = json.loads(capsys.readouterr().out)["quickdraw"]
    assert qd["rounds"] == 4 and qd["guesses"] >= qd["rounds"]
    assert 0.0 <= qd["recognized_rate"] <= 1.0
    assert sum(qd["verdicts"].values()) == qd["rounds"]
    assert qd["points_first_right"] > qd["points_second_right"] > 0
    with Image.open(out / "doodle-replay.gif") as gif:
        assert gif.format == "GIF" and getattr(gif, "n_frames", 1) > 1
