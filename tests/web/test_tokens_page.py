"""`/dashboard/tokens` through real HTTP, signed in by a real link, on SQLite and PostgreSQL:
an admin lists, creates (the secret shown once, and it works on the API) and revokes tokens;
a moderator gets 404 like a missing page; forms need their CSRF field; bad values are named;
forgetting the admin anonymises the tokens they made."""

from __future__ import annotations

import re

import aiohttp

from bot.config import WebSettings
from bot.core.engine import Engine
from bot.core.kernel.errors import NotFound
from bot.core.kernel.models import PlayerRef
from bot.web.app import WebAdapter
from storage import SqlStore
from tests.support.engine import consented
from tests.support.settings import settings_for
from tests.web.signin_client import (
    ADMIN,
    MOD,
    Site,
    browser,
    continue_,
    form_fields,
    site_fixture,  # noqa: F401 - the `site` fixture
)

TOKEN_RE = re.compile(r"<code>(lq_\d+_[A-Za-z0-9_-]+)</code>")


async def signed_in(site: Site, http: aiohttp.ClientSession, ref: PlayerRef = ADMIN) -> str:
    """Sign `http` in as `ref`; the CSRF token of its session."""
    assert (await continue_(http, await site.link(ref))).status == 303
    async with http.get(f"{site.web.url}/dashboard") as page:
        return form_fields(await page.text())["csrf"]


async def test_an_admin_creates_sees_once_and_revokes_a_token(site: Site) -> None:
    community = (
        await site.engine.store.upsert_community("telegram", "-100", "Labelers", site.clock.now())
    ).id
    url = f"{site.web.url}/dashboard/tokens"
    async with browser() as http:
        csrf = await signed_in(site, http)
        async with http.get(url) as page:
            html = await page.text()
        assert page.status == 200 and "No API tokens yet" in html
        assert f'<option value="{community}">Labelers (telegram)</option>' in html
        form = {
            "csrf": csrf,
            "name": "pipeline",
            "access": "write",
            "communities": str(community),
            "expires_days": "30",
        }
        async with http.post(url, data=form) as created:
            assert created.status == 200
            html = await created.text()
        token = TOKEN_RE.search(html)
        assert token and "shown once" in html
        principal = await site.engine.access.verify(token.group(1))
        assert principal.can_write and principal.communities == {community}

        async with http.get(url) as page:
            listed = await page.text()
        assert token.group(1) not in listed  # never shown again
        assert "pipeline" in listed and "read+write" in listed and "telegram:1" in listed
        assert "Labelers (telegram)</td>" in listed
        assert "active" in listed

        revoke = re.search(r'action="(/dashboard/tokens/\d+/revoke)"', listed)
        assert revoke
        async with http.post(f"{site.web.url}{revoke.group(1)}", data={}) as refused:
            assert refused.status == 403  # no CSRF field: nothing revoked
        await site.engine.access.verify(token.group(1))
        async with http.post(f"{site.web.url}{revoke.group(1)}", data={"csrf": csrf}) as done:
            assert done.status == 200 and "revoked" in await done.text()
    try:
        await site.engine.access.verify(token.group(1))
    except NotFound:
        pass
    else:
        raise AssertionError("a revoked token still verifies")


async def test_bad_values_are_named(site: Site) -> None:
    url = f"{site.web.url}/dashboard/tokens"
    async with browser() as http:
        csrf = await signed_in(site, http)
        cases = [
            ({"name": "x", "communities": "one"}, "communities"),
            ({"name": "x", "expires_days": "soon"}, "expires_days"),
            ({"name": "x", "expires_days": "0"}, "days"),
            ({"name": ""}, "needs a name"),
            ({"name": "x", "communities": "424242"}, "no community with id 424242"),
        ]
        for fields, words in cases:
            async with http.post(url, data={"csrf": csrf, **fields}) as resp:
                assert resp.status == 400, fields
                assert words in await resp.text(), fields
    assert await site.engine.access.tokens() == []


async def test_a_moderator_gets_404_like_a_missing_page(site: Site) -> None:
    url = f"{site.web.url}/dashboard/tokens"
    async with browser() as http:
        csrf = await signed_in(site, http, MOD)
        async with http.get(url) as page:
            assert page.status == 404
            refused = await page.text()
        async with http.get(f"{site.web.url}/dashboard/no-such-page") as missing:
            assert missing.status == 404
            assert await missing.text() == refused
        async with http.post(url, data={"csrf": csrf, "name": "sneaky"}) as resp:
            assert resp.status == 404
        async with http.get(f"{site.web.url}/dashboard") as dash:
            assert "API tokens" not in await dash.text()  # not in the navigation
    assert await site.engine.access.tokens() == []


async def test_forgetting_the_admin_anonymises_their_tokens(site: Site) -> None:
    await consented(site.engine, ADMIN)
    async with browser() as http:
        csrf = await signed_in(site, http)
        form = {"csrf": csrf, "name": "nightly"}
        async with http.post(f"{site.web.url}/dashboard/tokens", data=form) as resp:
            assert resp.status == 200
    await site.engine.players.forget_confirm(ADMIN, True)
    (info,) = await site.engine.access.tokens()
    assert info.created_by.startswith("deleted:")


async def test_a_token_may_see_several_communities(site: Site) -> None:
    now = site.clock.now()
    one = (await site.engine.store.upsert_community("telegram", "-1", "One", now)).id
    two = (await site.engine.store.upsert_community("discord", "2", "Two", now)).id
    async with browser() as http:
        csrf = await signed_in(site, http)
        form = [("csrf", csrf), ("name", "both"), ("communities", str(one))]
        form.append(("communities", str(two)))
        async with http.post(f"{site.web.url}/dashboard/tokens", data=form) as resp:
            token = TOKEN_RE.search(await resp.text())
    assert token
    assert (await site.engine.access.verify(token.group(1))).communities == {one, two}


async def test_an_admin_removed_from_the_config_loses_the_page(
    site: Site, store: SqlStore
) -> None:
    demoted = Engine(store, settings_for(":memory:"), site.clock)  # [admins] now empty
    web = WebAdapter(demoted, WebSettings(enabled=True, port=0))
    await web.start()
    try:
        async with browser() as http:
            await signed_in(site, http)
            cookies = {c.key: c.value for c in http.cookie_jar}
            async with http.get(f"{web.url}/dashboard/tokens", cookies=cookies) as resp:
                assert resp.status == 404
    finally:
        await web.stop()
        await demoted.close()
