"""Quick-draw figures: replay GIF render time, guesses per second in one busy round, and
import speed.

    .venv/bin/python bench/quickdraw.py [--players N] [--db URL] [--samples DIR]
                                        [--gif-limit N] [--repeat N] [--only PART] [--json]

GIF: the round card's replay exactly as the engine makes it on a cache miss (strokes JSON
from the store -> `render_doodle_gif` at `[quickdraw] gif_size`, 256 px), timed per drawing
over up to `--gif-limit` raw and simplified sample drawings spread over every category (the
procedural demo doodles when the samples are absent). "Typical doodle" is the raw drawing
with the median point count, rendered `--repeat` times; the target is < 20 ms. A cache hit
costs nothing measurable (a dict lookup), so only misses are timed.

A round's right guesses are serialized by its lock (their order must be exact; wrong ones
run beside them, see `DoodleState`), so the guesses figure is the worst case: every player
of a big group guessing the same doodle at once, first a wrong guess (stored as their answer
through the group commit) then the right word (paid directly), on a SQLite file by default.
The import figure reads the shared Quick, Draw! samples when present (raw + simplified +
.bin: 9,785 drawings). `--only gif|guesses|import` runs one part
(the others print as skipped, `null` in the JSON).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.campaigns.importing import make_spec
from bot.core.campaigns.quickdraw_import import import_drawings, import_quickdraw
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef
from bot.demo.doodles import demo_drawing, demo_drawings
from bot.render import render_doodle_gif
from storage import open_store
from storage.doodles import Drawing
from storage.quickdraw_formats import read_quickdraw
from tests.support import settings_for

PARTS = ("gif", "guesses", "import")
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "quickdraw"


def _spread(drawings: list[Drawing], limit: int) -> list[Drawing]:
    """At most `limit` drawings, evenly spaced (the files are sorted by category)."""
    if len(drawings) <= limit:
        return drawings
    step = len(drawings) / limit
    return [drawings[int(i * step)] for i in range(limit)]


def _ms_stats(values: list[float]) -> dict[str, float]:
    """Median, p95 (nearest rank) and max in ms, rounded."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return {
        "median": round(statistics.median(ordered), 2),
        "p95": round(p95, 2),
        "max": round(ordered[-1], 2),
    }


def _render_ms(drawing: Drawing, size: int) -> float:
    """One cache miss: decode the stored strokes JSON, render the replay GIF."""
    stored = drawing.strokes_json()
    t0 = time.perf_counter()
    render_doodle_gif(Drawing.strokes_from_json(stored), size)
    return (time.perf_counter() - t0) * 1000


