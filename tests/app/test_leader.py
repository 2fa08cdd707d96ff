"""One scheduler at a time: the leader lock on PostgreSQL, failover, and the webhook it owns.

Two processes are played by two Apps (or two locks) on one PostgreSQL schema, each with its
own connections, exactly as two machines would be. Killing the leader's lock connection on
the server (`pg_terminate_backend`) is what the server does when the leader's process or
machine dies: the lock goes, another process takes over, and the old leader, if it still
runs, stops its jobs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.app import WEBHOOK_META, App
from bot.config import ConfigError, Settings, load_settings
from storage import LeaderLock, open_store, read_meta, write_meta
from tests.support.fakes.telegram import FakeTelegram
from tests.support.processes import run_env, spawn_run
from tests.support.seeds import seed_campaign
from tests.support.settings import REPO, settings_for
from tests.support.stores import pg_url_or_skip

WAIT = 30.0  # generous: the failover itself is 0.2 s; this only bounds a broken test


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A private PostgreSQL schema, dropped after the test."""
    url = pg_url_or_skip()
    yield url
    store = await open_store(url)
    try:
        await store.db.drop_schema()  # type: ignore[attr-defined]
    finally:
        await store.close()


async def _terminate(url: str, backend_pid: int | None) -> None:
    """End a server session from outside, as the server does when its client is gone."""
    assert backend_pid is not None
    conn = await asyncpg.connect(url.split("?", 1)[0])
    try:
        assert await conn.fetchval("SELECT pg_terminate_backend($1)", backend_pid)
    finally:
        await conn.close()


async def test_exactly_one_lock_wins_and_the_other_takes_over_when_it_dies(
    pg_url: str,
) -> None:
    first, second = await open_store(pg_url), await open_store(pg_url)
    a = LeaderLock(first, failover_seconds=0.2)
    b = LeaderLock(second, failover_seconds=0.2)
    try:
        assert await a.try_acquire() is True
        assert await b.try_acquire() is False
        assert await a.try_acquire() is True  # asking again while leading keeps the lead
        assert await a.still_held() is True
        assert await b.try_acquire() is False

        await _terminate(pg_url, a.backend_pid)
        assert await a.still_held() is False  # the old leader learns it lost the lock
        assert await b.try_acquire() is True
        assert await a.try_acquire() is False  # and cannot take it back while b leads

        await b.release()
        assert await a.try_acquire() is True
    finally:
        await a.release()
        await b.release()
        await first.close()
        await second.close()


async def test_the_operations_query_finds_the_leader(pg_url: str) -> None:
    """docs/operations.md tells operators how to see which process leads: it must work."""
    doc = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    query = doc.split("To see which process leads:", 1)[1].split("```sql", 1)[1].split("```")[0]
    first, second = await open_store(pg_url), await open_store(pg_url)
    a, b = LeaderLock(first), LeaderLock(second)
    conn = await asyncpg.connect(pg_url.split("?", 1)[0])
    try:
        assert await a.try_acquire() and not await b.try_acquire()
        pids = {row["pid"] for row in await conn.fetch(query)}
        assert a.backend_pid in pids and b.backend_pid not in pids
    finally:
        await conn.close()
        await a.release()
        await b.release()
        await first.close()
        await second.close()


async def test_deployments_in_two_schemas_elect_their_own_leaders(pg_url: str) -> None:
    other_url = pg_url_or_skip()
    mine, other = await open_store(pg_url), await open_store(other_url)
    a, b = LeaderLock(mine), LeaderLock(other)
    try:
        assert await a.try_acquire() is True
        assert await b.try_acquire() is True
    finally:
        await a.release()
        await b.release()
        await other.db.drop_schema()  # type: ignore[attr-defined]
        await mine.close()
        await other.close()


