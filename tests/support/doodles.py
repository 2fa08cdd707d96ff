"""Helpers of the quick-draw tests: doodle campaigns from generated drawings, people in a
group, and a look into what was stored."""

from __future__ import annotations

from typing import Any

from bot.core.campaigns.importing import make_spec
from bot.core.campaigns.quickdraw_import import import_drawings
from bot.core.engine import Engine
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef
from bot.demo.doodles import demo_drawing
from storage import SqlStore
from storage.rows import CampaignRow
from tests.support.settings import settings_for

GROUP = ChannelRef(
    "telegram", "-100777", "Doodlers", Kind.GROUP, CommunityRef("telegram", "-100777", "Doodlers")
)


async def doodle_campaign(
    store: SqlStore,
    words: tuple[str, ...] = ("cat",),
    *,
    name: str = "Doodles",
    now: float = 1_767_225_600.0,
    min_overlap: int = 3,
) -> CampaignRow:
    """A quick-draw campaign with one generated doodle per word, in that order."""
    drawings = [demo_drawing(w, i) for i, w in enumerate(words)]
    spec = make_spec(
        settings_for(":memory:"),
        name,
        "quickdraw",
        min_overlap=min_overlap,
        max_overlap=max(7, min_overlap),
        gold_rate=0.0,
    )
    return await import_drawings(store, drawings, spec, now=now)


def person(n: int, name: str, channel: ChannelRef | None = GROUP, mod: bool = False) -> PlayerRef:
    return PlayerRef("telegram", str(n), name, channel, mod)


def private(ref: PlayerRef) -> PlayerRef:
    chat = ChannelRef(ref.platform, ref.external_id, "private chat", Kind.PRIVATE)
    return PlayerRef(ref.platform, ref.external_id, ref.display_name, chat)


async def players(engine: Engine, *names: str) -> list[PlayerRef]:
    """Consented players in GROUP, ids 100, 101, ..."""
    refs = [person(100 + i, n) for i, n in enumerate(names)]
    for ref in refs:
        await engine.players.consent(ref, True)
    return refs


async def rows(store: SqlStore, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    async with store.db.read() as c:
        return [tuple(r) for r in await c.fetch(sql, params)]  # type: ignore[arg-type]
