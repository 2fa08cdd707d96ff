"""`Store.exclusive(key)`: mutual exclusion on a key, across processes on PostgreSQL (two
stores with their own pools stand for two processes), within the process on SQLite."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from storage import SqlStore, open_store
from storage.locks import lock_id
from tests.support.stores import pg_url_or_skip


@pytest.fixture
async def two_stores() -> AsyncIterator[tuple[SqlStore, SqlStore]]:
    url = pg_url_or_skip()
    a = await open_store(url)
    b = await open_store(url)
    try:
        yield a, b
    finally:
        await a.db.drop_schema()  # type: ignore[attr-defined]
        await a.close()
        await b.close()


def test_a_key_has_the_same_lock_number_in_every_process() -> None:
    assert lock_id("round:1") == lock_id("round:1") == -1991089539906294281
    assert lock_id("round:1") != lock_id("round:2")
    assert all(-(2**63) <= lock_id(f"k{i}") < 2**63 for i in range(100))


async def test_sections_on_one_key_never_overlap(store: SqlStore) -> None:
    inside: list[str] = []
    overlaps: list[str] = []

    async def section(name: str) -> None:
        async with store.exclusive("job"):
            if inside:
                overlaps.append(name)
            inside.append(name)
            for _ in range(3):
                await asyncio.sleep(0)
            inside.remove(name)

    await asyncio.gather(*[section(f"s{i}") for i in range(6)])
    assert overlaps == []


async def _waiting_for_advisory_lock(store: SqlStore) -> None:
    """Until some session waits for an advisory lock (read from `pg_locks`)."""
    while True:
        async with store.db.read() as c:
            waiting = await c.fetchval(
                "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            )
        if waiting:
            return
        await asyncio.sleep(0.01)


async def test_a_second_process_waits_until_the_first_leaves(
    two_stores: tuple[SqlStore, SqlStore],
) -> None:
    a, b = two_stores
    order: list[str] = []

    async def second() -> None:
        async with b.exclusive("round:7"):
            order.append("b in")

    async with a.exclusive("round:7"):
        order.append("a in")
        waiting = asyncio.create_task(second())
        await asyncio.wait_for(_waiting_for_advisory_lock(a), 30)
        assert not waiting.done()
        order.append("a out")
    await waiting
    assert order == ["a in", "a out", "b in"]


async def test_a_failing_section_releases_its_lock(
    two_stores: tuple[SqlStore, SqlStore],
) -> None:
    a, b = two_stores
    with pytest.raises(RuntimeError):
        async with a.exclusive("k"):
            raise RuntimeError("boom")
    async with asyncio.timeout(30), b.exclusive("k"):
        pass


async def test_a_broken_lock_connection_ends_the_lock_and_not_the_section(
    two_stores: tuple[SqlStore, SqlStore],
) -> None:
    a, b = two_stores
    key = f"k-{uuid.uuid4().hex}"  # only this lock's session: other runs share the server
    lid = lock_id(key)
    async with a.exclusive(key), b.db.read() as c:  # the lock's session dies under it
        ended = await c.fetchval(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_locks "
            "WHERE locktype = 'advisory' AND granted AND classid = ? AND objid = ? "
            "AND objsubid = 1 AND pid <> pg_backend_pid()) AS t",
            ((lid >> 32) & 0xFFFFFFFF, lid & 0xFFFFFFFF),
        )
        assert ended == 1  # exactly the lock's own session
    async with asyncio.timeout(30), b.exclusive(key):
        pass
    async with asyncio.timeout(30), a.exclusive(key):  # the pool lives on
        assert await a.get_meta("nothing") is None


async def test_many_held_locks_leave_connections_for_the_sections_work() -> None:
    url = pg_url_or_skip()
    store = await open_store(url, pool_size=2)
    try:
        done: list[int] = []

        async def section(i: int) -> None:
            async with store.exclusive(f"key{i}"):
                await store.get_meta("x")  # needs a connection of its own
                done.append(i)

        async with asyncio.timeout(60):
            await asyncio.gather(*[section(i) for i in range(8)])
        assert sorted(done) == list(range(8))
    finally:
        await store.db.drop_schema()  # type: ignore[attr-defined]
        await store.close()
