"""`run.py run` as a real process, the way an operator starts it: a config file, the tokens
in the environment (nothing else of the test's own environment that would change what runs),
output to a pipe or a log file."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90.0  # a cold interpreter imports discord.py, PTB, numpy and Pillow


def run_env(**tokens: str) -> dict[str, str]:
    """This environment with `tokens` set and no other bot token or database URL."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **tokens}
    for name in ("DATABASE_URL", "TELEGRAM_TOKEN", "DISCORD_TOKEN"):
        if name not in tokens:
            env.pop(name, None)
    return env


async def spawn_run(
    config: Path,
    env: dict[str, str],
    cwd: Path,
    *,
    db: str | None = None,
    out: IO[bytes] | None = None,
) -> asyncio.subprocess.Process:
    """Start `run.py --config CONFIG [--db DB] run`; its output goes to `out` (a file opened
    for writing) or to a pipe (`proc.stdout`), stderr with it."""
    args = ["--config", str(config), *(["--db", db] if db else []), "run"]
    stdout: Any = asyncio.subprocess.PIPE if out is None else out
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(REPO / "run.py"),
        *args,
        cwd=cwd,
        env=env,
        stdout=stdout,
        stderr=asyncio.subprocess.STDOUT,
    )
