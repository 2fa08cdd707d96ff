"""Answer ingest benchmark: N concurrent simulated players through the engine's answer use case.

    python bench/ingest.py --backend sqlite --players 1000 [--rate 6000] [--synchronous normal]
    python bench/ingest.py --backend postgres --players 1000 [--db postgresql://...]

Each player answers every open round once (`--per-player` rounds are open in the channel),
pacing themselves like people do: a player's answers are due at evenly spaced times with a
random phase, so the community offers `--rate` answers per second in total (open loop: the
offered load does not slow down when the server does; a player who falls behind answers as
soon as the previous answer returns). Latency is measured per call of `Engine.answer`, from the
call until the answer is committed and the reply built. Printed: achieved answers/s, p50/p99
latency, mean group-commit batch size, where the latency goes (mean wait in the group-commit
queue, mean time to process and commit one batch), the CPU time per answer and the 1-minute
load average (the machine may be shared), and, measured in the same run, the raw SQLite rate
of one-row-per-transaction inserts (stdlib sqlite3, same pragmas), the baseline group commit
beats. `--synchronous` is SQLite's durability level (`[database] sqlite_synchronous`, default
full: one fsync per committed batch; normal: no fsync at commit).

Correctness: at the end the bench counts the answers in the store and checks that every
answer acknowledged to a player is there (`verified`); it exits with status 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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
    store: SqlStore, engine: Engine, players: int, rounds: int
) -> tuple[list[PlayerRef], list[int]]:
    now = engine.now()
    ds = await store.create_dataset("bench", "text", "", now)
    await store.add_items(
        ds.id, [NewItem("text", f"t{i}", text=f"item {i}") for i in range(rounds)], now
    )
    await store.create_campaign(
        NewCampaign("bench", "classify", ds.id, "Which?", ["a", "b", "c"], 3, 10**9, 0.999, 0.0),
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
    refs = [PlayerRef("bench", f"p{i}", f"Player {i}", channel) for i in range(players)]
    for ref in refs:
        await engine.players.consent(ref, True)
    return refs, round_ids


async def player_loop(
    engine: Engine,
    ref: PlayerRef,
    rounds: list[int],
    period: float,
    start: float,
    rng: random.Random,
    latencies: list[float],
) -> None:
    """Answer every round once; the k-th answer is due at start + (k + phase) * period, so
    the whole community offers exactly players / period answers per second."""
    order = rounds[:]
    rng.shuffle(order)
    phase = rng.random()
    for k, rid in enumerate(order):
        delay = start + (k + phase) * period - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        t0 = time.perf_counter()
        await engine.play.answer(ref, rid, rng.randrange(3))
        latencies.append(time.perf_counter() - t0)


async def count_answers(store: SqlStore) -> int:
    """Answers in the store (the bench's store holds only the bench's answers)."""
    async with store.db.read() as c:
        return int(await c.fetchval("SELECT COUNT(*) FROM answers"))


async def run(args: argparse.Namespace) -> dict[str, object]:
    tmp = tempfile.TemporaryDirectory(prefix="lq-bench-")
    if args.backend == "sqlite":
        url = args.db or str(Path(tmp.name) / "bench.db")
    else:
        base = args.db or PG_DEFAULT
        url = f"{base}{'&' if '?' in base else '?'}search_path=lq_bench_{uuid.uuid4().hex[:8]}"
    store = await open_store(url, pool_size=10, sqlite_synchronous=args.synchronous)
    clock = ManualClock()
    # every round of the bench is open at once in one channel: lift the per-channel cap
    game = {"max_open_rounds_per_channel": max(3, min(100, args.per_player))}
    settings = settings_for(url, database={"batch_max": args.batch_max}, game=game)
    engine = Engine(store, settings, clock)
    try:
        refs, rounds = await setup(store, engine, args.players, args.per_player)
        clock.advance(60)  # rounds have been open a minute: no answer is "too fast"
        latencies: list[float] = []
        period = args.players / args.rate
        rng = random.Random(args.seed)
        commits = engine.play.answers.commits
        b0, i0, busy0, wait0 = commits.batches, commits.items, commits.busy_s, commits.waited_s
        cpu0 = time.process_time()
        start = time.perf_counter()
        await asyncio.gather(
            *(
                player_loop(
                    engine, ref, rounds, period, start, random.Random(rng.random()), latencies
                )
                for ref in refs
            )
        )
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu0
        batches = commits.batches - b0
        stored = commits.items - i0
        busy, waited = commits.busy_s - busy0, commits.waited_s - wait0
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
        "players": args.players,
        "answers": len(lat),
        "offered_per_s": args.rate,
        "answers_per_s": round(len(lat) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(lat), 2),
        "p99_ms": round(1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))], 2),
        "max_ms": round(1000 * lat[-1], 2),
        "batches": batches,
        "mean_batch": round(stored / batches, 1) if batches else 0.0,
        "mean_queue_ms": round(1000 * waited / stored, 2) if stored else 0.0,
        "mean_commit_ms": round(1000 * busy / batches, 2) if batches else 0.0,
        "cpu_ms_per_answer": round(1000 * cpu / len(lat), 4),
        "load_1m": round(os.getloadavg()[0], 2),
        "elapsed_s": round(elapsed, 2),
        "answers_ok": len(lat),
        "answers_stored": in_store,
        "verified": in_store == len(lat),
    }
    result["raw_sqlite_per_s"] = round(raw_sqlite_rate(synchronous=args.synchronous), 1)
    return result


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
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args()
    result = asyncio.run(run(args))
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"backend {result['backend']}: {result['players']} players, "
            f"{result['answers']} answers offered at {result['offered_per_s']}/s"
        )
        print(
            f"  achieved {result['answers_per_s']} answers/s, p50 {result['p50_ms']} ms, "
            f"p99 {result['p99_ms']} ms (max {result['max_ms']} ms)"
        )
        print(f"  {result['batches']} group commits, {result['mean_batch']} answers per batch")
        print(
            f"  latency split: {result['mean_queue_ms']} ms queued, "
            f"{result['mean_commit_ms']} ms per batch commit; "
            f"{result['cpu_ms_per_answer']} ms CPU per answer, load {result['load_1m']}"
        )
        print(f"  raw SQLite, one row per transaction: {result['raw_sqlite_per_s']} rows/s")
        print(
            f"  check: {result['answers_stored']} answers in the store for "
            f"{result['answers_ok']} acknowledged: {'OK' if result['verified'] else 'MISMATCH'}"
        )
    if not result["verified"]:
        print(
            f"error: {result['answers_ok']} answers were acknowledged but "
            f"{result['answers_stored']} are in the store",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
