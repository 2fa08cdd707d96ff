"""Processes starting at the same moment on one empty PostgreSQL database: the schema, the
version table and every migration are created once, and every process opens its store."""

from __future__ import annotations

import asyncio

from storage import open_store
from tests.support.doodles import rows
from tests.support.stores import pg_url_or_skip


async def test_four_stores_opening_at_once_on_an_empty_schema_all_start() -> None:
    for _attempt in range(3):
        url = pg_url_or_skip()
        stores = await asyncio.gather(*(open_store(url) for _ in range(4)))
        try:
            applied = await rows(
                stores[0],
                "SELECT version, COUNT(*) FROM schema_version "
                "GROUP BY version HAVING COUNT(*) > 1",
            )
            assert applied == []
            versions = await rows(stores[1], "SELECT MAX(version) FROM schema_version")
            assert versions[0][0] >= 8
        finally:
            await stores[0].db.drop_schema()  # type: ignore[attr-defined]
            for store in stores:
                await store.close()
