"""Sign-in links and sessions in the store, on SQLite and PostgreSQL: only digests are kept;
two stores on one database (two processes) redeeming one link at once open one session;
forgetting a player deletes their links and sessions."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.core.access.signin import Signin
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import SqlStore, open_store
from tests.support.engine import GENERAL, consented, player
from tests.support.settings import settings_for

MOD = player(90, GENERAL, moderator=True)


async def _rows(store: SqlStore, table: str) -> list[Any]:
    async with store.db.read() as c:
        rows: list[Any] = await c.fetch(f"SELECT * FROM {table}")
    return [tuple(r) for r in rows]


async def test_only_digests_of_the_secrets_are_stored(engine: Engine, store: SqlStore) -> None:
    link = await engine.signin.dashboard_link(MOD, public_url="http://x", minutes=10)
    secret = link.url.split("token=")[1]
    opened = await engine.signin.open_session(secret, hours=1)
    dump = repr(await _rows(store, "web_login_links")) + repr(await _rows(store, "web_sessions"))
    assert secret not in dump and opened.token not in dump
    assert secret[:12] not in dump and opened.token[:12] not in dump


async def test_two_processes_redeeming_one_link_open_one_session(
    db_url: str, store: SqlStore, clock: ManualClock
) -> None:
    settings = settings_for(":memory:")
    first = Engine(store, settings, clock)
    other_store = await open_store(db_url)  # a second process's store on the same database
    second = Engine(other_store, settings, clock)
    try:
        link = await first.signin.dashboard_link(MOD, public_url="http://x", minutes=10)
        secret = link.url.split("token=")[1]
        results = await asyncio.gather(
            *(e.signin.open_session(secret, hours=1) for e in (first, second, first, second)),
            return_exceptions=True,
        )
        opened = [r for r in results if not isinstance(r, BaseException)]
        assert len(opened) == 1, results
        assert len(await _rows(store, "web_sessions")) == 1
    finally:
        await second.close()
        await other_store.close()
        await first.close()


async def test_forgetting_deletes_links_and_sessions(engine: Engine, store: SqlStore) -> None:
    await consented(engine, MOD)
    other = player(91, GENERAL, moderator=True)
    signin: Signin = engine.signin
    used = await signin.dashboard_link(MOD, public_url="http://x", minutes=10)
    await signin.open_session(used.url.split("token=")[1], hours=1)
    await signin.dashboard_link(MOD, public_url="http://x", minutes=10)  # not used yet
    kept = await signin.dashboard_link(other, public_url="http://x", minutes=10)
    await engine.players.forget_confirm(MOD, True)
    assert len(await _rows(store, "web_sessions")) == 0
    (left,) = await _rows(store, "web_login_links")
    assert "u91" in left
    assert (await signin.open_session(kept.url.split("token=")[1], hours=1)).token
