"""Benchmark of the Pillow renderers: ms and KB per doodle PNG/GIF, card and board.

Usage: `python bench/render.py [--json] [--samples DIR] [--limit N] [--repeat N]`

Doodles come from the Quick, Draw! samples (`DIR/raw/*.ndjson`, `DIR/simplified/*.ndjson`;
default `../shared/datasets/quickdraw` next to the checkout) or, when absent, from seeded
synthetic strokes. Every figure is a median and a p95 over the drawings (or over `--repeat`
runs for the cards, after one cold run, which is reported apart: it includes loading the font).
The "median raw drawing" line times the raw drawing with the median point count, the GIF target.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from bot.render import (
    CampaignProgress,
    LeaderboardCard,
    LeaderboardRow,
    RankCard,
    RenderedImage,
    render_doodle_gif,
    render_doodle_png,
    render_leaderboard,
    render_progress,
    render_rank_card,
)
from storage.doodles import Stroke

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SAMPLES = REPO.parent / "shared" / "datasets" / "quickdraw"
Drawing = tuple[Stroke, ...]


def load_ndjson(path: Path) -> list[Drawing]:
    """Drawings of one Quick, Draw! ndjson file (raw or simplified)."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            try:
                data = json.loads(line)["drawing"]
                out.append(
                    tuple(
                        Stroke(
                            tuple(float(v) for v in s[0]),
                            tuple(float(v) for v in s[1]),
                            tuple(int(v) for v in s[2]) if len(s) > 2 else None,
                        )
                        for s in data
                    )
                )
            except (KeyError, IndexError, TypeError, ValueError) as exc:
                raise SystemExit(f"{path}:{number}: not a Quick, Draw! drawing ({exc})") from exc
    return out


def load_kind(samples: Path, kind: str, limit: int) -> list[Drawing]:
    """Up to `limit` drawings of `kind` ("raw" or "simplified"), spread over all files."""
    drawings = [d for p in sorted((samples / kind).glob("*.ndjson")) for d in load_ndjson(p)]
    if len(drawings) > limit:
        step = len(drawings) / limit
        drawings = [drawings[int(i * step)] for i in range(limit)]
    return drawings


def synthetic(count: int, timed: bool, seed: int = 7) -> list[Drawing]:
    """Seeded random scribbles: 2–8 strokes of 5–60 points, raw-like when `timed`."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        strokes, clock = [], 0
        for _ in range(rng.randint(2, 8)):
            n = rng.randint(5, 60)
            x, y = rng.uniform(-50, 500), rng.uniform(-50, 500)
            xs, ys, ts = [], [], []
            for _ in range(n):
                x, y = x + rng.uniform(-15, 15), y + rng.uniform(-15, 15)
                clock += rng.randint(5, 30)
                xs.append(x if timed else min(255.0, max(0.0, round(x / 2))))
                ys.append(y if timed else min(255.0, max(0.0, round(y / 2))))
                ts.append(clock)
            clock += rng.randint(100, 900)
            strokes.append(Stroke(tuple(xs), tuple(ys), tuple(ts) if timed else None))
        out.append(tuple(strokes))
    return out


def stats(values: Sequence[float]) -> dict[str, float]:
    """Median, p95 (nearest rank) and max, rounded."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return {
        "median": round(statistics.median(ordered), 2),
        "p95": round(p95, 2),
        "max": round(ordered[-1], 2),
    }


def timed(fn: Callable[[], bytes]) -> tuple[float, bytes]:
    start = time.perf_counter()
    data = fn()
    return (time.perf_counter() - start) * 1000, data


def bench_doodles(drawings: list[Drawing], animated: bool) -> dict[str, Any]:
    """ms and KB per image, and GIF frame counts."""
    ms, kb, frames = [], [], []
    for strokes in drawings:
        if animated:
            took, data = timed(partial(render_doodle_gif, strokes))
            with Image.open(io.BytesIO(data)) as im:
                frames.append(float(getattr(im, "n_frames", 1)))
        else:
            took, data = timed(partial(render_doodle_png, strokes))
        ms.append(took)
        kb.append(len(data) / 1024)
    result: dict[str, Any] = {"count": len(drawings), "ms": stats(ms), "kb": stats(kb)}
    if animated:
        result["frames"] = stats(frames)
    return result


