"""The demo shows rewards: badges by id, the level histogram, the longest daily streak (the
simulation spans several days), and with --out a leaderboard image and a rank card."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from bot.cli.main import main
from bot.config import load_settings


def test_demo_reports_badges_levels_and_streaks_and_writes_the_images(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        ["demo", "--json", "--seed", "3", "--players", "12", "--items", "24", "--out", str(out)]
    )
    assert code == 0
    summary = json.loads(capsys.readouterr().out)

    badges = summary["badges_awarded"]
    known = [b["id"] for b in load_settings(environ={}).badges]
    assert list(badges) == [b for b in known if b in badges]  # config order, only awarded ones
    assert badges["first_answer"] == 12 and badges["campaigner"] == 12
    assert badges.get("streak_3", 0) >= 1  # answered on 3 days in a row

    levels = {int(k): v for k, v in summary["levels"].items()}
    assert sum(levels.values()) == 12 and max(levels) >= 2
    assert summary["longest_streak"] >= 3

    for name, width in (("leaderboard.png", 400), ("rank-card.png", 400)):
        path = out / name
        assert path.stat().st_size < 100_000, name
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size[0] >= width
    assert (out / "doodle-replay.gif").exists()
