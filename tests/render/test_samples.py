"""Optional: every shared Quick, Draw! sample drawing renders (skips without ../shared)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

from bot.render import render_doodle_gif, render_doodle_png
from storage.doodles import Stroke
from tests.support.images import frame_count, ink_box


def _drawings(folder: Path) -> Iterator[tuple[str, tuple[Stroke, ...]]]:
    for path in sorted(folder.glob("*.ndjson")):
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                strokes = tuple(
                    Stroke(
                        tuple(float(v) for v in s[0]),
                        tuple(float(v) for v in s[1]),
                        tuple(int(v) for v in s[2]) if len(s) > 2 else None,
                    )
                    for s in json.loads(line)["drawing"]
                )
                yield f"{path.name}:{number}", strokes


def _check(where: str, png: bytes, gif: bytes, size: int) -> None:
    assert len(png) < 100 * 1024 and len(gif) < 100 * 1024, where
    with Image.open(io.BytesIO(png)) as still:
        box = ink_box(still)
        assert box is not None, f"{where}: nothing drawn"
        assert box[0] > 0 and box[1] > 0 and box[2] < size and box[3] < size, where
    with Image.open(io.BytesIO(gif)) as replay:
        assert frame_count(replay) > 1, where


def test_every_raw_sample_renders(shared_dir: Path) -> None:
    count = 0
    for where, strokes in _drawings(shared_dir / "datasets" / "quickdraw" / "raw"):
        _check(where, render_doodle_png(strokes), render_doodle_gif(strokes), 256)
        count += 1
    assert count > 0


def test_every_simplified_sample_renders(shared_dir: Path) -> None:
    # 8,600 drawings: every one as a small still, the first of each category also as a replay;
    # the code paths are those of full-size rendering.
    count = 0
    for where, strokes in _drawings(shared_dir / "datasets" / "quickdraw" / "simplified"):
        with Image.open(io.BytesIO(render_doodle_png(strokes, size=64))) as still:
            box = ink_box(still)
            assert box is not None and box[0] > 0 and box[1] > 0, where
            assert box[2] < 64 and box[3] < 64, where
        if where.endswith(":1"):
            _check(where, render_doodle_png(strokes), render_doodle_gif(strokes), 256)
        count += 1
    assert count > 0
