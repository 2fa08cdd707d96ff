"""Chat's scope rule on every route of the web side, through real HTTP on loopback (SQLite and
PostgreSQL), with a real session (signed in by the link `/dashboard` gives a moderator in
chat) and real API tokens: every route that names a campaign, an item, a webhook or a token
answers 404 for another community's object, exactly as for one that does not exist, while
the moderator's own community's pages answer. The routes are read off the served app, so a
route added later is checked too."""

from __future__ import annotations

import re

import aiohttp
from aiohttp import web

from bot.web.app import routes
from storage import SqlStore
from tests.support.engine import GENERAL
from tests.support.seeds import seed_campaign
from tests.web.signin_client import (  # noqa: F401 - site_fixture: the `site` fixture
    MOD,
    Site,
    browser,
    continue_,
    form_fields,
    site_fixture,
)
from tests.web.test_dashboard_pages import campaign_in, community

PARAM = re.compile(r"\{(\w+)\}")
ADMIN_ONLY = ("/dashboard/audit", "/dashboard/exports", "/dashboard/webhooks", "/dashboard/tokens")


def served_routes() -> list[tuple[str, str]]:
    """(method, path template) of every route with a path parameter, HEAD left out."""
    app = web.Application()
    for add in routes():
        add(app)
    out = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource is not None else {}
        path = info.get("formatter")
        if route.method != "HEAD" and path and PARAM.search(path):
            out.append((route.method, path))
    return out


def fill(template: str, campaign: int, item: int) -> str:
    values = {"id": campaign, "campaign": campaign, "item_id": item, "item": item}
    return PARAM.sub(lambda m: str(values.get(m.group(1), 1)), template)


async def objects(site: Site, store: SqlStore) -> tuple[int, int, int]:
    """(the moderator's community's campaign, another community's campaign, an item of both)."""
    shared = await seed_campaign(store, name="shared", items=2)  # image items
    ours = (await site.engine.kernel.channel(GENERAL)).community_id
    theirs = await community(store, "Elsewhere")
    item = (await store.campaign_items(shared.id))[0].id
    return (
        await campaign_in(store, shared, "ours", ours),
        await campaign_in(store, shared, "theirs", theirs),
        item,
    )


async def test_every_dashboard_route_is_404_for_another_communitys_objects(
    site: Site, store: SqlStore
) -> None:
    link = await site.link(MOD)
    ours, theirs, item = await objects(site, store)
    checked = 0
    async with browser() as http:
        assert (await continue_(http, link)).status == 303
        async with http.get(f"{site.web.url}/dashboard/review") as page:
            csrf = form_fields(await page.text()).get("csrf", "")
        for method, template in served_routes():
            if not template.startswith("/dashboard"):
                continue
            fields = {"csrf": csrf, "campaign": str(theirs), "item": str(item)}
            url = site.web.url + fill(template, theirs, item)
            async with http.request(method, url, data=fields if method == "POST" else None) as r:
                assert r.status == 404, (method, template, r.status)
                assert "theirs" not in await r.text() and "Elsewhere" not in await r.text()
            checked += 1
            if method == "GET" and not template.startswith(ADMIN_ONLY):
                own = site.web.url + fill(template, ours, item)
                async with http.get(own) as r:
                    assert r.status == 200, (template, r.status)  # the rule is not "404 always"
        for query in (f"review?campaign={theirs}", f"exports/download?campaign={theirs}"):
            async with http.get(f"{site.web.url}/dashboard/{query}") as r:
                assert r.status == 404, query
    assert checked >= 8


async def test_every_api_route_is_404_for_a_campaign_outside_the_token(
    site: Site, store: SqlStore
) -> None:
    ours, theirs, item = await objects(site, store)
    row = await store.get_campaign(ours)
    assert row is not None and row.community_id is not None
    community_id = row.community_id
    token = (
        await site.engine.access.create("pipeline", write=True, communities=[community_id])
    ).token
    headers = {"Authorization": f"Bearer {token}"}
    checked = 0
    async with aiohttp.ClientSession(headers=headers) as http:
        for method, template in served_routes():
            if not template.startswith("/api/v1"):
                continue
            body = (
                {"label": "red"} if method == "PUT" else {"items": [{"source": "x", "text": "x"}]}
            )
            url = site.web.url + fill(template, theirs, item)
            async with http.request(method, url, json=None if method == "GET" else body) as r:
                assert r.status == 404, (method, template, r.status)
                assert r.content_type == "application/problem+json"
                assert "theirs" not in await r.text()
            checked += 1
            if method == "GET":
                async with http.get(site.web.url + fill(template, ours, item)) as r:
                    assert r.status == 200, (template, r.status)
    assert checked >= 5
