"""bench/ingest.py stays runnable: at a tiny size it prints the JSON it documents, every
acknowledged answer is stored, and `--processes` runs several engines over one PostgreSQL
schema that is dropped afterwards (figures are not asserted: speed belongs to the bench)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

import asyncpg

from tests.support.settings import REPO
from tests.support.stores import pg_url_or_skip

TINY = ["--players", "4", "--per-player", "3", "--json"]


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "bench" / "ingest.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_one_sqlite_process_stores_every_acknowledged_answer() -> None:
    done = _bench("--backend", "sqlite", "--saturate", *TINY)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["processes"] == 1 and figures["offered_per_s"] == "saturate"
    assert figures["answers_ok"] == figures["answers_stored"] == 12
    assert figures["answers_failed"] == 0 and figures["verified"] is True
    assert figures["loop_cpu_ms_per_answer"] > 0


def test_two_processes_share_one_postgres_schema_and_drop_it() -> None:
    url = pg_url_or_skip()
    # items reach consensus: the two processes' batches settle them (answer batches take
    # turns on PostgreSQL, `ANSWER_BATCH_LOCK`)
    done = _bench(
        "--backend",
        "postgres",
        "--db",
        url,
        "--processes",
        "2",
        "--rate",
        "40",
        *TINY,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["processes"] == 2 and len(figures["per_process"]) == 2
    assert figures["answers_ok"] == figures["answers_stored"] == 12
    assert figures["verified"] is True
    assert not asyncio.run(_schema_exists(url, figures["schema"]))


def test_several_processes_need_postgres() -> None:
    done = _bench("--backend", "sqlite", "--processes", "2", *TINY)
    assert done.returncode == 2
    assert "--processes > 1 needs --backend postgres" in done.stderr


async def _schema_exists(url: str, schema: str) -> Any:
    conn = await asyncpg.connect(url)  # not open_store: it would migrate the default schema
    try:
        return await conn.fetchval(
            "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = $1", schema
        )
    finally:
        await conn.close()
