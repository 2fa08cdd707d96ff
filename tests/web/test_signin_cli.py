"""`run.py web --login-link PLATFORM:ID` as a real process: the printed link signs a bot
admin in over HTTP and the dashboard answers; anyone not in `[admins]` is refused before
anything is served; with no `[admins]` at all (the demo), any id gets an operator link with
admin rights."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.support.processes import REPO, START_TIMEOUT, run_env
from tests.web.signin_client import browser, continue_

CONFIG = '[web]\nlisten = "127.0.0.1"\nport = 0\n\n[admins]\ntelegram = ["4242"]\n'


async def _printed_link(stream: asyncio.StreamReader, seen: list[str]) -> str:
    while True:
        line = (await stream.readline()).decode(errors="replace")
        if not line:
            raise AssertionError("run.py web ended before printing a link:\n" + "".join(seen))
        seen.append(line)
        if "/login?token=" in line:
            return line.strip()


@pytest.mark.skipif(os.name == "nt", reason="SIGTERM semantics are POSIX")
@pytest.mark.parametrize(
    ("config_text", "person"),
    [(CONFIG, "telegram:4242"), ('[web]\nlisten = "127.0.0.1"\nport = 0\n', "ADMIN_ID")],
    ids=["listed-admin", "operator-without-admins"],
)
async def test_the_printed_link_signs_the_admin_in(
    tmp_path: Path, config_text: str, person: str
) -> None:
    config = tmp_path / "my.toml"
    config.write_text(config_text, encoding="utf-8")
    args = ("--config", str(config), "--db", str(tmp_path / "lq.db"), "web")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(REPO / "run.py"),
        *args,
        "--login-link",
        person,
        cwd=tmp_path,
        env=run_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert proc.stdout is not None
    seen: list[str] = []
    try:
        link = await asyncio.wait_for(_printed_link(proc.stdout, seen), START_TIMEOUT)
        assert link.startswith("http://127.0.0.1:")  # no public_url: the served address
        base = link.split("/login")[0]
        async with browser() as http:
            assert (await continue_(http, link)).status == 303
            async with http.get(f"{base}/dashboard") as dash:
                assert dash.status == 200
            async with http.get(f"{base}/dashboard/tokens") as tokens:
                assert tokens.status == 200  # an admin's session
        async with browser() as again:
            assert (await continue_(again, link)).status == 400  # once only
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        rest, _ = await asyncio.wait_for(proc.communicate(), timeout=30)
    text = "".join(seen) + rest.decode(errors="replace")
    assert proc.returncode == 0, text
    assert "Traceback" not in text


def test_a_non_admin_is_refused_before_serving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "my.toml"
    config.write_text(CONFIG, encoding="utf-8")
    base = ["--config", str(config), "--db", str(tmp_path / "lq.db"), "web", "--login-link"]
    assert main([*base, "telegram:1"]) == 2
    err = capsys.readouterr().err
    assert "telegram:1 is not a bot admin" in err and "[admins]" in err
    assert main([*base, "4242"]) == 2  # a bare id is an operator's, refused once admins exist
    assert "operator:4242 is not a bot admin" in capsys.readouterr().err
    assert not (tmp_path / "lq.db").exists()  # nothing was opened