def gif_render(folder: Path, limit: int, repeat: int) -> dict[str, Any]:
    """ms per replay GIF (see the module docstring)."""
    size = settings_for(":memory:").quickdraw.gif_size
    if (folder / "raw").is_dir() and (folder / "simplified").is_dir():
        source = str(folder)
        raw = _spread(read_quickdraw(folder / "raw").drawings, limit)
        simplified = _spread(read_quickdraw(folder / "simplified").drawings, limit)
    else:
        source = "procedural demo doodles"
        raw, simplified = demo_drawings(limit, seed=1), []
    render_doodle_gif(raw[0].strokes, size)  # warm-up: imports, first allocations
    out: dict[str, Any] = {"source": source, "size_px": size}
    for name, drawings in (("raw", raw), ("simplified", simplified)):
        if drawings:
            ms = [_render_ms(d, size) for d in drawings]
            out[name] = {"count": len(drawings), "ms": _ms_stats(ms)}
    typical = sorted(raw, key=lambda d: sum(len(s.x) for s in d.strokes))[len(raw) // 2]
    out["typical"] = {
        "word": typical.word,
        "strokes": len(typical.strokes),
        "points": sum(len(s.x) for s in typical.strokes),
        "ms": _ms_stats([_render_ms(typical, size) for _ in range(repeat)]),
    }
    return out


async def guesses(players: int, url: str) -> dict[str, Any]:
    store = await open_store(url)
    settings = settings_for(url, quickdraw={"players_to_end": players + 1})
    clock = ManualClock()
    engine = Engine(store, settings, clock)
    try:
        spec = make_spec(settings, "bench", "quickdraw", gold_rate=0.0)
        await import_drawings(store, [demo_drawing("cat", 1)], spec, now=clock.now())
        group = ChannelRef("bench", "g", "g", Kind.GROUP, CommunityRef("bench", "g", "g"))
        await engine.play.post_round(PlayerRef("bench", "mod", "mod", group, True))
        refs = [PlayerRef("bench", str(i), f"p{i}", group) for i in range(players)]
        for ref in refs:
            await engine.players.consent(ref, True)
        clock.advance(5)
        lat: list[float] = []

        async def one(ref: PlayerRef, text: str) -> None:
            t0 = time.perf_counter()
            await engine.quickdraw.guess(ref, text)
            lat.append((time.perf_counter() - t0) * 1000)

        t0 = time.perf_counter()
        await asyncio.gather(*(one(r, "dog") for r in refs))  # first guesses: answers too
        await asyncio.gather(*(one(r, "cat") for r in refs))  # right guesses: paid directly
        wall = time.perf_counter() - t0
    finally:
        await engine.close()
        await store.close()
    lat.sort()
    return {
        "players": players,
        "guesses": len(lat),
        "per_s": round(len(lat) / wall, 1),
        "latency_ms": {
            "median": round(statistics.median(lat), 2),
            "p95": round(lat[int(0.95 * (len(lat) - 1))], 2),
        },
    }


async def importing(folder: Path, url: str) -> dict[str, Any] | None:
    if not await asyncio.to_thread(folder.is_dir):
        return None
    store = await open_store(url)
    try:
        spec = make_spec(settings_for(url), "bench-import", "quickdraw", gold_rate=0.0)
        paths = [folder / "raw", folder / "simplified", folder / "binary_derived"]
        t0 = time.perf_counter()
        campaign, _ = await import_quickdraw(store, paths, spec, now=time.time())
        wall = time.perf_counter() - t0
        n = len(await store.dataset_items(campaign.dataset_id))
    finally:
        await store.close()
    return {"drawings": n, "s": round(wall, 2), "per_s": round(n / wall)}


async def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--players", type=int, default=200)
    p.add_argument("--db", help="a postgresql:// URL (default: a fresh SQLite file)")
    p.add_argument("--samples", type=Path, default=SAMPLES)
    p.add_argument(
        "--gif-limit",
        type=int,
        default=400,
        metavar="N",
        help="raw and simplified drawings timed for the GIF figure (each)",
    )
    p.add_argument(
        "--repeat", type=int, default=50, metavar="N", help="renders of the typical doodle"
    )
    p.add_argument(
        "--only", choices=PARTS, metavar="PART", help=f"run one part: {', '.join(PARTS)}"
    )
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    if args.gif_limit < 1 or args.repeat < 1 or args.players < 1:
        p.error("--gif-limit, --repeat and --players must be at least 1")
    run = set(PARTS) if args.only is None else {args.only}
    gif = g = i = None
    if "gif" in run:
        gif = await asyncio.to_thread(gif_render, args.samples, args.gif_limit, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        if "guesses" in run:
            g = await guesses(args.players, args.db or f"{tmp}/g.db")
        if "import" in run:
            i = await importing(args.samples, f"{tmp}/i.db")
    if args.json:
        print(json.dumps({"gif": gif, "guesses": g, "import": i}))
        return
    if gif is not None:
        t = gif["typical"]
        print(
            f"replay GIF ({gif['size_px']} px, {gif['source']}): typical doodle "
            f"({t['word']}, {t['strokes']} strokes, {t['points']} points) median "
            f"{t['ms']['median']} ms, p95 {t['ms']['p95']} ms, "
            f"{args.repeat} renders"
        )
        for kind in ("raw", "simplified"):
            if kind in gif:
                k = gif[kind]
                print(
                    f"  {kind}: {k['count']} drawings, median {k['ms']['median']} ms, "
                    f"p95 {k['ms']['p95']} ms, max {k['ms']['max']} ms"
                )
    if g is not None:
        ms = g["latency_ms"]
        print(
            f"one round, {g['players']} players, {g['guesses']} guesses: {g['per_s']} "
            f"guesses/s, latency median {ms['median']} ms, p95 {ms['p95']} ms"
        )
    for part in sorted(set(PARTS) - run):
        print(f"{part}: skipped (--only {args.only})")
    if i is not None:
        print(f"import of the samples: {i['drawings']} drawings in {i['s']} s ({i['per_s']}/s)")


if __name__ == "__main__":
    asyncio.run(main())
