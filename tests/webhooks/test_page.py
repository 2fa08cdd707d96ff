"""The dashboard's webhooks page through real HTTP on loopback (SQLite and PostgreSQL), with
a test-only middleware standing in for the sign-in (the `X-Test-Viewer` header picks the
viewer; production code has no such header): admins only (404 for a moderator, like a
missing page), CSRF on every form, the secret shown once, bad input named, deliveries
listed."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import pytest
from aiohttp import web

from bot.config import WebSettings
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import PlayerRef
from bot.core.kernel.scope import Actor
from bot.core.webhooks import DispatchRules
from bot.web import layout, webhooks_page
from bot.web.app import build_app
from bot.web.metrics import WebMetrics
from bot.web.viewer import VIEWER, Viewer
from bot.web.webhooks_out import HttpSender
from storage import SqlStore
from tests.support.engine import vote_round
from tests.support.seeds import seed_campaign
from tests.webhooks.receiver import Receiver

CSRF = "test-csrf-token"
VIEWERS = {
    "admin": Viewer(Actor(PlayerRef("telegram", "1", "Ada"), True, None, False), "Ada", CSRF, 1),
    "mod": Viewer(Actor(PlayerRef("telegram", "2", "Mo"), False, 5, True), "Mo", CSRF, 2),
}
PAGE = "/dashboard/webhooks"


@web.middleware
async def as_viewer(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    who = request.headers.get("X-Test-Viewer")
    if who in VIEWERS:
        request[VIEWER] = VIEWERS[who]
    return await handler(request)


@pytest.fixture
async def site(engine: Engine) -> AsyncIterator[str]:
    def with_viewer(app: web.Application) -> None:
        app.middlewares.append(as_viewer)

    settings = WebSettings(enabled=True, listen="127.0.0.1", port=0)
    app = build_app(
        engine,
        settings,
        metrics=WebMetrics(engine),
        add=[with_viewer, layout.add_routes, webhooks_page.add_routes],
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def fetch(
    base: str, path: str, who: str, form: dict[str, str] | None = None
) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as http:
        call = (
            http.get(f"{base}{path}", headers={"X-Test-Viewer": who}, allow_redirects=False)
            if form is None
            else http.post(
                f"{base}{path}", data=form, headers={"X-Test-Viewer": who}, allow_redirects=False
            )
        )
        async with call as resp:
            return resp.status, resp.headers.get("Location", ""), await resp.text()


async def test_admins_add_see_and_remove_webhooks_with_the_secret_shown_once(
    site: str, store: SqlStore
) -> None:
    await seed_campaign(store)
    status, _, html = await fetch(site, PAGE, "admin")
    assert status == 200 and "No webhooks yet." in html and '<option value="colours">' in html
    url = "https://ml.example.org/hook?a=1&b=<2>"
    form = {"csrf": CSRF, "campaign": "colours", "url": url}
    status, _, html = await fetch(site, PAGE, "admin", form)
    assert status == 200 and "shown only this once" in html
    secret = re.search(r"whsec_[A-Za-z0-9_-]+", html)
    assert secret is not None
    assert "https://ml.example.org/hook?a=1&amp;b=&lt;2&gt;" in html  # escaped
    status, _, html = await fetch(site, PAGE, "admin")
    assert secret.group(0) not in html and secret.group(0)[:14] + "…" in html
    assert 'action="/dashboard/webhooks/1/remove"' in html

    status, where, _ = await fetch(site, f"{PAGE}/1/remove", "admin", {"csrf": CSRF})
    assert (status, where) == (303, PAGE)
    _, _, html = await fetch(site, PAGE, "admin")
    assert "removed" in html and 'action="/dashboard/webhooks/1/remove"' not in html


async def test_moderators_get_404_and_forms_need_the_csrf_field(
    site: str, store: SqlStore
) -> None:
    await seed_campaign(store)
    form = {"campaign": "colours", "url": "https://ml.example.org/hook"}
    assert (await fetch(site, PAGE, "admin", form))[0] == 403  # no csrf field
    assert (await fetch(site, PAGE, "admin", {**form, "csrf": "wrong"}))[0] == 403
    assert (await fetch(site, PAGE, "admin", {**form, "csrf": CSRF}))[0] == 200
    for path, post in [(PAGE, None), (f"{PAGE}/1", None), (PAGE, form), (f"{PAGE}/1/remove", {})]:
        status, _, html = await fetch(
            site, path, "mod", None if post is None else {**post, "csrf": CSRF}
        )
        assert status == 404 and "whsec_" not in html and "ml.example.org" not in html
    missing = await fetch(site, f"{PAGE}/99", "admin")
    hidden = await fetch(site, f"{PAGE}/1", "mod")
    assert missing[0] == hidden[0] == 404


async def test_bad_input_is_named_above_the_form(site: str, store: SqlStore) -> None:
    await seed_campaign(store)
    for form, message in [
        ({"campaign": "colours", "url": "ftp://x.org/a"}, "url: must be an http:// or https://"),
        ({"campaign": "colours", "url": ""}, "url: give the URL"),
        ({"campaign": "nope", "url": "https://x.org/a"}, "campaign: there is no campaign named"),
        ({"url": "https://x.org/a"}, "campaign: choose a campaign"),
    ]:
        status, _, html = await fetch(site, PAGE, "admin", {**form, "csrf": CSRF})
        assert status == 400 and message in html, html
    status, _, html = await fetch(
        site, PAGE, "admin", {"campaign": "colours", "url": "http://x.org/a", "csrf": CSRF}
    )
    assert status == 200 and "plain http" in html


async def test_a_webhooks_deliveries_are_listed_with_their_status(
    site: str, engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_campaign(store, game="classify", items=4, min_overlap=2, max_overlap=3)
    receiver = await Receiver(now=clock.now, statuses=[500]).start()
    sender = HttpSender()
    try:
        form = {"csrf": CSRF, "campaign": "colours", "url": receiver.url}
        assert (await fetch(site, PAGE, "admin", form))[0] == 200
        await vote_round(engine, clock, ["red", "red"], first=1)
        await engine.webhooks.dispatcher(DispatchRules()).run_once(sender)
    finally:
        await sender.close()
        await receiver.stop()
    status, _, html = await fetch(site, f"{PAGE}/1", "admin")
    assert status == 200 and "pending" in html and "500" in html and "evt_" in html
