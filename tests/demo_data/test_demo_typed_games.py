"""`run.py demo --json` (issues 16 and 17): every game's campaign is played by
the simulated community and their label accuracy is reported per game next to the other games';
a capture campaign has contributions accepted and rejected; the text summary has their lines."""

from __future__ import annotations

import json

import pytest

from bot.cli.main import main


def test_the_demo_reports_accuracy_by_game(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "demo",
        "--seed",
        "7",
        "--players",
        "40",
        "--items",
        "48",
    ]  # the README demo's community
    assert main([*argv, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    by_game = summary["accuracy_by_game"]
    assert {"verify", "classify", "transcribe", "translate", "capture"} <= set(by_game)
    assert {"multilabel", "compare", "rate", "locate"} <= set(by_game)  # issue 17
    assert all(0.0 <= v <= 1.0 for g, v in by_game.items() if g != "rate")
    assert by_game["rate"] == summary["rate"]["mae"] < 1.0  # a mean absolute error
    assert by_game["multilabel"] > 0.6 and by_game["locate"] > 0.5
    assert by_game["compare"] > 0.3  # Spearman of the ranking against the true order
    assert by_game["transcribe"] > 0.6 and by_game["translate"] > 0.5  # far above chance
    transcribe, translate = summary["transcribe"], summary["translate"]
    assert transcribe["finalized"] > 0 and transcribe["answers"] > transcribe["items"]
    assert translate["accepted"] > 0 and translate["translations"] >= translate["sources"]
    capture = summary["capture"]
    assert capture["accepted"] > 0 and capture["rejected"] > 0
    assert capture["refused_consent"] > 0
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "accuracy by game  verify" in text
    assert "ranking Spearman" in text and "of the true boxes found at IoU >= 0.5" in text
    assert f"photo capture     {capture['contributions']} photos" in text
