"""Answer ingest benchmark: N concurrent simulated players through the engine's answer use case.

    python bench/ingest.py --backend sqlite --players 1000 [--rate 6000] [--synchronous normal]
    python bench/ingest.py --backend postgres --players 1000 [--db postgresql://...]
    python bench/ingest.py --backend postgres --processes 3 --rate 2000 [--json]
    python bench/ingest.py --backend postgres --processes 3 --saturate [--json]

Each player answers every open round once (`--per-player` rounds are open in the channel),
pacing themselves like people do: a player's answers are due at evenly spaced times with a
random phase, so the community offers `--rate` answers per second in total (open loop: the
offered load does not slow down when the server does; a player who falls behind answers as
soon as the previous answer returns). Latency is measured per call of `Engine.answer`, from the
call until the answer is committed and the reply built. Printed: achieved answers/s, p50/p99
latency, mean group-commit batch size, where the latency goes (mean wait in the group-commit
queue, mean time to process and commit one batch), the CPU time per answer (all threads, and
the event-loop thread's share) and the 1-minute load average (the machine may be shared),
and, measured in the same run, the raw SQLite rate of one-row-per-transaction inserts (stdlib
sqlite3, same pragmas), the baseline group commit beats. `--synchronous` is SQLite's durability
level (`[database] sqlite_synchronous`, default full: one fsync per committed batch; normal:
no fsync at commit). `--tune-gc` measures a garbage-collector setting run.py does not use
today (`gc.freeze()` after the setup, a generation-0 threshold of 20,000).

`--processes N` (PostgreSQL only; default 1, today's single process): N OS processes (spawned),
each running its own engine over the same fresh schema, share the load: each owns
`--players / N` of the players and offers `--rate / N` answers/s; the parent seeds the schema,
starts them together, merges their latencies and drops the schema afterwards. `--saturate`
(or `--rate 0`) makes every player answer as soon as its previous answer returns (closed
loop: `--players` bounds the answers in flight), to measure the most the store takes.

Correctness: at the end the bench counts the answers in the store and checks that every
answer acknowledged to a player is there (`verified`); it exits with status 1 otherwise, and
also when an answer failed (the player got an error: `answers_failed`, `first_failure`).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import multiprocessing as mp
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import Settings
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef
from storage import SqlStore, open_store
from storage.rows import NewCampaign, NewItem
from tests.support import settings_for

PG_DEFAULT = os.environ.get("LABELQUEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def raw_sqlite_rate(seconds: float = 2.0, synchronous: str = "full") -> float:
    """Rows per second inserting one row per transaction with stdlib sqlite3 (WAL, the
    bench's synchronous level)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "raw.db", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={synchronous.upper()}")
        db.execute(
            "CREATE TABLE answers (id INTEGER PRIMARY KEY, item INTEGER, player INTEGER, "
            "label TEXT, created_at REAL, UNIQUE (item, player))"
        )
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            db.execute("BEGIN")
            db.execute(
                "INSERT INTO answers (item, player, label, created_at) VALUES (?, ?, ?, ?)",
                (n % 1000, n, "yes", time.time()),
            )
            db.execute("COMMIT")
            n += 1
        elapsed = time.perf_counter() - start
        db.close()
    return n / elapsed


async def setup(
    store: SqlStore, engine: Engine, players: int, rounds: int, *, finalize: bool = True
) -> tuple[list[PlayerRef], list[int]]:
    """The campaign (items reach consensus after 3 answers at confidence 0.999, or never
    without `finalize`), its open rounds and the consented players."""
    min_overlap = 3 if finalize else 10**9
    now = engine.now()
    ds = await store.create_dataset("bench", "text", "", now)
    await store.add_items(
        ds.id, [NewItem("text", f"t{i}", text=f"item {i}") for i in range(rounds)], now
    )
    await store.create_campaign(
        NewCampaign(
            "bench", "classify", ds.id, "Which?", ["a", "b", "c"], min_overlap, 10**9, 0.999, 0.0
        ),
        now,
    )
    guild = CommunityRef("bench", "g", "Bench guild")
    channel = ChannelRef("bench", "c", "general", Kind.GROUP, guild)
    mod = PlayerRef("bench", "mod", "Mod", channel, is_moderator=True)
    round_ids = []
    for _ in range(rounds):
        card = await engine.play.post_round(mod)
        assert card.round_id is not None
        round_ids.append(card.round_id)
    refs = player_refs(players)
    for ref in refs:
        await engine.players.consent(ref, True)
    return refs, round_ids


def player_refs(players: int) -> list[PlayerRef]:
    """The bench's players, all in the one channel its rounds are posted in."""
    guild = CommunityRef("bench", "g", "Bench guild")
    channel = ChannelRef("bench", "c", "general", Kind.GROUP, guild)
    return [PlayerRef("bench", f"p{i}", f"Player {i}", channel) for i in range(players)]


def bench_settings(url: str, args: argparse.Namespace) -> Settings:
    # every round of the bench is open at once in one channel: lift the per-channel cap
    game = {"max_open_rounds_per_channel": max(3, min(100, args.per_player))}
    return settings_for(url, database={"batch_max": args.batch_max}, game=game)


def fresh_pg_url(args: argparse.Namespace) -> str:
    """`--db` (or the default server) with a schema of its own for this run."""
    base = args.db or PG_DEFAULT
    return f"{base}{'&' if '?' in base else '?'}search_path=lq_bench_{uuid.uuid4().hex[:8]}"


class Pacer:
    """Wakes players at their due times (`time.perf_counter()` seconds), rounded up to the
    next `tick`: every player due in one tick waits on one shared future and one timer,
    where an `asyncio.sleep` per answer would cost a future, a timer and a heap entry each
    (at 5,000 answers/s that alone was ~17% of the event loop's CPU: the bench measured
    itself). Answers start at most one tick late; the latency is measured from the call,
    so it is unaffected."""

    def __init__(self, tick: float = 0.001) -> None:
        self.tick = tick
        self._due: dict[int, asyncio.Future[None]] = {}

    async def until(self, due: float) -> None:
        """Return at the first tick at or after `due` (at once when it has passed)."""
        slot = math.ceil(due / self.tick)
        delay = slot * self.tick - time.perf_counter()
        if delay <= 0:
            return
        fut = self._due.get(slot)
        if fut is None:
            loop = asyncio.get_running_loop()
            fut = self._due[slot] = loop.create_future()
            loop.call_later(delay, self._wake, slot)
        await fut  # nothing cancels a bench player (a cancel would cancel the tick's future)

    def _wake(self, slot: int) -> None:
        fut = self._due.pop(slot)
        if not fut.done():
            fut.set_result(None)


async def player_loop(
    engine: Engine,
    ref: PlayerRef,
    rounds: list[int],
    period: float,
    start: float,
    rng: random.Random,
    latencies: list[float],
    failures: list[str],
    pacer: Pacer,
) -> None:
    """Answer every round once; the k-th answer is due at start + (k + phase) * period, so
    the whole community offers exactly players / period answers per second (period 0:
    every answer as soon as the previous one returns; `pacer` wakes the player when it is
    due). An answer that raises is not acknowledged: its error goes to `failures`."""
    order = rounds[:]
    rng.shuffle(order)
    phase = rng.random()
    for k, rid in enumerate(order):
        if period:
            await pacer.until(start + (k + phase) * period)
        t0 = time.perf_counter()
        try:
            await engine.play.answer(ref, rid, rng.randrange(3))
        except Exception as exc:  # the player sees an error: not acknowledged, counted
            failures.append(f"{type(exc).__name__}: {exc}".splitlines()[0])
            continue
        latencies.append(time.perf_counter() - t0)


async def drive(
    engine: Engine,
    refs: list[PlayerRef],
    rounds: list[int],
    period: float,
    rng: random.Random,
) -> dict[str, Any]:
    """Run every player's loop (see `player_loop`) to the end; the latencies, failures, the
    wall and CPU time it took (all threads, and the event-loop thread's) and what the group
    commit counted meanwhile (batches, answers, time busy committing, time queued)."""
    latencies: list[float] = []
    failures: list[str] = []
    pacer = Pacer()
    commits = engine.play.answers.commits
    b0, i0, busy0, wait0 = commits.batches, commits.items, commits.busy_s, commits.waited_s
    cpu0, loop_cpu0, wall0 = time.process_time(), time.thread_time(), time.time()
    start = time.perf_counter()
    await asyncio.gather(
        *(
            player_loop(
                engine,
                ref,
                rounds,
                period,
                start,
                random.Random(rng.random()),
                latencies,
                failures,
                pacer,
            )
            for ref in refs
        )
    )
    return {
        "latencies": latencies,
        "failures": failures,
        "wall_start": wall0,
        "wall_end": time.time(),
        "elapsed": time.perf_counter() - start,
        "cpu": time.process_time() - cpu0,
        "loop_cpu": time.thread_time() - loop_cpu0,
        "batches": commits.batches - b0,
        "items": commits.items - i0,
        "busy": commits.busy_s - busy0,
        "waited": commits.waited_s - wait0,
    }


async def count_answers(store: SqlStore) -> int:
    """Answers in the store (the bench's store holds only the bench's answers)."""
    async with store.db.read() as c:
        return int(await c.fetchval("SELECT COUNT(*) FROM answers"))


async def run(args: argparse.Namespace) -> dict[str, object]:
    tmp = tempfile.TemporaryDirectory(prefix="lq-bench-")
    if args.backend == "sqlite":
        url = args.db or str(Path(tmp.name) / "bench.db")
    else:
        url = fresh_pg_url(args)
    store = await open_store(url, pool_size=10, sqlite_synchronous=args.synchronous)
    clock = ManualClock()
    engine = Engine(store, bench_settings(url, args), clock)
    try:
        refs, rounds = await setup(
            store, engine, args.players, args.per_player, finalize=not args.no_finalize
        )
        clock.advance(60)  # rounds have been open a minute: no answer is "too fast"
        if args.tune_gc:
            tune_gc()
        period = args.players / args.rate if args.rate > 0 else 0.0
        run = await drive(engine, refs, rounds, period, random.Random(args.seed))
        latencies, failures = run["latencies"], run["failures"]
        elapsed, cpu, loop_cpu = run["elapsed"], run["cpu"], run["loop_cpu"]
        batches, stored, busy, waited = run["batches"], run["items"], run["busy"], run["waited"]
        in_store = await count_answers(store)
    finally:
        await engine.close()
        if store.dialect == "postgres":
            await store.db.drop_schema()  # type: ignore[attr-defined]
        await store.close()
        tmp.cleanup()
    lat = sorted(latencies)
    result: dict[str, object] = {
        "backend": args.backend,
        "synchronous": args.synchronous if args.backend == "sqlite" else None,
        "tune_gc": args.tune_gc,
        "processes": 1,
        "players": args.players,
        "answers": len(lat),
        "offered_per_s": args.rate if args.rate > 0 else "saturate",
        "answers_per_s": round(len(lat) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(lat), 2),
        "p99_ms": percentile_ms(lat, 0.99),
        "max_ms": round(1000 * lat[-1], 2),
        "batches": batches,
        "mean_batch": round(stored / batches, 1) if batches else 0.0,
        "mean_queue_ms": round(1000 * waited / stored, 2) if stored else 0.0,
        "mean_commit_ms": round(1000 * busy / batches, 2) if batches else 0.0,
        "cpu_ms_per_answer": round(1000 * cpu / len(lat), 4),
        "loop_cpu_ms_per_answer": round(1000 * loop_cpu / len(lat), 4),
        "load_1m": round(os.getloadavg()[0], 2),
        "elapsed_s": round(elapsed, 2),
        "answers_ok": len(lat),
        "answers_failed": len(failures),
        "first_failure": failures[0] if failures else None,
        "answers_stored": in_store,
        "verified": in_store == len(lat),
    }
    result["raw_sqlite_per_s"] = round(raw_sqlite_rate(synchronous=args.synchronous), 1)
    return result


# many processes over one PostgreSQL schema ---------------------------------------------


async def seed(url: str, args: argparse.Namespace) -> list[int]:
    """Create the schema, the campaign, the open rounds and the consented players; return
    the round ids."""
    store = await open_store(url, pool_size=2)
    engine = Engine(store, bench_settings(url, args), ManualClock())
    try:
        _, rounds = await setup(
            store, engine, args.players, args.per_player, finalize=not args.no_finalize
        )
    finally:
        await engine.close()
        await store.close()
    return rounds


async def count_and_drop(url: str) -> int:
    """The answers stored in the run's schema; the schema is dropped afterwards."""
    store = await open_store(url, pool_size=1)
    try:
        return await count_answers(store)
    finally:
        await store.db.drop_schema()  # type: ignore[attr-defined]
        await store.close()


async def child_load(
    url: str, args: argparse.Namespace, index: int, rounds: list[int], ready: Any, go: Any
) -> dict[str, Any]:
    """One process's share: its own engine and pool, players `index`, `index + N`, ...,
    offering `--rate / N` answers/s (or saturating); started when the parent says go."""
    n = args.processes
    store = await open_store(url, pool_size=args.pool_size)
    clock = ManualClock()
    clock.advance(60)  # like the single-process run: rounds have been open a minute
    engine = Engine(store, bench_settings(url, args), clock)
    try:
        mine = player_refs(args.players)[index::n]
        for ref in mine:  # warm the engine's caches like the seeding does in one process
            await engine.play.k.require_player(ref)
        for rid in rounds:
            await engine.play.k.round(rid)
        if args.tune_gc:
            tune_gc()
        ready.put(("ready", index))
        await asyncio.get_running_loop().run_in_executor(None, go.wait)
        period = len(mine) / (args.rate / n) if args.rate > 0 else 0.0
        rng = random.Random(args.seed * 1000 + index)
        return {"index": index, **await drive(engine, mine, rounds, period, rng)}
    finally:
        await engine.close()
        await store.close()


def child_main(
    url: str,
    args: argparse.Namespace,
    index: int,
    rounds: list[int],
    ready: Any,
    go: Any,
    out: Any,
) -> None:
    """Entry point of a spawned load process: its figures (or its error) go to `out`."""
    try:
        out.put(asyncio.run(child_load(url, args, index, rounds, ready, go)))
    except BaseException as exc:
        ready.put(("error", f"process {index}: {type(exc).__name__}: {exc}"))
        out.put({"index": index, "error": f"{type(exc).__name__}: {exc}"})
        raise


def run_processes(args: argparse.Namespace) -> dict[str, object]:
    """`--processes N`: seed a fresh schema, run N spawned load processes at once, merge
    their figures, check every acknowledged answer is stored, drop the schema."""
    n = args.processes
    url = fresh_pg_url(args)
    ctx = mp.get_context("spawn")
    ready, out, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs: list[Any] = []
    try:
        rounds = asyncio.run(seed(url, args))
        procs = [
            ctx.Process(target=child_main, args=(url, args, i, rounds, ready, go, out))
            for i in range(n)
        ]
        for proc in procs:
            proc.start()
        for _ in range(n):
            kind, what = ready.get(timeout=300)
            if kind == "error":
                raise RuntimeError(what)
        go.set()
        parts = sorted((out.get(timeout=3600) for _ in range(n)), key=lambda r: r["index"])
        for proc in procs:
            proc.join(timeout=60)
    finally:
        go.set()
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join()
        stored = asyncio.run(count_and_drop(url))
    failed = [r["error"] for r in parts if "error" in r]
    if failed:
        raise RuntimeError("; ".join(failed))
    return merge(args, parts, stored, url.rsplit("search_path=", 1)[1])


def merge(
    args: argparse.Namespace, parts: list[dict[str, Any]], stored: int, schema: str
) -> dict[str, object]:
    """The processes' figures as one run (span: first start to last end), and each apart."""
    lat = sorted(x for r in parts for x in r["latencies"])
    span = max(r["wall_end"] for r in parts) - min(r["wall_start"] for r in parts)
    batches = sum(r["batches"] for r in parts)
    items = sum(r["items"] for r in parts)
    per_process = [
        {
            "answers_per_s": round(len(r["latencies"]) / r["elapsed"], 1),
            "p50_ms": round(1000 * statistics.median(r["latencies"]), 2),
            "p99_ms": percentile_ms(sorted(r["latencies"]), 0.99),
            "mean_batch": round(r["items"] / r["batches"], 1) if r["batches"] else 0.0,
            "cpu_ms_per_answer": round(1000 * r["cpu"] / len(r["latencies"]), 4),
        }
        for r in parts
    ]
    return {
        "backend": args.backend,
        "synchronous": None,
        "tune_gc": args.tune_gc,
        "processes": len(parts),
        "players": args.players,
        "answers": len(lat),
        "offered_per_s": args.rate if args.rate > 0 else "saturate",
        "answers_per_s": round(len(lat) / span, 1),
        "p50_ms": round(1000 * statistics.median(lat), 2),
        "p99_ms": percentile_ms(lat, 0.99),
        "max_ms": round(1000 * lat[-1], 2),
        "batches": batches,
        "mean_batch": round(items / batches, 1) if batches else 0.0,
        "mean_queue_ms": round(1000 * sum(r["waited"] for r in parts) / items, 2)
        if items
        else 0.0,
        "mean_commit_ms": round(1000 * sum(r["busy"] for r in parts) / batches, 2)
        if batches
        else 0.0,
        "cpu_ms_per_answer": round(1000 * sum(r["cpu"] for r in parts) / len(lat), 4),
        "load_1m": round(os.getloadavg()[0], 2),
        "elapsed_s": round(span, 2),
        "answers_ok": len(lat),
        "answers_failed": sum(len(r["failures"]) for r in parts),
        "first_failure": next((f for r in parts for f in r["failures"]), None),
        "answers_stored": stored,
        "verified": stored == len(lat),
        "raw_sqlite_per_s": None,
        "schema": schema,
        "per_process": per_process,
    }


def tune_gc() -> None:
    """`--tune-gc`: what a process could do once started (not what run.py does today):
    move the objects alive now out of the collector's reach (`gc.freeze`) and collect the
    youngest generation every 20,000 net allocations instead of 700."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def percentile_ms(ordered: list[float], q: float) -> float:
    return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--players", type=int, default=1000)
    p.add_argument(
        "--per-player", type=int, default=20, help="open rounds (at most 100); answers per player"
    )
    p.add_argument("--rate", type=float, default=6000.0, help="offered answers per second")
    p.add_argument("--batch-max", type=int, default=512)
    p.add_argument("--db", help="SQLite path or PostgreSQL URL (default: temporary)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--synchronous",
        choices=["full", "normal"],
        default="full",
        help="SQLite durability level ([database] sqlite_synchronous)",
    )
    p.add_argument(
        "--processes",
        type=int,
        default=1,
        help="load processes over one PostgreSQL schema, sharing players and rate (default 1)",
    )
    p.add_argument(
        "--saturate",
        action="store_true",
        help="closed loop: every player answers as soon as it can (same as --rate 0)",
    )
    p.add_argument("--pool-size", type=int, default=10, help="connections per process")
    p.add_argument(
        "--no-finalize",
        action="store_true",
        help="items never reach consensus (no consensus points settled in a batch)",
    )
    p.add_argument(
        "--tune-gc",
        action="store_true",
        help="after the setup: gc.freeze() and a gen-0 threshold of 20,000 (not run.py's default)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args()
    if args.saturate:
        args.rate = 0.0
    if args.processes < 1 or args.players < args.processes:
        p.error("--processes must be between 1 and --players")
    if args.processes > 1 and args.backend != "postgres":
        p.error("--processes > 1 needs --backend postgres (one process per SQLite file)")
    result = asyncio.run(run(args)) if args.processes == 1 else run_processes(args)
    if args.json:
        print(json.dumps(result))
    else:
        offered = result["offered_per_s"]
        print(
            f"backend {result['backend']}: {result['processes']} process(es), "
            f"{result['players']} players, {result['answers']} answers offered "
            + (f"at {offered}/s" if offered != "saturate" else "as fast as answered (saturate)")
        )
        print(
            f"  achieved {result['answers_per_s']} answers/s, p50 {result['p50_ms']} ms, "
            f"p99 {result['p99_ms']} ms (max {result['max_ms']} ms)"
        )
        print(f"  {result['batches']} group commits, {result['mean_batch']} answers per batch")
        print(
            f"  latency split: {result['mean_queue_ms']} ms queued, "
            f"{result['mean_commit_ms']} ms per batch commit; "
            f"{result['cpu_ms_per_answer']} ms CPU per answer"
            + (
                f" ({result['loop_cpu_ms_per_answer']} ms in the event-loop thread)"
                if "loop_cpu_ms_per_answer" in result
                else ""
            )
            + f", load {result['load_1m']}"
        )
        parts: list[dict[str, Any]] = result.get("per_process", [])  # type: ignore[assignment]
        for i, part in enumerate(parts):
            print(
                f"  process {i}: {part['answers_per_s']} answers/s, p50 {part['p50_ms']} ms, "
                f"p99 {part['p99_ms']} ms, {part['mean_batch']} per batch, "
                f"{part['cpu_ms_per_answer']} ms CPU per answer"
            )
        if result["raw_sqlite_per_s"] is not None:
            print(f"  raw SQLite, one row per transaction: {result['raw_sqlite_per_s']} rows/s")
        print(
            f"  check: {result['answers_stored']} answers in the store for "
            f"{result['answers_ok']} acknowledged: {'OK' if result['verified'] else 'MISMATCH'}"
            f"; {result['answers_failed']} failed"
        )
    if result["answers_failed"]:
        print(
            f"error: {result['answers_failed']} answers failed (the player got an error, "
            f"nothing stored); first: {result['first_failure']}",
            file=sys.stderr,
        )
    if not result["verified"]:
        print(
            f"error: {result['answers_ok']} answers were acknowledged but "
            f"{result['answers_stored']} are in the store",
            file=sys.stderr,
        )
        return 1
    return 1 if result["answers_failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
