"""`run.py demo --json` (issue 16): the transcription and translation campaigns are played by
the simulated community and their label accuracy is reported per game next to the other games';
a capture campaign has contributions accepted and rejected; the text summary has their lines."""

from __future__ import annotations

import json

import pytest

from bot.cli.main import main


def test_the_demo_reports_accuracy_by_game(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["demo", "--seed", "3", "--players", "30", "--items", "48"]
    assert main([*argv, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    by_game = summary["accuracy_by_game"]
    assert {"verify", "classify", "transcribe", "translate", "capture"} <= set(by_game)
    assert all(0.0 <= v <= 1.0 for v in by_game.values())
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
    assert f"photo capture     {capture['contributions']} photos" in text
