"""JSON API benchmark: pull every finalized label of a campaign with the cursor, over HTTP.

    python bench/api.py                                  (10,000 labels, SQLite in a temp dir)
    python bench/api.py --backend postgres --pg-url postgresql://postgres@127.0.0.1:5432/test
    python bench/api.py --labels 200 --limit 100 --repeats 3 --json

What it does:
1. Seeds a store (`storage.open_store`: the real schema and migrations) through the store's
   own write paths, in bulk: one dataset of N text items (`add_items`, 2,000 a call), one
   shared `classify` campaign over it (`create_campaign`), three players (`create_player`),
   then, 1,000 items per transaction, the answer batch of the group commit
   (`answer_batch()`: `insert_answers`, three answers per item, and `save_tallies`, each
   item finalized with its consensus, one second after the previous one). The engine's
   answer path (screening, rewards, rounds) is not run: it is measured by bench/ingest.py,
   and would take minutes for 10,000 items; what the API reads (items, answers, tallies)
   is what answering would have written.
2. Builds the engine over the store, creates a read token through it
   (`engine.access.create`), serves the real `WebAdapter` on 127.0.0.1 (a free port).
3. Pulls every label `--repeats` times with aiohttp, as a pipeline does:
   `GET /api/v1/campaigns/{id}/labels?limit=L`, then `&since=<next>` until a page comes back
   empty (that last request is counted: it is how a pipeline learns it has caught up).
   Each pull is checked: every item exactly once.

Printed: seeding time; per page request p50 / p99 / max (ms, over every request of every
pull); per pull its total time and labels/s; the median pull. `--json` prints one JSON
object instead. PostgreSQL runs in a private schema (`bench_api_<random>`), dropped at the
end; the SQLite file lives in a temporary directory (`--db FILE` to choose it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import WebSettings, load_settings
from bot.core.engine import Engine
from bot.core.kernel.clock import SystemClock
from bot.core.play.tally import add_vote
from bot.web.app import WebAdapter
from storage import SqlStore, open_store
from storage.rows import NewAnswer, NewCampaign, NewItem, TallyUpdate

PG_DEFAULT = os.environ.get("LABELQUEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
OPTIONS = ["cat", "dog", "bird"]
ITEMS_PER_CALL = 2000
ITEMS_PER_BATCH = 1000
START = 1_767_225_600.0  # 2026-01-01T00:00:00Z: the first label's finalized_at


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--labels", type=int, default=10_000, help="finalized labels (10,000)")
    p.add_argument("--limit", type=int, default=500, help="labels per page request (500)")
    p.add_argument("--repeats", type=int, default=5, help="full pulls to time (5)")
    p.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--pg-url", default=PG_DEFAULT, help="PostgreSQL server (a schema is made)")
    p.add_argument("--db", help="SQLite file (default: in a temporary directory)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    if args.labels < 1:
        p.error("--labels: at least 1")
    if not 1 <= args.limit <= 1000:
        p.error("--limit: from 1 to 1000 (the API's bounds)")
    if args.repeats < 1:
        p.error("--repeats: at least 1")
    return args


async def seed(store: SqlStore, n: int) -> int:
    """A shared classify campaign with `n` finalized items (see the module docstring)."""
    ds = await store.create_dataset("bench-api", "text", "", START)
    item_ids: list[int] = []
    for lo in range(0, n, ITEMS_PER_CALL):
        new = [
            NewItem(
                kind="text",
                source=f"item{i}.txt",
                text=f"Item {i}: which animal is it?",
                gold=None,
                gold_explanation=None,
                truth=OPTIONS[i % 3],
                media=None,
                mime=None,
                candidate=None,
            )
            for i in range(lo, min(n, lo + ITEMS_PER_CALL))
        ]
        item_ids += await store.add_items(ds.id, new, START)
    spec = NewCampaign("bench-api", "classify", ds.id, "Which animal?", OPTIONS, 3, 3, 0.7, 0.0)
    campaign = await store.create_campaign(spec, START)
    players = [
        (await store.create_player("discord", f"bench{j}", f"Bench {j}", 1, START)).id
        for j in range(3)
    ]
    for lo in range(0, n, ITEMS_PER_BATCH):
        chunk = list(enumerate(item_ids))[lo : lo + ITEMS_PER_BATCH]
        answers: list[NewAnswer] = []
        tallies: list[TallyUpdate] = []
        for i, item_id in chunk:
            at = START + i
            labels = [OPTIONS[i % 3], OPTIONS[i % 3], OPTIONS[(i + 1) % 3 if i % 4 else i % 3]]
            counts: dict[str, list[float]] = {}
            for player_id, label in zip(players, labels, strict=True):
                answers.append(
                    NewAnswer(campaign.id, item_id, player_id, None, label, "discord", 1500, at)
                )
                add_vote(counts, label, 0.7, evidence=True)
            agree = labels.count(labels[0]) / 3
            tallies.append(
                TallyUpdate(
                    campaign.id, item_id, 3, counts, labels[0], 0.9, agree, "finalized", at
                )
            )
        async with store.answer_batch() as unit:
            await unit.insert_answers(answers)
            await unit.save_tallies(tallies)
    return campaign.id


async def pull(
    http: aiohttp.ClientSession, url: str, token: str, limit: int
) -> tuple[list[float], list[int]]:
    """Every label after no cursor: (seconds per page request, item ids in order)."""
    headers = {"Authorization": f"Bearer {token}"}
    since: str | None = None
    times: list[float] = []
    seen: list[int] = []
    while True:
        params = {"limit": str(limit), **({"since": since} if since else {})}
        started = time.perf_counter()
        async with http.get(url, params=params, headers=headers) as resp:
            body = await resp.json()
            if resp.status != 200:
                raise SystemExit(f"GET {url} answered {resp.status}: {body}")
        times.append(time.perf_counter() - started)
        if not body["labels"]:
            return times, seen
        seen += [row["item_id"] for row in body["labels"]]
        since = body["next"]


def quantile(values: Sequence[float], q: float) -> float:
    """The nearest-rank `q` quantile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