def median_drawing(drawings: list[Drawing]) -> Drawing:
    """The drawing with the median number of points."""
    ordered = sorted(drawings, key=lambda d: sum(len(s.x) for s in d))
    return ordered[len(ordered) // 2]


def bench_one(fn: Callable[[], bytes], repeat: int) -> dict[str, Any]:
    cold, data = timed(fn)
    warm = [timed(fn)[0] for _ in range(repeat)]
    return {"cold_ms": round(cold, 2), "ms": stats(warm), "kb": round(len(data) / 1024, 1)}


def sample_avatar() -> bytes:
    image = Image.new("RGB", (256, 256), (70, 90, 160))
    draw = ImageDraw.Draw(image)
    for i in range(0, 256, 8):
        draw.line((0, i, 255, 255 - i), fill=(i, 255 - i, 128), width=3)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def sample_card(avatar: bytes | None) -> RankCard:
    badges = [("🔥", "Hot streak"), ("⭐", "First label"), ("🎯", "Sharpshooter"), ("GP", "Gold")]
    return RankCard(
        "Alice Wonderland", 12, 450, 1000, 12_345, 3, 120, 5, 12, badges, 0.93, 0.88, avatar
    )


def sample_board() -> LeaderboardCard:
    names = ["Alice", "Bob", "Chandra", "Dmitri", "Eve", "Fatima", "Gus", "Hana", "Ivo", "Jun"]
    rows = [LeaderboardRow(i + 1, n, 5000 - 350 * i, 20 - i) for i, n in enumerate(names)]
    return LeaderboardCard("Community · this week", rows, LeaderboardRow(1234, "me", 560, 7))


def data_of(fn: Callable[[], RenderedImage]) -> Callable[[], bytes]:
    return lambda: fn().data


def run(samples: Path, limit: int, repeat: int) -> dict[str, Any]:
    if (samples / "raw").is_dir() and (samples / "simplified").is_dir():
        source = str(samples)
        raw = load_kind(samples, "raw", limit)
        simplified = load_kind(samples, "simplified", limit)
    else:
        source = "synthetic"
        raw, simplified = synthetic(200, timed=True), synthetic(200, timed=False)
    typical = median_drawing(raw)
    avatar = sample_avatar()
    progress = CampaignProgress("Birds of Europe", 1234, 300, 200, 3266)
    return {
        "source": source,
        "png_raw": bench_doodles(raw, animated=False),
        "png_simplified": bench_doodles(simplified, animated=False),
        "gif_raw": bench_doodles(raw, animated=True),
        "gif_simplified": bench_doodles(simplified, animated=True),
        "gif_median_raw_drawing": {
            "points": sum(len(s.x) for s in typical),
            "strokes": len(typical),
            **bench_one(lambda: render_doodle_gif(typical), repeat),
        },
        "rank_card": bench_one(data_of(lambda: render_rank_card(sample_card(None))), repeat),
        "rank_card_avatar": bench_one(
            data_of(lambda: render_rank_card(sample_card(avatar))), repeat
        ),
        "leaderboard": bench_one(data_of(lambda: render_leaderboard(sample_board())), repeat),
        "progress": bench_one(data_of(lambda: render_progress(progress)), repeat),
    }


def print_table(result: dict[str, Any]) -> None:
    print(f"source: {result['source']}")
    for name, row in result.items():
        if not isinstance(row, dict):
            continue
        ms = row["ms"]
        line = f"{name:24} {ms['median']:7.2f} ms median {ms['p95']:7.2f} ms p95"
        if "cold_ms" in row:
            line += f"  cold {row['cold_ms']:6.2f} ms  {row['kb']:6.1f} KB"
        else:
            kb = row["kb"]
            line += f"  KB median {kb['median']:5.1f} max {kb['max']:5.1f}  n={row['count']}"
        if "frames" in row:
            fr = row["frames"]
            line += f"  frames median {fr['median']:.0f} max {fr['max']:.0f}"
        print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument("--limit", type=int, default=1000, help="max drawings per kind")
    parser.add_argument("--repeat", type=int, default=30, help="warm runs per card")
    args = parser.parse_args(argv)
    result = run(args.samples, args.limit, args.repeat)
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
