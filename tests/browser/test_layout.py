"""The dashboard's layout and the operators' endpoints in a real headless Chromium, served by
the real web app over a real engine: readable on a phone and on a desktop, the stylesheet
applied, nothing blocked by the Content-Security-Policy, `/healthz` readable as JSON.

The page under test is rendered by a test-only route (`/test/layout`) with the production
`bot.web.layout.page` and a test `Viewer`; the pages of the dashboard get their own tests."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from aiohttp import web

from bot.core.engine import Engine
from bot.web.layout import esc, page
from bot.web.viewer import Viewer, viewer_of
from tests.browser.helpers import PHONE, AddRoutes, as_viewer, screenshot, serve, web_viewer

if TYPE_CHECKING:
    from playwright.async_api import Page

ROWS = [("Cats vs dogs", "active", "412 / 1,000"), ("Street signs", "paused", "90 / 250")]


def layout_route(body: str | None = None) -> AddRoutes:
    """A test-only page: a table in the production layout, for the signed-in viewer."""

    async def show(request: web.Request) -> web.Response:
        rows = "".join(
            f"<tr><td>{esc(a)}</td><td>{esc(b)}</td><td>{esc(c)}</td></tr>" for a, b, c in ROWS
        )
        table = (
            '<div class="table-wrap"><table><thead><tr><th>Campaign</th><th>Status</th>'
            f"<th>Progress</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )
        return page("Campaigns", table if body is None else body, viewer_of(request))

    def add(app: web.Application) -> None:
        app.router.add_get("/test/layout", show)

    return add


def signed_in(viewer: Viewer, body: str | None = None) -> list[AddRoutes]:
    return [as_viewer(viewer), layout_route(body)]


async def test_the_layout_is_readable_on_a_phone(
    page: Page, web_engine: Engine, browser_errors: list[str]
) -> None:
    await page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    async with serve(web_engine, signed_in(web_viewer(admin=False))) as served:
        response = await page.goto(f"{served.url}/test/layout")
        assert response is not None and response.status == 200
        shot = await screenshot(page, "layout-phone")
        width = await page.evaluate("document.documentElement.scrollWidth")
        heading = await page.inner_text("h1")
        nav = await page.locator("nav a").all_inner_texts()
        font = await page.evaluate("getComputedStyle(document.body).fontSize")
    assert width <= PHONE["width"], "the page scrolls sideways on a phone"
    assert heading == "Campaigns" and await page.title() == "Campaigns · LabelQuest"
    assert nav == ["Campaigns", "Review"]  # exports, audit, webhooks, tokens: admins only
    assert font == "16px"
    assert shot.is_file() and shot.stat().st_size > 0
    assert browser_errors == []


async def test_the_layout_on_a_desktop_shows_admins_everything(
    page: Page, web_engine: Engine, browser_errors: list[str]
) -> None:
    async with serve(web_engine, signed_in(web_viewer(admin=True, name="Root"))) as served:
        await page.goto(f"{served.url}/test/layout")
        await screenshot(page, "layout-desktop")
        nav = await page.locator("nav a").all_inner_texts()
        who = await page.inner_text("nav .who")
        main_width = await page.evaluate("document.querySelector('main').clientWidth")
        cells = await page.locator("tbody td").all_inner_texts()
    assert nav[-2:] == ["Webhooks", "API tokens"]
    assert who == "Root (admin)"
    assert main_width == 72 * 16  # max-width: 72rem (padding inside: border-box)
    assert cells[:3] == list(ROWS[0])
    assert browser_errors == []


async def test_the_stylesheet_loads_and_applies(
    page: Page, web_engine: Engine, browser_errors: list[str]
) -> None:
    async with serve(web_engine, signed_in(web_viewer(admin=False))) as served:
        sheets: list[tuple[int, str]] = []

        async def on_response(resp: object) -> None:
            from playwright.async_api import Response

            if isinstance(resp, Response) and resp.url.endswith("/static/dashboard.css"):
                sheets.append((resp.status, await resp.header_value("content-type") or ""))

        page.on("response", on_response)
        await page.goto(f"{served.url}/test/layout")
        await page.wait_for_load_state("load")
        styles = await page.evaluate(
            """() => {
                const s = (sel) => getComputedStyle(document.querySelector(sel));
                return {
                    sizing: s('body').boxSizing,
                    margin: s('body').margin,
                    collapse: s('table').borderCollapse,
                    listStyle: s('nav ul').listStyleType,
                    brandWeight: s('header .brand').fontWeight,
                };
            }"""
        )
    assert sheets and sheets[0][0] == 200 and sheets[0][1].startswith("text/css")
    assert styles == {
        "sizing": "border-box",
        "margin": "0px",
        "collapse": "collapse",
        "listStyle": "none",
        "brandWeight": "700",
    }
    assert browser_errors == []


async def test_the_sign_out_form_carries_the_csrf_field_and_names_are_escaped(
    page: Page, web_engine: Engine, browser_errors: list[str]
) -> None:
    viewer = web_viewer(admin=False, name="<script>alert(1)</script>")
    async with serve(web_engine, signed_in(viewer)) as served:
        await page.goto(f"{served.url}/test/layout")
        who = await page.inner_text("nav .who")
        form = page.locator("form.signout")
        action = await form.get_attribute("action")
        method = await form.get_attribute("method")
        csrf = await form.locator("input[name=csrf]").get_attribute("value")
        scripts = await page.locator("script").count()
    assert who == "<script>alert(1)</script>"  # shown as text, not run
    assert scripts == 0
    assert (action, method, csrf) == ("/logout", "post", "test-csrf-token")
    assert browser_errors == []


async def test_the_csp_check_sees_a_blocked_inline_script_and_style(
    page: Page, web_engine: Engine, browser_errors: list[str]
) -> None:
    """The control for the tests above: an inline script and a style attribute ARE reported,
    so "no errors" there means the policy blocked nothing."""
    body = '<p style="color: red">x</p><script>document.title = "ran"</script>'
    async with serve(web_engine, signed_in(web_viewer(admin=False), body)) as served:
        await page.goto(f"{served.url}/test/layout")
        title = await page.title()
        colour = await page.evaluate("getComputedStyle(document.querySelector('main p')).color")
    assert title == "Campaigns · LabelQuest"  # the inline script did not run
    assert colour != "rgb(255, 0, 0)"  # nor did the style attribute apply
    blocked = [e for e in browser_errors if "Content Security Policy" in e]
    assert any("inline script" in e for e in blocked), browser_errors
    assert any("inline style" in e for e in blocked), browser_errors


async def test_healthz_reads_as_json_in_the_browser(
    page: Page, web_engine: Engine, browser_errors: list[str]
) -> None:
    async with serve(web_engine) as served:
        response = await page.goto(f"{served.url}/healthz")
        assert response is not None
        kind = await response.header_value("content-type")
        body = json.loads(await response.text())
        await screenshot(page, "healthz")
    assert response.status == 200 and kind is not None and kind.startswith("application/json")
    assert body == {"status": "ok", "store": "ok", "leader": False}
    assert browser_errors == []
