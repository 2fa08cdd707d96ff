"""Fixtures of the browser tests: a headless system Chromium driven by Playwright.

Rules (see `tests/browser/helpers.py` for how the browser is found):
- `browser`: one headless Chromium per test, launched from the system's executable
  (`executable_path`), so Playwright never downloads a browser. With no Chromium (or no
  Playwright package) the test is SKIPPED with the reason, or FAILS naming what is missing
  when `LABELQUEST_REQUIRE_BROWSER=1` (CI).
- `page`: a fresh page at a desktop viewport whose console errors, uncaught page errors and
  failed requests are collected in `browser_errors` (a CSP violation is a console error), so
  a test can assert that nothing we serve is blocked.
- `web_engine`: an engine over a fresh SQLite file; the browser sees HTML, not the backend
  (the store itself is tested on both backends elsewhere).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import open_store
from tests.browser.helpers import DESKTOP, browser_required, find_chromium
from tests.support.settings import settings_for

FAVICON = "/favicon.ico"
"""Chromium asks every site for it unasked; the dashboard has none (a 404 is not ours)."""

if TYPE_CHECKING:
    from playwright.async_api import Browser, ConsoleMessage, Page, Request


def _missing(why: str) -> None:
    if browser_required():
        pytest.fail(f"LABELQUEST_REQUIRE_BROWSER=1 but {why}")
    pytest.skip(why)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    path, why = find_chromium()
    if path is None:
        _missing(why)
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        _missing("no Playwright: install the dev extra (python3 scripts/dev.py test does)")
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=path, headless=True)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
def browser_errors() -> list[str]:
    """What went wrong in the page: console errors, page errors, failed requests."""
    return []


@pytest.fixture
async def page(browser: Browser, browser_errors: list[str]) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    tab = await context.new_page()

    def on_console(msg: ConsoleMessage) -> None:
        url = str(msg.location.get("url", ""))
        if msg.type == "error" and not url.endswith(FAVICON):
            browser_errors.append(f"console: {msg.text} ({url})")

    def on_failed(request: Request) -> None:
        browser_errors.append(f"request failed: {request.url} ({request.failure})")

    tab.on("console", on_console)
    tab.on("pageerror", lambda exc: browser_errors.append(f"page error: {exc}"))
    tab.on("requestfailed", on_failed)
    try:
        yield tab
    finally:
        await context.close()


@pytest.fixture
async def web_engine(tmp_path: Path) -> AsyncIterator[Engine]:
    store = await open_store(str(tmp_path / "labelquest.db"))
    engine = Engine(store, settings_for(":memory:"), ManualClock())
    try:
        yield engine
    finally:
        await engine.close()
        await store.close()
