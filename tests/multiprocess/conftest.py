"""Two engines over one PostgreSQL schema, as two processes would run them: each its own
`SqlStore` (its own connection pool), kernel and caches, sharing only the database (and one
clock, the wall clock every process reads). PostgreSQL only: one SQLite file has one process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.events import ChannelPost, PlayerNotice
from storage import SqlStore, open_store
from tests.support.settings import settings_for
from tests.support.stores import pg_url_or_skip

ADMIN = "1"


@dataclass
class Pair:
    """Engines `a` and `b` over one database, with what each published on its bus."""

    a: Engine
    b: Engine
    clock: ManualClock
    posts: list[ChannelPost] = field(default_factory=list)
    notices: list[PlayerNotice] = field(default_factory=list)

    @property
    def store(self) -> SqlStore:
        return self.a.store  # type: ignore[return-value]

    async def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        async with self.store.db.read() as c:
            return [tuple(r) for r in await c.fetch(sql, params)]  # type: ignore[arg-type]


def _listen(pair: Pair, engine: Engine) -> None:
    def seen(ev: object) -> None:
        if isinstance(ev, ChannelPost):
            pair.posts.append(ev)
        elif isinstance(ev, PlayerNotice):
            pair.notices.append(ev)

    engine.bus.subscribe(seen)


MakePair = Callable[..., Any]


@pytest.fixture
async def make_pair() -> AsyncIterator[MakePair]:
    """`await make_pair(**sections)`: a `Pair` whose engines use the shipped settings with
    these section overrides (e.g. `quickdraw={"players_to_end": 20}`)."""
    url = pg_url_or_skip()
    opened: list[tuple[Engine, SqlStore]] = []

    async def make(**sections: dict[str, Any]) -> Pair:
        settings = settings_for(
            ":memory:",
            admins={"telegram": [ADMIN]},
            campaigns={"hours": "all"},
            **sections,
        )
        clock = ManualClock()
        engines = []
        for _ in range(2):
            store = await open_store(url)
            engine = Engine(store, settings, clock)
            opened.append((engine, store))
            engines.append(engine)
        pair = Pair(engines[0], engines[1], clock)
        for engine in engines:
            _listen(pair, engine)
        return pair

    try:
        yield make
    finally:
        for engine, _ in opened:
            await engine.close()
        if opened:
            await opened[0][1].db.drop_schema()  # type: ignore[attr-defined]
        for _, store in opened:
            await store.close()
