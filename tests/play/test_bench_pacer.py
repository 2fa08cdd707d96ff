"""bench/ingest.py's pacer: the open-loop load wakes each player at its due time (never
before it), players due in one tick share one wake-up, and a paced SQLite run (and one with
`--tune-gc`) stores every acknowledged answer (figures are not asserted: speed belongs to the
bench)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import math
import subprocess
import sys
import time
from types import ModuleType

from tests.support.settings import REPO


def _bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_ingest", REPO / "bench" / "ingest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_player_is_woken_before_its_due_time() -> None:
    bench = _bench_module()

    async def scenario() -> list[tuple[float, float]]:
        pacer = bench.Pacer(tick=0.002)
        start = time.perf_counter()
        dues = [start + 0.0004 * i for i in range(40)]  # several players per tick
        woken: list[tuple[float, float]] = []

        async def player(due: float) -> None:
            await pacer.until(due)
            woken.append((due, time.perf_counter()))

        await asyncio.gather(*(player(d) for d in dues))
        return woken

    woken = asyncio.run(scenario())
    assert len(woken) == 40
    assert all(at >= due for due, at in woken)


def test_players_due_in_one_tick_share_one_wake_up() -> None:
    bench = _bench_module()

    async def scenario() -> int:
        tick = 0.05
        pacer = bench.Pacer(tick=tick)
        # all due within the second tick from now: (end - tick, end]
        end = (math.floor(time.perf_counter() / tick) + 2) * tick
        dues = [end - tick / 2 + i * 1e-4 for i in range(20)]
        waiters = [asyncio.ensure_future(pacer.until(due)) for due in dues]
        await asyncio.sleep(0)
        pending = len(pacer._due)
        await asyncio.gather(*waiters)
        return pending

    assert asyncio.run(scenario()) == 1


def test_a_paced_sqlite_run_stores_every_acknowledged_answer() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "ingest.py"),
            "--backend",
            "sqlite",
            "--rate",
            "400",
            "--players",
            "8",
            "--per-player",
            "3",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["offered_per_s"] == 400.0
    assert figures["answers_ok"] == figures["answers_stored"] == 24
    assert figures["answers_failed"] == 0 and figures["verified"] is True


def test_tune_gc_is_reported_and_stores_every_answer() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "ingest.py"),
            "--saturate",
            "--tune-gc",
            "--players",
            "4",
            "--per-player",
            "3",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["tune_gc"] is True
    assert figures["answers_ok"] == figures["answers_stored"] == 12
