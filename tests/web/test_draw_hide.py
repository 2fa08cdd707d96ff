"""The dashboard's Hide drawing button, over real HTTP on loopback, on SQLite and
PostgreSQL: a moderator of the drawing's community sees it on the item page and hides the
drawing for good (CSRF-checked); a moderator of another community gets 404 like a missing
page; an imported doodle has no button and no hiding."""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.core.engine import Engine
from storage import SqlStore
from tests.drawings.helpers import drawing_campaign, square
from tests.support.doodles import players, private, rows
from tests.web.dashboard_world import HEADER, Served, moderator_of, serve


async def _drawn(engine: Engine, store: SqlStore) -> tuple[int, int, int, int]:
    """Ann's drawing in a community's campaign: (community, campaign, item, drawing)."""
    campaign = await drawing_campaign(store)
    community = await store.upsert_community("telegram", "-100777", "Doodlers", 0.0)
    async with store.db.transaction() as tx:
        await tx.execute("UPDATE campaigns SET community_id = ?", (community.id,))
    engine.kernel.forget_campaign(campaign.id)
    (ann,) = await players(engine, "Ann")
    p = await engine.drawings.prompt(private(ann))
    done = await engine.drawings.submit(private(ann), p.id, square(), "telegram")
    ((item_id,),) = await rows(store, "SELECT item_id FROM drawings WHERE id = ?", done.drawing_id)
    return community.id, campaign.id, int(item_id), done.drawing_id


async def _post(web: Served, path: str, who: dict[str, str], form: dict[str, Any]) -> int:
    async with (
        aiohttp.ClientSession() as http,
        http.post(web.url + path, headers=who, data=form, allow_redirects=False) as r,
    ):
        return r.status


async def test_a_moderator_hides_a_drawing_from_the_item_page(
    engine: Engine, store: SqlStore
) -> None:
    community, campaign, item, drawing = await _drawn(engine, store)
    mod = moderator_of(community)
    page = f"/dashboard/campaigns/{campaign}/items/{item}"
    async with serve(engine) as web:
        status, _, html = await web.get(page, mod)
        assert status == 200 and "Hide drawing" in html and f"{page}/hide-drawing" in html
        assert await _post(web, f"{page}/hide-drawing", mod, {}) == 403  # no CSRF token
        stranger = {HEADER: f"mod:{community + 1}"}
        assert await _post(web, f"{page}/hide-drawing", stranger, {"csrf": "csrf-mod"}) == 404
        assert await _post(web, f"{page}/hide-drawing", mod, {"csrf": "csrf-mod"}) == 303
        _, _, after = await web.get(f"{page}?hidden=1", mod)
        assert "This drawing is hidden" in after
    hidden = await store.get_drawing(drawing)
    assert hidden is not None and hidden.hidden_at is not None


async def test_an_imported_doodle_has_no_hide_button(engine: Engine, store: SqlStore) -> None:
    community, campaign, item, _ = await _drawn(engine, store)
    mod = moderator_of(community)
    ((other,),) = await rows(store, "SELECT id FROM items WHERE id <> ? LIMIT 1", item)
    page = f"/dashboard/campaigns/{campaign}/items/{other}"
    async with serve(engine) as web:
        status, _, html = await web.get(page, mod)
        assert status == 200 and "Hide drawing" not in html
        assert await _post(web, f"{page}/hide-drawing", mod, {"csrf": "csrf-mod"}) == 404
