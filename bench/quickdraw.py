"""Quick-draw figures: guesses per second in one busy round, and import speed.

    .venv/bin/python bench/quickdraw.py [--players N] [--db URL] [--samples DIR] [--json]

A round's guesses are serialized by its lock (the order of right guesses must be exact), so
the first figure is the worst case: every player of a big group guessing the same doodle at
once (SQLite file by default). The import figure reads the shared Quick, Draw! samples when
present (raw + simplified + .bin: 9,785 drawings).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.clock import ManualClock
from bot.core.engine import Engine
from bot.core.importing import make_spec
from bot.core.models import ChannelRef, CommunityRef, Kind, PlayerRef
from bot.core.qd_import import import_drawings, import_quickdraw
from bot.demo.doodles import demo_drawing
from storage import open_store
from tests.support import settings_for

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "quickdraw"


async def guesses(players: int, url: str) -> dict[str, Any]:
    store = await open_store(url)
    settings = settings_for(url, quickdraw={"players_to_end": players + 1})
    clock = ManualClock()
    engine = Engine(store, settings, clock)
    try:
        spec = make_spec(settings, "bench", "quickdraw", gold_rate=0.0)
        await import_drawings(store, [demo_drawing("cat", 1)], spec, now=clock.now())
        group = ChannelRef("bench", "g", "g", Kind.GROUP, CommunityRef("bench", "g", "g"))
        await engine.post_round(PlayerRef("bench", "mod", "mod", group, True))
        refs = [PlayerRef("bench", str(i), f"p{i}", group) for i in range(players)]
        for ref in refs:
            await engine.consent(ref, True)
        clock.advance(5)
        lat: list[float] = []

        async def one(ref: PlayerRef, text: str) -> None:
            t0 = time.perf_counter()
            await engine.guess(ref, text)
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
        "players": players, "guesses": len(lat), "per_s": round(len(lat) / wall, 1),
        "latency_ms": {"median": round(statistics.median(lat), 2),
                       "p95": round(lat[int(0.95 * (len(lat) - 1))], 2)},
    }  # fmt: skip


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
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        g = await guesses(args.players, args.db or f"{tmp}/g.db")
        i = await importing(args.samples, f"{tmp}/i.db")
    if args.json:
        print(json.dumps({"guesses": g, "import": i}))
        return
    ms = g["latency_ms"]
    print(f"one round, {g['players']} players, {g['guesses']} guesses: {g['per_s']} guesses/s, "
          f"latency median {ms['median']} ms, p95 {ms['p95']} ms")  # fmt: skip
    if i is not None:
        print(f"import of the samples: {i['drawings']} drawings in {i['s']} s ({i['per_s']}/s)")


if __name__ == "__main__":
    asyncio.run(main())