class WebhookAdapter:
    """Stands in for the Telegram adapter in webhook mode: records `ensure_webhook` calls."""

    platform = "telegram"

    def __init__(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.calls: list[str | None] = []

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def ensure_webhook(self, recorded: str | None) -> str | None:
        self.calls.append(recorded)
        return None if recorded == self.fingerprint else self.fingerprint


def _webhook_settings(url: str) -> Settings:
    s = settings_for(url, scheduler={"failover_seconds": 0.2, "tick_seconds": 0.05})
    telegram = dataclasses.replace(
        s.telegram, mode="webhook", webhook_url="https://labelquest.example.test/telegram"
    )
    return dataclasses.replace(s, telegram=telegram)


async def _process(url: str, adapter: WebhookAdapter) -> App:
    app = App(_webhook_settings(url), environ={"TELEGRAM_TOKEN": "1:fake"})

    def make(platform: str, token: str) -> Any:
        return adapter

    app._make_adapter = make  # type: ignore[method-assign]
    await app.start()
    return app


async def test_one_app_runs_the_scheduler_and_another_takes_over_when_it_dies(
    pg_url: str,
) -> None:
    hooks = WebhookAdapter("v1"), WebhookAdapter("v1")
    first = await _process(pg_url, hooks[0])
    second = await _process(pg_url, hooks[1])
    try:
        assert first.is_leader and not second.is_leader
        assert first.scheduler is not None and {"tick", "rewards"} <= set(
            first.scheduler.job_names()
        )
        assert second.scheduler is None
        assert hooks[0].calls == [None]  # the first leader set the webhook and recorded it
        assert hooks[1].calls == []  # a follower never calls setWebhook
        assert first.store is not None
        assert await read_meta(first.store, WEBHOOK_META) == "v1"

        assert first.leadership is not None and second.leadership is not None
        await _terminate(pg_url, first.leadership._lock.inner.backend_pid)  # type: ignore[attr-defined]
        await asyncio.wait_for(second.leadership.became_leader.wait(), WAIT)
        await asyncio.wait_for(first.leadership.lost_leadership.wait(), WAIT)

        assert second.is_leader and second.scheduler is not None
        assert not first.is_leader and first.scheduler is None  # the old leader stopped its jobs
        assert hooks[1].calls == ["v1"]  # the new leader saw the recorded webhook: no resend
    finally:
        await second.stop()
        await first.stop()


async def test_the_old_leader_leads_again_once_the_new_one_stops(pg_url: str) -> None:
    first = await _process(pg_url, WebhookAdapter("v1"))
    second = await _process(pg_url, WebhookAdapter("v2"))
    try:
        assert first.leadership is not None and second.leadership is not None
        await first.stop()  # a clean stop releases the lock at once
        await asyncio.wait_for(second.leadership.became_leader.wait(), WAIT)
        assert second.store is not None
        assert await read_meta(second.store, WEBHOOK_META) == "v2"  # the new leader set it
    finally:
        await second.stop()
        await first.stop()


async def test_app_without_scheduler_never_leads(pg_url: str) -> None:
    app = App(settings_for(pg_url, scheduler={"failover_seconds": 0.2}), scheduler=False)
    await app.start(require_platform=False)
    try:
        assert not app.is_leader and app.scheduler is None and app.leadership is None
        lock_store = app.store
        assert lock_store is not None
        probe = LeaderLock(lock_store)
        assert await probe.try_acquire() is True  # nobody else holds the lock
        await probe.release()
    finally:
        await app.stop()


async def test_meta_values_are_replaced(pg_url: str) -> None:
    store = await open_store(pg_url)
    try:
        assert await read_meta(store, "telegram.webhook") is None
        await write_meta(store, "telegram.webhook", "a")
        await write_meta(store, "telegram.webhook", "b")
        assert await read_meta(store, "telegram.webhook") == "b"
    finally:
        await store.close()


@pytest.mark.parametrize("value", ["0", "-1", '"soon"'])
def test_failover_seconds_must_be_a_positive_number(tmp_path: Path, value: str) -> None:
    path = tmp_path / "my.toml"
    path.write_text(f"[scheduler]\nfailover_seconds = {value}\n")
    with pytest.raises(ConfigError) as exc:
        load_settings(path, environ={})
    assert "[scheduler] failover_seconds: must be" in str(exc.value)


def _read(log: Path) -> str:
    return log.read_text(errors="replace") if log.exists() else ""


async def _wait_for_line(log: Path, text: str) -> None:
    """Until `text` appears in the process log (bounded by WAIT)."""
    for _ in range(int(WAIT / 0.05)):
        if text in await asyncio.to_thread(_read, log):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{text!r} not in {log}:\n{_read(log)[-3000:]}")


async def _run_process(
    tmp_path: Path, name: str, url: str, telegram: FakeTelegram
) -> tuple[asyncio.subprocess.Process, Path]:
    config = tmp_path / f"{name}.toml"
    config.write_text(
        f'[telegram]\nbase_url = "{telegram.base_url}"\n'
        f'base_file_url = "{telegram.base_file_url}"\n'
        f"[game]\nround_seconds = 10\n"
        f"[scheduler]\nfailover_seconds = 0.3\ntick_seconds = 0.2\n",
        encoding="utf-8",
    )
    env = run_env(TELEGRAM_TOKEN=telegram.token)
    log = tmp_path / f"{name}.log"
    with log.open("wb") as out:
        proc = await spawn_run(config, env, tmp_path, db=url, out=out)
    return proc, log


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
async def test_sigkill_of_the_leader_process_hands_the_scheduler_over(
    tmp_path: Path, pg_url: str
) -> None:
    """Two real `run.py run` processes on one PostgreSQL: the first leads and posts a round;
    killed with SIGKILL, its lock goes with its connection, the second takes over and closes
    the round when it falls due. Nothing was closed twice."""
    store = await open_store(pg_url)
    try:
        await seed_campaign(store, game="classify", text_items=True)
    finally:
        await store.close()
    async with FakeTelegram() as telegram:
        first, first_log = await _run_process(tmp_path, "first", pg_url, telegram)
        second: asyncio.subprocess.Process | None = None
        second_log = tmp_path / "second.log"
        try:
            await _wait_for_line(first_log, "this process now runs the scheduler")
            mod, group = telegram.user(7, "Mo"), telegram.group(-100_777, "Labelers")
            telegram.set_admins(group, mod)
            await telegram.send_command(group, mod, "/round")
            card = await telegram.wait_for_call(
                "sendMessage", lambda c: "Round" in str(c.params.get("text")), WAIT
            )
            # the first process confirmed the update, so the second one (polling the same
            # fake, which unlike Telegram lets two clients poll) never sees it
            await telegram.wait_for_call(
                "getUpdates", lambda c: int(c.params.get("offset") or 0) > 0, WAIT
            )
            second, second_log = await _run_process(tmp_path, "second", pg_url, telegram)
            await _wait_for_line(second_log, "LabelQuest is running")
            assert "this process now runs the scheduler" not in _read(second_log)
            first.send_signal(signal.SIGKILL)
            await first.wait()

            await _wait_for_line(second_log, "this process now runs the scheduler")
            await telegram.wait_for_call(
                "editMessageText",
                lambda c: (
                    c.params.get("message_id") == card.result["message_id"]
                    and "Round closed" in str(c.params.get("text"))
                ),
                WAIT,
            )
        finally:
            for proc in (first, second):
                if proc is not None and proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
                    await asyncio.wait_for(proc.wait(), WAIT)
    assert second is not None and second.returncode == 0, _read(second_log)[-3000:]
    conn = await asyncpg.connect(pg_url.split("?", 1)[0])
    try:
        schema = pg_url.rsplit("search_path=", 1)[1]
        rounds = await conn.fetch(f'SELECT status, closed_at FROM "{schema}".rounds')
    finally:
        await conn.close()
    assert [(r["status"], r["closed_at"] is not None) for r in rounds] == [("closed", True)]
