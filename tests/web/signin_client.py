"""Signing in as a browser would, for the web tests: a site (engine + web adapter on
loopback, over the `store` fixture's backend), the link /dashboard gives in chat, and a
cookie-keeping client that presses Continue."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest

from bot.config import WebSettings
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import PlayerRef
from bot.web.app import WebAdapter
from storage import SqlStore
from tests.support.engine import GENERAL, player
from tests.support.settings import settings_for

PUBLIC = "http://labels.example.org"
ADMIN = PlayerRef("telegram", "1", "Ada")
MOD = player(90, GENERAL, moderator=True)


@dataclass
class Site:
    engine: Engine
    web: WebAdapter
    clock: ManualClock

    async def link(self, ref: PlayerRef = MOD) -> str:
        """What /dashboard gives `ref` in chat, pointed at this server instead."""
        got = await self.engine.signin.dashboard_link(ref, public_url=PUBLIC, minutes=10)
        assert got.url in got.reply.text and got.reply.ephemeral
        return got.url.replace(PUBLIC, self.web.url)


def browser() -> aiohttp.ClientSession:
    """A client that keeps cookies for 127.0.0.1, as a browser does."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


def form_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


async def continue_(http: aiohttp.ClientSession, link: str) -> aiohttp.ClientResponse:
    """Open the link, press Continue: the POST's response (not followed)."""
    async with http.get(link) as page:
        assert page.status == 200
        html = await page.text()
    assert "Continue" in html
    base = link.split("/login")[0]
    async with http.post(f"{base}/login", data=form_fields(html), allow_redirects=False) as r:
        await r.read()
        return r


@pytest.fixture(name="site")
async def site_fixture(store: SqlStore, clock: ManualClock) -> AsyncIterator[Site]:
    engine = Engine(store, settings_for(":memory:", admins={"telegram": ["1"]}), clock)
    web = WebAdapter(engine, WebSettings(enabled=True, port=0, public_url=PUBLIC))
    await web.start()
    try:
        yield Site(engine, web, clock)
    finally:
        await web.stop()
        await engine.close()