async def measure(store: SqlStore, args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    campaign_id = await seed(store, args.labels)
    seed_s = time.perf_counter() - started
    settings = load_settings(environ={}).with_database_url(":memory:")
    engine = Engine(store, settings, SystemClock())
    token = (await engine.access.create("bench")).token
    web = WebAdapter(engine, WebSettings(enabled=True, listen="127.0.0.1", port=0))
    await web.start()
    page_s: list[float] = []
    pulls: list[dict[str, float]] = []
    try:
        url = f"{web.url}/api/v1/campaigns/{campaign_id}/labels"
        async with aiohttp.ClientSession() as http:
            for _ in range(args.repeats):
                began = time.perf_counter()
                times, seen = await pull(http, url, token, args.limit)
                total = time.perf_counter() - began
                if len(seen) != args.labels or len(set(seen)) != args.labels:
                    raise SystemExit(f"pulled {len(seen)} labels, expected {args.labels} once")
                page_s += times
                pulls.append({"seconds": total, "requests": len(times)})
    finally:
        await web.stop()
        await engine.close()
    median = statistics.median(p["seconds"] for p in pulls)
    return {
        "backend": args.backend,
        "labels": args.labels,
        "limit": args.limit,
        "repeats": args.repeats,
        "seed_s": round(seed_s, 3),
        "requests_per_pull": int(pulls[0]["requests"]),
        "page_ms_p50": round(1000 * quantile(page_s, 0.50), 2),
        "page_ms_p99": round(1000 * quantile(page_s, 0.99), 2),
        "page_ms_max": round(1000 * max(page_s), 2),
        "pull_s": [round(p["seconds"], 3) for p in pulls],
        "pull_s_median": round(median, 3),
        "labels_per_s": round(args.labels / median, 1),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.backend == "postgres":
        sep = "&" if "?" in args.pg_url else "?"
        url = f"{args.pg_url}{sep}search_path=bench_api_{uuid.uuid4().hex[:10]}"
        store = await open_store(url)
        try:
            return await measure(store, args)
        finally:
            await store.db.drop_schema()  # type: ignore[attr-defined]
            await store.close()
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        store = await open_store(args.db or str(Path(tmp) / "bench.db"))
        try:
            return await measure(store, args)
        finally:
            await store.close()


def report(r: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"API label pull, {r['backend']}: {r['labels']:,} finalized labels, "
            f"limit {r['limit']}, {r['requests_per_pull']} requests a pull, "
            f"{r['repeats']} pulls",
            f"  seeding          {r['seed_s']:.1f} s",
            f"  page request     p50 {r['page_ms_p50']:.1f} ms   p99 {r['page_ms_p99']:.1f} ms"
            f"   max {r['page_ms_max']:.1f} ms",
            f"  pull everything  median {r['pull_s_median']:.2f} s "
            f"({', '.join(f'{s:.2f}' for s in r['pull_s'])})",
            f"  throughput       {r['labels_per_s']:,.0f} labels/s",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    result = asyncio.run(run(args))
    print(json.dumps(result) if args.json else report(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
