"""bench/quickdraw.py stays runnable: at a tiny size, without the shared samples, it prints
the JSON it documents (figures are not asserted: speed belongs to the bench, not the tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.settings import REPO


def test_the_bench_prints_gif_guess_and_import_figures(tmp_path: Path) -> None:
    missing = tmp_path / "no-samples"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "quickdraw.py"),
            "--json",
            "--gif-limit",
            "6",
            "--repeat",
            "2",
            "--players",
            "3",
            "--samples",
            str(missing),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    gif = figures["gif"]
    assert gif["source"] == "procedural demo doodles" and gif["size_px"] == 256
    assert gif["raw"]["count"] == 6 and "simplified" not in gif
    assert gif["typical"]["points"] > 0 and set(gif["typical"]["ms"]) == {"median", "p95", "max"}
    assert figures["guesses"]["players"] == 3 and figures["guesses"]["guesses"] == 6
    assert figures["import"] is None  # no samples to import


def test_only_runs_the_part_asked_for() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "quickdraw.py"),
            "--only",
            "guesses",
            "--players",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("one round, 2 players, 4 guesses: ") and "guesses/s" in lines[0]
    assert lines[1:] == ["gif: skipped (--only guesses)", "import: skipped (--only guesses)"]
    bad = subprocess.run(
        [sys.executable, str(REPO / "bench" / "quickdraw.py"), "--only", "gifs"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2 and "--only" in bad.stderr and "gifs" in bad.stderr


def test_bad_sizes_are_refused_by_name() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "quickdraw.py"), "--gif-limit", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "--gif-limit" in done.stderr
