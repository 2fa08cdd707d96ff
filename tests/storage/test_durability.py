"""Issue 12 hole 15: SQLite commits are fsynced before an answer is acknowledged.
`synchronous=FULL` (2) is the default: a committed transaction survives power loss; NORMAL
(1), when configured, survives a killed process but not power loss."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from storage import StoreError, open_store


async def _synchronous(path: Path, **kwargs: str) -> list[int]:
    store = await open_store(str(path), **kwargs)  # type: ignore[arg-type]
    try:
        async with store.db.transaction() as tx:
            writer = int(await tx.fetchval("PRAGMA synchronous"))
        async with store.db.read() as c:
            reader = int(await c.fetchval("PRAGMA synchronous"))
        return [writer, reader]
    finally:
        await store.close()


async def test_a_fresh_sqlite_store_fsyncs_every_commit(tmp_path: Path) -> None:
    assert await _synchronous(tmp_path / "a.db") == [2, 2]


async def test_normal_when_configured(tmp_path: Path) -> None:
    assert await _synchronous(tmp_path / "b.db", sqlite_synchronous="normal") == [1, 1]
    assert await _synchronous(tmp_path / "c.db", sqlite_synchronous="full") == [2, 2]


async def test_an_unknown_level_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="sqlite_synchronous"):
        await open_store(str(tmp_path / "d.db"), sqlite_synchronous="off")


def test_the_setting_defaults_to_full_and_is_checked(tmp_path: Path) -> None:
    assert load_settings(None).database.sqlite_synchronous == "full"
    cfg = tmp_path / "c.toml"
    cfg.write_text('[database]\nsqlite_synchronous = "normal"\n')
    assert load_settings(cfg).database.sqlite_synchronous == "normal"
    cfg.write_text('[database]\nsqlite_synchronous = "off"\n')
    with pytest.raises(Exception, match="must be one of full, normal"):
        load_settings(cfg)
