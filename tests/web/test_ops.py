"""The web adapter's skeleton through real HTTP on loopback: `/healthz`, `/metrics`, the
security headers, `[web]` validation, and `run.py web` as a real process."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import App
from bot.cli.main import main
from bot.config import ConfigError, WebSettings, load_settings
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.web.app import SECURITY_HEADERS, WebAdapter
from storage import SqlStore, open_store
from tests.support.engine import GENERAL, answer_payload, consented, player
from tests.support.processes import REPO, START_TIMEOUT, run_env
from tests.support.seeds import seed_campaign
from tests.support.settings import settings_for

LOOPBACK = WebSettings(enabled=True, listen="127.0.0.1", port=0)


@pytest.fixture
async def served(engine: Engine) -> AsyncIterator[WebAdapter]:
    web = WebAdapter(engine, LOOPBACK)
    await web.start()
    try:
        yield web
    finally:
        await web.stop()


async def get(url: str) -> tuple[int, dict[str, str], str]:
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        return resp.status, dict(resp.headers), await resp.text()


async def get_json(url: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        return resp.status, await resp.json()


def families(text: str) -> dict[str, Any]:
    return {f.name: f for f in text_string_to_metric_families(text)}


def sample(fams: dict[str, Any], family: str, name: str, **labels: str) -> float | None:
    for s in fams[family].samples if family in fams else []:
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
            return float(s.value)
    return None


async def test_healthz_answers_ok_while_the_store_answers(served: WebAdapter) -> None:
    assert served.port and served.port > 0  # port 0 picked a free one
    status, body = await get_json(f"{served.url}/healthz")
    assert status == 200
    assert body == {"status": "ok", "store": "ok", "leader": False}


async def test_healthz_says_whether_this_process_leads(engine: Engine) -> None:
    web = WebAdapter(engine, LOOPBACK, is_leader=lambda: True)
    await web.start()
    try:
        status, body = await get_json(f"{web.url}/healthz")
        _, _, text = await get(f"{web.url}/metrics")
    finally:
        await web.stop()
    assert status == 200 and body["leader"] is True
    assert (
        sample(families(text), "labelquest_scheduler_leader", "labelquest_scheduler_leader") == 1
    )


async def test_healthz_is_503_without_leaking_the_url_when_the_store_is_gone(
    store: SqlStore, db_url: str, clock: ManualClock
) -> None:
    own = await open_store(db_url)  # `store` keeps the schema alive for its teardown
    engine = Engine(own, settings_for(":memory:"), clock)
    web = WebAdapter(engine, LOOPBACK)
    await web.start()
    try:
        await own.close()
        status, headers, text = await get(f"{web.url}/healthz")
        metrics_status, _, metrics_text = await get(f"{web.url}/metrics")
    finally:
        await web.stop()
        await engine.close()
    assert status == 503, text
    body = json.loads(text)
    assert body["status"] == "degraded" and body["leader"] is False
    assert body["store"] not in ("ok", "") and body["store"].isidentifier()  # a class name
    assert headers["Content-Type"].startswith("application/json")
    assert metrics_status == 503
    for leak in (db_url, db_url.split("?")[0], "postgres@", "127.0.0.1:5432", "labelquest.db"):
        assert leak not in text and leak not in metrics_text


async def test_metrics_count_answers_latency_batches_and_open_rounds(
    served: WebAdapter, engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    status, headers, text = await get(f"{served.url}/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    before = families(text)
    count = "labelquest_answer_latency_seconds_count"
    assert sample(before, "labelquest_answers_stored", "labelquest_answers_stored_total") is None
    assert sample(before, "labelquest_open_channel_rounds", "labelquest_open_channel_rounds") == 0

    await seed_campaign(store, game="classify", items=2, min_overlap=3, max_overlap=3)
    card = await engine.play.post_round(player(0, GENERAL, moderator=True))
    voters = [player(i, GENERAL) for i in (1, 2)]
    await consented(engine, *voters)
    clock.advance(5)
    payload = answer_payload(card, "red")
    for v in voters:
        await engine.handle_button(v, payload)
    await engine.handle_button(voters[0], payload)  # a duplicate: not stored, not counted

    _, _, text = await get(f"{served.url}/metrics")
    after = families(text)
    stored = "labelquest_answers_stored_total"
    assert sample(after, "labelquest_answers_stored", stored, platform="discord") == 2
    latency = "labelquest_answer_latency_seconds"
    assert sample(after, latency, count, platform="discord") == 2
    assert sample(after, latency, f"{latency}_sum", platform="discord") > 0  # type: ignore[operator]
    batches = "labelquest_group_commit_batch_size"
    # three presses went through the group commit, in batches of at least one
    assert 1 <= sample(after, batches, f"{batches}_count") <= 3  # type: ignore[operator]
    assert sample(after, batches, f"{batches}_sum") == 3
    assert sample(after, "labelquest_open_channel_rounds", "labelquest_open_channel_rounds") == 1
    assert sample(after, "labelquest_scheduler_leader", "labelquest_scheduler_leader") == 0


async def test_each_adapter_has_its_own_registry(engine: Engine, served: WebAdapter) -> None:
    other = WebAdapter(engine, LOOPBACK)
    assert other.metrics.registry is not served.metrics.registry
    served.metrics.on_answer("telegram", "stored", 0.01)
    _, _, text = await get(f"{served.url}/metrics")
    stored = "labelquest_answers_stored_total"
    assert sample(families(text), "labelquest_answers_stored", stored, platform="telegram") == 1
    theirs = families((await other.metrics.exposition()).decode())
    assert sample(theirs, "labelquest_answers_stored", stored, platform="telegram") is None


async def test_a_stopped_adapter_no_longer_counts(engine: Engine) -> None:
    web = WebAdapter(engine, LOOPBACK)
    await web.start()
    await web.stop()
    assert web.metrics.on_answer not in engine.play.answers.observers
    assert engine.play.answers.commits.on_batch is None


async def test_every_response_carries_the_security_headers(served: WebAdapter) -> None:
    for path in ("/healthz", "/metrics", "/no-such-page"):
        status, headers, _ = await get(f"{served.url}{path}")
        assert status == (404 if path == "/no-such-page" else 200)
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name) == value, (path, name)
    assert SECURITY_HEADERS["Content-Security-Policy"] == "default-src 'self'"


async def test_run_serves_the_web_side_when_enabled(tmp_path: Path) -> None:
    settings = settings_for(str(tmp_path / "lq.db"), web=dataclasses.asdict(LOOPBACK))
    app = App(settings, environ={})
    await app.start(require_platform=False)
    try:
        assert app.web is not None and app.is_leader  # alone on SQLite: the leader
        status, body = await get_json(f"{app.web.url}/healthz")
        url = app.web.url
    finally:
        await app.stop()
    assert status == 200 and body == {"status": "ok", "store": "ok", "leader": True}
    assert app.web is None
    with pytest.raises(aiohttp.ClientConnectionError):
        await get(f"{url}/healthz")  # stopped with the process


async def test_run_without_web_enabled_serves_no_web_side(tmp_path: Path) -> None:
    app = App(settings_for(str(tmp_path / "lq.db")), environ={}, scheduler=False)
    await app.start(require_platform=False)
    try:
        assert app.web is None
    finally:
        await app.stop()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("port = 70000", "[web] port: must be at most 65535, got 70000"),
        ("port = -1", "[web] port: must be at least 0, got -1"),
        ('port = "80"', "[web] port: must be an integer"),
        ('listen = "not a host!"', "[web] listen: must be an IP address or a host name"),
        ('listen = "999.1.1.1"', "[web] listen: must be an IP address or a host name"),
        ('public_url = "labels.example.org"', "[web] public_url: must be an http(s):// URL"),
        ("enable = true", "[web] enable: unknown key"),
    ],
)
def test_bad_web_settings_stop_startup_with_one_line(
    tmp_path: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "my.toml"
    path.write_text(f"[web]\n{text}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(path, environ={})
    assert main(["--config", str(path), "--db", str(tmp_path / "lq.db"), "web"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("config error:") and message in err and err.count("\n") == 1


@pytest.mark.parametrize("listen", ["0.0.0.0", "::1", "localhost", "web.internal"])
def test_good_listen_addresses_are_accepted(tmp_path: Path, listen: str) -> None:
    path = tmp_path / "my.toml"
    path.write_text(f'[web]\nlisten = "{listen}"\nport = 0\n', encoding="utf-8")
    assert load_settings(path, environ={}).web.listen == listen


def test_run_py_web_on_a_taken_port_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        path = tmp_path / "my.toml"
        path.write_text(f"[web]\nport = {port}\n", encoding="utf-8")
        code = main(["--config", str(path), "--db", str(tmp_path / "lq.db"), "web"])
    errors = [ln for ln in capsys.readouterr().err.splitlines() if "error" in ln.lower()]
    assert code == 1
    assert len(errors) == 1, errors  # one line, no traceback
    assert errors[0].startswith(f"error: cannot serve the web side on 127.0.0.1:{port}:")
    assert "address already in use" in errors[0]


@pytest.mark.skipif(os.name == "nt", reason="SIGTERM semantics are POSIX")
async def test_run_py_web_serves_healthz_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    config = tmp_path / "my.toml"
    config.write_text('[web]\nlisten = "127.0.0.1"\nport = 0\n', encoding="utf-8")
    db = str(tmp_path / "lq.db")
    env = run_env(TELEGRAM_TOKEN="123456:not-a-real-token")  # ignored: no bots here
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(REPO / "run.py"),
        *("--config", str(config), "--db", db, "web"),
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert proc.stdout is not None
    seen: list[str] = []
    try:
        url = await asyncio.wait_for(_served_url(proc.stdout, seen), START_TIMEOUT)
        status, body = await get_json(f"{url}/healthz")
        assert status == 200 and body == {"status": "ok", "store": "ok", "leader": False}
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        rest, _ = await asyncio.wait_for(proc.communicate(), timeout=30)
    text = "".join(seen) + rest.decode(errors="replace")
    assert proc.returncode == 0, text
    assert "telegram bot started" not in text and "Traceback" not in text
    assert "not-a-real-token" not in text


async def _served_url(stream: asyncio.StreamReader, seen: list[str]) -> str:
    """The URL in the `web side served at http://...` log line."""
    marker = "web side served at "
    while True:
        line = (await stream.readline()).decode(errors="replace")
        if not line:
            raise AssertionError("run.py web ended before serving:\n" + "".join(seen))
        seen.append(line)
        if marker in line:
            return line.split(marker, 1)[1].split()[0]
