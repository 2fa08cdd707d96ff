"""The dashboard end to end in a real headless Chromium, signed in from chat: a bot admin sends
/dashboard to the Telegram bot (python-telegram-bot against the loopback fake, over a store the
demo filled), opens the link the bot sent in private, presses Continue, opens a campaign and
reads its charts, bulk-reviews two items of the review queue, and downloads an export. A
screenshot of every page is saved under `artifacts/screenshots/` (`flow-*.png`)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from bot.app import App
from bot.demo.run import HARD, run_demo
from tests.browser.helpers import DESKTOP, screenshot
from tests.support.settings import settings_for
from tests.support.telegram_world import ADMIN_ID, World, start
from tests.web.test_signin_telegram import PUBLIC, private_link, served

if TYPE_CHECKING:
    from playwright.async_api import Page

WEB = {"enabled": True, "port": 0, "public_url": PUBLIC}


async def signed_in_from_telegram(tg: World, page: Page) -> App:
    """The demo's store, the App on it; the admin's /dashboard link opened and continued."""
    await run_demo(settings_for(tg.db), players=12, items=60, seed=7, db=tg.db)
    app = await start(tg, web=WEB)
    admin = tg.person(ADMIN_ID, "Ada")
    await tg.fake.send_command(admin, admin, "/dashboard")
    link = served(app, str((await private_link(tg, ADMIN_ID)).params["text"]))
    assert app.web is not None
    base = app.web.url
    await page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    await page.goto(link)
    await screenshot(page, "flow-signin")
    await page.get_by_role("button", name="Continue").click()
    await page.wait_for_url(f"{base}/dashboard")
    return app


async def test_sign_in_from_telegram_review_two_items_and_download_an_export(
    tg: World, page: Page, browser_errors: list[str], tmp_path: Path
) -> None:
    await signed_in_from_telegram(tg, page)
    assert await page.inner_text("h1") == "Campaigns"
    assert "Ada" in await page.inner_text("nav")
    await screenshot(page, "flow-campaigns")

    await page.get_by_role("link", name="Shapes: is it?").click()
    charts = page.locator("svg[role=img]")
    assert await charts.count() == 3
    for i in range(3):
        chart = charts.nth(i)
        assert await chart.locator(":scope > title").count() == 1  # its name
        described = await chart.locator(":scope > desc").text_content()
        assert described and any(ch.isdigit() for ch in described)  # the data, as words
        box = await chart.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50
    await screenshot(page, "flow-campaign")

    await page.get_by_role("link", name="Review").first.click()
    section = page.locator("section.review", has_text=HARD)
    boxes = section.locator('input[name="item"]')
    waiting = await boxes.count()
    assert waiting >= 2
    picked = [await boxes.nth(i).get_attribute("value") for i in range(2)]
    for i in range(2):
        await boxes.nth(i).check()
    await section.locator('select[name="action"]').select_option("label")
    label = section.locator('input[name="label"]')
    await label.fill("hexagon")
    await label.press("Tab")  # close the label suggestions (a datalist) before pressing Apply
    await screenshot(page, "flow-review")
    async with page.expect_navigation():  # the POST, then its 303 back to the queue
        await section.get_by_role("button", name="Apply").click()
    assert "2 items labelled 'hexagon'" in await page.inner_text("main")
    after = page.locator("section.review", has_text=HARD).locator('input[name="item"]')
    assert await after.count() == waiting - 2
    await screenshot(page, "flow-review-done")

    await page.get_by_role("link", name="Exports").click()
    export = page.locator("section.export", has_text=HARD)
    await export.locator('select[name="format"]').select_option("csv")
    async with page.expect_download() as info:
        await export.get_by_role("button", name="Download").click()
    download = await info.value
    assert download.suggested_filename.endswith("-labels.csv")
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    rows = {r["item_id"]: r for r in csv.DictReader(io.StringIO(saved.read_text()))}
    assert all(rows[str(item)]["label"] == "hexagon" for item in picked)
    await screenshot(page, "flow-exports")
    # a download ends its navigation as "aborted" in Chromium: that one is not an error
    assert [e for e in browser_errors if "/dashboard/exports/download?" not in e] == []
