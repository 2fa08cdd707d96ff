"""`run.py demo`: simulated players also draw, through engine.drawings.prompt/submit, and the
others guess their drawings in rounds; the JSON gains `drawings`, the text a line."""

from __future__ import annotations

import json

import pytest

from bot.cli.main import main
from bot.demo.doodles import demo_drawing
from bot.demo.drawings_sim import CANVAS, DRAWERS, on_canvas


def test_the_demo_reports_player_drawings(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["demo", "--seed", "5", "--players", "30", "--items", "48"]
    assert main([*argv, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    drawings = summary["drawings"]
    assert drawings["submitted"] == DRAWERS and drawings["shown"] == DRAWERS
    assert 0.0 < drawings["recognised_rate"] <= 1.0
    assert summary["quickdraw"]["rounds"] == 4  # the imported doodles' rounds are unchanged
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert f"player drawings   {DRAWERS} drawn, {DRAWERS} shown in rounds" in text


def test_generated_strokes_sit_on_the_canvas_with_their_timing() -> None:
    d = demo_drawing("house", "7:drawn:0")
    raw = on_canvas(d)
    assert [len(s.x) for s in raw.strokes] == [len(s.x) for s in d.strokes]
    every = [v for s in raw.strokes for v in (*s.x, *s.y)]
    assert min(every) >= 0 and max(every) <= CANVAS
    times = [t for s in raw.strokes for t in s.t]
    assert times == sorted(times) and times == [t for s in d.strokes for t in (s.t or ())]
