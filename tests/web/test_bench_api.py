"""bench/api.py stays runnable: at a tiny size, on both backends, it seeds, serves, pulls
every label with the cursor and prints the JSON it documents (figures are not asserted:
speed belongs to the bench, docs/benchmarks.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.support.settings import REPO
from tests.support.stores import PG_URL, pg_url_or_skip

TINY = ["--labels", "200", "--limit", "50", "--repeats", "2", "--json"]


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "bench" / "api.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_the_bench_pulls_every_label_and_prints_its_figures(backend: str) -> None:
    extra = ["--pg-url", PG_URL] if backend == "postgres" else []
    if backend == "postgres":
        pg_url_or_skip()  # skip (or fail in CI) when the server is unreachable
    done = _bench("--backend", backend, *extra, *TINY)
    assert done.returncode == 0, done.stderr
    figures: dict[str, Any] = json.loads(done.stdout)
    assert (figures["backend"], figures["labels"], figures["limit"]) == (backend, 200, 50)
    assert figures["repeats"] == 2 and len(figures["pull_s"]) == 2
    assert figures["requests_per_pull"] == 5  # 4 full pages, then the empty one
    for key in ("seed_s", "page_ms_p50", "page_ms_p99", "page_ms_max", "pull_s_median"):
        assert figures[key] > 0, key
    assert figures["page_ms_p50"] <= figures["page_ms_p99"] <= figures["page_ms_max"]
    assert figures["labels_per_s"] > 0


def test_the_default_run_prints_a_readable_report(tmp_path: Any) -> None:
    done = _bench(
        "--labels", "20", "--limit", "7", "--repeats", "1", "--db", str(tmp_path / "b.db")
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "API label pull, sqlite: 20 finalized labels, limit 7, 4 requests a pull, 1 pulls"
    )
    assert any(line.strip().startswith("page request") and "p99" in line for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--limit", "0"], "--limit: from 1 to 1000"),
        (["--limit", "1001"], "--limit: from 1 to 1000"),
        (["--labels", "0"], "--labels: at least 1"),
    ],
)
def test_bad_arguments_are_named(args: list[str], message: str) -> None:
    done = _bench(*args)
    assert done.returncode == 2 and message in done.stderr
