"""The worked example of docs/api.md runs as written: its command block line by line (the
`run.py` lines as subprocesses, in a fresh folder) and its Python script (written to
`example.py` and run with `python`, as the reader would), then checks what they printed: 100
items pushed, the demo players' answers, and the labels pulled.

One substitution: the `python run.py web --db lq.db &` line is served in this process (the
same `WebAdapter` over the same database file) on a free port, whose URL the script gets as
`LQ` (the doc's default is port 8080, which may be taken here). The token the `token create`
line prints is exported as `TOKEN`, as the `export` line tells the reader to do."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import sys
from pathlib import Path

from bot.config import WebSettings
from bot.core.engine import Engine
from bot.web.app import WebAdapter
from storage import open_store
from tests.support.settings import settings_for

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "api.md"


def doc_blocks() -> tuple[list[str], str]:
    """(the command lines, the script) of the worked example in docs/api.md."""
    text = DOC.read_text()
    cmds = re.search(r"<!-- worked-example:commands -->\n```sh\n(.*?)```", text, re.S)
    script = re.search(r"<!-- worked-example:script -->\n```python\n(.*?)```", text, re.S)
    assert cmds is not None and script is not None, "the worked example's blocks are missing"
    return [line for line in cmds.group(1).splitlines() if line.strip()], script.group(1)


async def run(argv: list[str], cwd: Path, env: dict[str, str]) -> str:
    proc = await asyncio.create_subprocess_exec(
        *argv,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, f"{argv} failed:\n{out.decode()}\n{err.decode()}"
    return out.decode()


def argv_of(line: str) -> list[str]:
    words = shlex.split(line, comments=True)
    assert words[0] == "python", line
    if words[1] == "run.py":
        return [sys.executable, str(ROOT / "run.py"), *words[2:]]
    return [sys.executable, *words[1:]]


async def test_the_worked_example_runs_as_written(tmp_path: Path) -> None:
    lines, script = doc_blocks()
    (tmp_path / "example.py").write_text(script)
    env = {k: v for k, v in os.environ.items() if k not in ("TOKEN", "LQ", "DATABASE_URL")}
    printed: dict[str, str] = {}
    web: WebAdapter | None = None
    engine: Engine | None = None
    try:
        for line in lines:
            if line.startswith("export TOKEN="):
                token = re.search(r"^(lq_\d+_\S+)$", printed["token"], re.M)
                assert token is not None, printed["token"]
                env["TOKEN"] = token.group(1)
            elif line.startswith("python run.py web"):
                db = shlex.split(line, comments=True)[4]
                store = await open_store(str(tmp_path / db))
                engine = Engine(store, settings_for(str(tmp_path / db)))
                web = WebAdapter(engine, WebSettings(enabled=True, listen="127.0.0.1", port=0))
                await web.start()
                env["LQ"] = web.url
            else:
                out = await run(argv_of(line), tmp_path, env)
                key = "token" if " token create" in line else " ".join(line.split()[1:3])
                printed[key] = printed.get(key, "") + out
    finally:
        if web is not None:
            await web.stop()
        if engine is not None:
            await engine.close()
            await engine.store.close()

    assert "pushed 100 items (0 were there already)" in printed["example.py push"]
    played = re.search(r"gave (\d+) answers to 'Shapes: is it\?'", printed["run.py demo"])
    assert played is not None and int(played.group(1)) >= 300  # 100 items, 3 answers at least
    pulled = re.search(r"pulled (\d+) labels; (\d+) agree", printed["example.py pull"])
    assert pulled is not None, printed["example.py pull"]
    n, right = int(pulled.group(1)), int(pulled.group(2))
    assert n >= 80 and right > n // 2  # most pushed items finalized; the crowd mostly right
