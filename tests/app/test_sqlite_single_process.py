"""One process per SQLite file: a second one is refused at start, with a message that says
who holds the file and what to do; once the first one stops, a new one starts."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App
from storage import AlreadyServing
from tests.support.fakes.telegram import FakeTelegram
from tests.support.processes import run_env, spawn_run
from tests.support.settings import settings_for

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0  # a cold interpreter imports discord.py, PTB, numpy and Pillow

pytestmark = pytest.mark.skipif(os.name == "nt", reason="flock is POSIX")


async def test_a_second_app_on_the_same_file_is_refused_until_the_first_stops(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "lq.db")
    first = App(settings_for(db), environ={})
    await first.start(require_platform=False)
    second = App(settings_for(db), environ={})
    try:
        assert first.is_leader and first.scheduler is not None  # alone: it runs the jobs
        with pytest.raises(AlreadyServing) as refused:
            await second.start(require_platform=False)
        message = str(refused.value)
        assert f"Another LabelQuest process (pid {os.getpid()}) is already serving {db}" in message
        assert "SQLite allows one process per database file" in message
        assert "PostgreSQL" in message and "docs/operations.md" in message
        assert second.store is None  # refused before it opened (or migrated) the database
    finally:
        await first.stop()
    await second.start(require_platform=False)  # the lock went with the first App
    try:
        assert second.store is not None and second.is_leader
    finally:
        await second.stop()


async def test_other_files_and_memory_databases_are_not_shared(tmp_path: Path) -> None:
    apps = [
        App(settings_for(str(tmp_path / "a.db")), environ={}),
        App(settings_for(str(tmp_path / "b.db")), environ={}),
        App(settings_for(":memory:"), environ={}),
        App(settings_for(":memory:"), environ={}),
    ]
    try:
        for app in apps:
            await app.start(require_platform=False)
        assert all(app.is_leader for app in apps)
    finally:
        for app in apps:
            await app.stop()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


async def _run(tmp_path: Path, telegram: FakeTelegram, db: str) -> asyncio.subprocess.Process:
    config = tmp_path / "my.toml"
    config.write_text(
        f'[telegram]\nbase_url = "{telegram.base_url}"\n'
        f'base_file_url = "{telegram.base_file_url}"\n',
        encoding="utf-8",
    )
    return await spawn_run(config, run_env(TELEGRAM_TOKEN=telegram.token), tmp_path, db=db)


async def _serves(telegram: FakeTelegram, user_id: int) -> None:
    """The running bot answers /start in a private chat."""
    user = telegram.user(user_id, f"U{user_id}")
    telegram.private_chat(user)
    await telegram.send_command(user_id, user, "/start")
    await telegram.wait_for_call(
        "sendMessage",
        lambda c: str(c.params.get("chat_id")) == str(user_id),
        START_TIMEOUT,
    )


async def _stop(proc: asyncio.subprocess.Process) -> str:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
    output, _ = await asyncio.wait_for(proc.communicate(), START_TIMEOUT)
    return output.decode(errors="replace")


async def test_second_run_process_on_one_sqlite_file_is_refused(
    tmp_path: Path, telegram: FakeTelegram
) -> None:
    db = str(tmp_path / "lq.db")
    first = await _run(tmp_path, telegram, db)
    try:
        await telegram.wait_for_call("getUpdates", include_consumed=True, timeout=START_TIMEOUT)
        second = await _run(tmp_path, telegram, db)
        out, _ = await asyncio.wait_for(second.communicate(), START_TIMEOUT)  # it exits alone
        output = out.decode(errors="replace")
        assert second.returncode == 1, output
        assert (
            f"error: Another LabelQuest process (pid {first.pid}) is already serving {db}; "
            "SQLite allows one process per database file." in output
        )
        await _serves(telegram, 41)  # the first process was not disturbed
    finally:
        first_output = await _stop(first)
    assert first.returncode == 0, first_output

    third = await _run(tmp_path, telegram, db)
    try:
        await _serves(telegram, 42)
    finally:
        third_output = await _stop(third)
    assert third.returncode == 0, third_output
