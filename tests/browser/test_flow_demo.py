"""Trying the dashboard without a bot, as docs/web.md tells: `run.py demo --db X`, then
`run.py web --db X --login-link ADMIN_ID` (real processes); the printed link opened in a real
headless Chromium signs the operator in, and every page of the dashboard is filled from the
demo's data. A screenshot of every page is saved under `artifacts/screenshots/`
(`page-*.png`, and `page-campaign-phone.png` at a phone's width)."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.helpers import DESKTOP, PHONE, screenshot
from tests.support.processes import REPO, START_TIMEOUT, run_env

if TYPE_CHECKING:
    from playwright.async_api import Page

CONFIG = '[web]\nlisten = "127.0.0.1"\nport = 0\n'


async def run_py(*args: str, cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(REPO / "run.py"),
        *args,
        cwd=cwd,
        env=run_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def printed_link(proc: asyncio.subprocess.Process, seen: list[str]) -> str:
    assert proc.stdout is not None
    while True:
        line = (await proc.stdout.readline()).decode(errors="replace")
        if not line:
            raise AssertionError("run.py web ended before printing a link:\n" + "".join(seen))
        seen.append(line)
        if "/login?token=" in line:
            return line.strip()


async def filled(page: Page, url: str, name: str, *, rows: int = 1) -> str:
    """Open `url`; assert it answered 200 with at least `rows` table rows; screenshot."""
    response = await page.goto(url)
    assert response is not None and response.status == 200, url
    assert await page.locator("main tbody tr").count() >= rows, url
    await screenshot(page, f"page-{name}")
    return await page.content()


@pytest.mark.skipif(os.name == "nt", reason="SIGTERM semantics are POSIX")
async def test_demo_then_web_login_link_fills_every_page(
    page: Page, browser_errors: list[str], tmp_path: Path
) -> None:
    (tmp_path / "my.toml").write_text(CONFIG, encoding="utf-8")
    db = str(tmp_path / "demo.db")
    common = ("--config", str(tmp_path / "my.toml"), "--db", db)
    demo = await run_py(*common, "demo", "--players", "12", "--items", "60", cwd=tmp_path)
    out, _ = await asyncio.wait_for(demo.communicate(), START_TIMEOUT)
    assert demo.returncode == 0, out.decode(errors="replace")

    web = await run_py(*common, "web", "--login-link", "ADMIN_ID", cwd=tmp_path)
    seen: list[str] = []
    try:
        link = await asyncio.wait_for(printed_link(web, seen), START_TIMEOUT)
        assert "operator ADMIN_ID" in "".join(seen)
        base = link.split("/login")[0]
        await page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
        await page.goto(link)
        await page.get_by_role("button", name="Continue").click()
        await page.wait_for_url(f"{base}/dashboard")
        await every_page(page, base)
    finally:
        if web.returncode is None:
            web.send_signal(signal.SIGTERM)
        rest, _ = await asyncio.wait_for(web.communicate(), timeout=30)
    text = "".join(seen) + rest.decode(errors="replace")
    assert web.returncode == 0 and "Traceback" not in text, text
    assert [e for e in browser_errors if "favicon" not in e] == []


async def every_page(page: Page, base: str) -> None:
    html = await filled(page, f"{base}/dashboard", "campaigns", rows=3)
    # the demo's verify campaign (image items, three charts); the list holds every game's
    first = re.search(r'href="(/dashboard/campaigns/\d+)">Shapes: is it\?</a>', html)
    assert first is not None
    campaign = base + first.group(1)
    await filled(page, campaign, "campaign", rows=0)
    assert await page.locator("svg[role=img]").count() == 3
    await page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    await screenshot(page, "page-campaign-phone")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than a phone's screen
    await page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    await filled(page, f"{campaign}/contributors", "contributors", rows=3)
    items = await filled(page, f"{campaign}/items?state=finalized", "items", rows=3)
    item = re.search(r'href="(/dashboard/campaigns/\d+/items/\d+)"', items)
    assert item is not None
    await filled(page, base + item.group(1), "item", rows=3)
    assert await page.locator("main img").count() == 1  # the item's image
    await filled(page, f"{base}/dashboard/review", "review", rows=2)
    await filled(page, f"{base}/dashboard/exports", "exports", rows=0)
    assert await page.locator("section.export").count() >= 3
    await filled(page, f"{base}/dashboard/audit", "audit", rows=3)
    await filled(page, f"{base}/dashboard/webhooks", "webhooks", rows=0)
    await filled(page, f"{base}/dashboard/tokens", "tokens", rows=0)
