"""Signing in to the dashboard through real HTTP on loopback, on SQLite and PostgreSQL: a
one-time link from /dashboard (the engine's use case, as chat calls it) opens a session
cookie; the link works once and for a while; pages under /dashboard need the session; CSRF
guards the sign-in and sign-out forms; forgetting a player ends their sessions."""

from __future__ import annotations

import asyncio
from http.cookies import SimpleCookie
from pathlib import Path

import aiohttp
import pytest

from bot.config import ConfigError, WebSettings, load_settings
from bot.core.kernel.errors import InvalidInput, PermissionDenied
from bot.web.app import WebAdapter
from tests.support.engine import GENERAL, consented, player
from tests.web.signin_client import (
    ADMIN,
    MOD,
    PUBLIC,
    Site,
    browser,
    continue_,
    form_fields,
    site_fixture,  # noqa: F401 - the `site` fixture
)


async def test_a_moderator_signs_in_once_with_the_link(site: Site) -> None:
    link = await site.link()
    async with browser() as http:
        # opening the link (as a chat preview would) uses nothing: twice is fine
        async with http.get(link) as first:
            assert first.status == 200
        resp = await continue_(http, link)
        assert resp.status == 303 and resp.headers["Location"] == "/dashboard"
        cookie = SimpleCookie(resp.headers["Set-Cookie"])["lq_session"]
        assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
        assert not cookie["secure"]  # served over http, public_url http://
        assert int(cookie["max-age"]) == 12 * 3600
        async with http.get(f"{site.web.url}/dashboard") as dash:
            assert dash.status == 200
            assert "Sign out" in await dash.text()
            assert dash.headers["Cache-Control"] == "no-store"

    async with browser() as other:  # the same link again, from anywhere: refused
        again = await continue_(other, link)
        assert again.status == 400
        async with other.get(f"{site.web.url}/dashboard") as dash:
            assert dash.status == 401


async def test_the_cookie_is_secure_when_the_public_url_is_https(site: Site) -> None:
    https = WebAdapter(site.engine, WebSettings(enabled=True, port=0, public_url="https://x.org"))
    await https.start()
    try:
        link = (await site.link()).replace(site.web.url, https.url)
        async with aiohttp.ClientSession() as http:
            async with http.get(link) as page:
                form = form_fields(await page.text())
                nonce = SimpleCookie(page.headers["Set-Cookie"])["lq_login"]
            assert nonce["secure"] and nonce["samesite"] == "Strict"
            headers = {"Cookie": f"lq_login={nonce.value}"}
            async with http.post(
                f"{https.url}/login", data=form, headers=headers, allow_redirects=False
            ) as resp:
                assert resp.status == 303
                assert SimpleCookie(resp.headers["Set-Cookie"])["lq_session"]["secure"]
    finally:
        await https.stop()


async def test_a_used_or_expired_link_says_so_and_what_to_do(site: Site) -> None:
    link = await site.link()
    site.clock.advance(10 * 60 + 1)
    async with browser() as http:
        resp = await continue_(http, link)
        assert resp.status == 400
        async with http.get(link) as page:
            form = form_fields(await page.text())
        async with http.post(f"{site.web.url}/login", data=form) as r:
            text = await r.text()
    assert "already used or has expired" in text and "/dashboard" in text


async def test_two_clicks_at_once_open_one_session(site: Site) -> None:
    link = await site.link()
    async with browser() as a, browser() as b:
        answers = await asyncio.gather(continue_(a, link), continue_(b, link))
    assert sorted(r.status for r in answers) == [303, 400]


async def test_dashboard_pages_need_a_session(site: Site) -> None:
    async with browser() as http:
        for path in ("/dashboard", "/dashboard/tokens", "/dashboard/anything"):
            async with http.get(f"{site.web.url}{path}") as resp:
                assert resp.status == 401
                assert "send /dashboard to the bot" in (await resp.text()).lower()
        http.cookie_jar.update_cookies({"lq_session": "forged"})
        async with http.get(f"{site.web.url}/dashboard") as resp:
            assert resp.status == 401


async def test_a_session_ends_after_its_hours(site: Site) -> None:
    async with browser() as http:
        await continue_(http, await site.link())
        site.clock.advance(11 * 3600)
        async with http.get(f"{site.web.url}/dashboard") as resp:
            assert resp.status == 200
        site.clock.advance(3600 + 1)
        async with http.get(f"{site.web.url}/dashboard") as resp:
            assert resp.status == 401


async def test_the_sign_in_form_needs_its_own_csrf_token(site: Site) -> None:
    link = await site.link()
    token = link.split("token=")[1]
    async with browser() as http:
        # a form posted from elsewhere: no form token cookie, or a wrong one
        async with http.post(f"{site.web.url}/login", data={"token": token}) as resp:
            assert resp.status == 403
        async with http.get(link) as page:
            form = form_fields(await page.text())
        form["csrf"] = "wrong"
        async with http.post(f"{site.web.url}/login", data=form) as resp:
            assert resp.status == 403
        # the link was not used by those: it still signs in
        assert (await continue_(http, link)).status == 303


async def test_sign_out_needs_csrf_and_ends_the_session(site: Site) -> None:
    async with browser() as http:
        await continue_(http, await site.link())
        async with http.get(f"{site.web.url}/dashboard") as dash:
            csrf = form_fields(await dash.text())["csrf"]
        for bad in ({}, {"csrf": "nope"}):
            async with http.post(f"{site.web.url}/logout", data=bad) as resp:
                assert resp.status == 403
        async with http.get(f"{site.web.url}/dashboard") as resp:
            assert resp.status == 200  # still signed in
        async with http.post(f"{site.web.url}/logout", data={"csrf": csrf}) as resp:
            assert resp.status == 200 and "signed out" in (await resp.text()).lower()
        async with http.get(f"{site.web.url}/dashboard") as resp:
            assert resp.status == 401


async def test_only_moderators_in_their_group_and_admins_get_a_link(site: Site) -> None:
    signin = site.engine.signin
    with pytest.raises(PermissionDenied, match="Only moderators and bot admins"):
        await signin.dashboard_link(player(5, GENERAL), public_url=PUBLIC, minutes=10)
    with pytest.raises(PermissionDenied):  # a moderator in a private chat has no community
        await signin.dashboard_link(player(90), public_url=PUBLIC, minutes=10)
    with pytest.raises(InvalidInput, match=r"\[web\] public_url"):
        await signin.dashboard_link(MOD, public_url="", minutes=10)
    admin = await signin.dashboard_link(ADMIN, public_url=PUBLIC, minutes=10)
    assert "every community" in admin.reply.text


async def test_forgetting_a_player_ends_their_sessions(site: Site) -> None:
    await consented(site.engine, MOD)
    async with browser() as http:
        await continue_(http, await site.link())
        async with http.get(f"{site.web.url}/dashboard") as resp:
            assert resp.status == 200
        await site.engine.players.forget_confirm(MOD, True)
        async with http.get(f"{site.web.url}/dashboard") as resp:
            assert resp.status == 401


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("login_link_minutes = 0", "[web] login_link_minutes: must be at least 1, got 0"),
        ("login_link_minutes = 2000", "[web] login_link_minutes: must be at most 1440"),
        ("session_hours = 0", "[web] session_hours: must be at least 0.05, got 0"),
        ('session_hours = "long"', "[web] session_hours"),
    ],
)
def test_bad_sign_in_settings_are_named(tmp_path: Path, line: str, says: str) -> None:
    config = tmp_path / "my.toml"
    config.write_text(f"[web]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config, environ={})
    assert says in str(caught.value)
