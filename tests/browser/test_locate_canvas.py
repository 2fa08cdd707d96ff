"""The locate canvas in real headless Chromium, over the real web adapter, the real engine
and the real locate game (SQLite): opened from a Discord canvas link, two boxes are dragged
with the mouse, one is deleted with its ×, another is dragged, and the stored answer has the
boxes in the image's own pixels (within 2 px of what was dragged, whatever the scale the image
is shown at); a point campaign opened as the Telegram Mini App (initData in the URL fragment)
takes two taps (touch); a used or expired link shows the clear error. Nothing the page loads
is blocked by the CSP. Screenshot: `docs/images/locate-canvas.png` (committed)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from bot.config import WebSettings
from bot.core.access.webapp import build_init_data
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import PlayerRef
from bot.core.locate import texts
from bot.web.app import WebAdapter
from tests.browser.helpers import PHONE, REPO, screenshot
from tests.locate_web.world import WIDTH, locate_campaign, stored_answers

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

BOT_TOKEN = "777:fake-bot-token-for-browser-tests"
PUBLIC = "https://x.test"
SETTINGS = WebSettings(enabled=True, listen="127.0.0.1", port=0, public_url=PUBLIC)
DOC_IMAGE = REPO / "docs" / "images" / "locate-canvas.png"
Box = tuple[float, float, float, float]


@pytest.fixture
async def served(web_engine: Engine) -> AsyncIterator[WebAdapter]:
    adapter = WebAdapter(web_engine, SETTINGS, telegram_token=BOT_TOKEN)
    await adapter.start()
    try:
        yield adapter
    finally:
        await adapter.stop()


async def link_for(engine: Engine, served: WebAdapter, user: str = "61") -> str:
    """A Discord player's canvas link for their /play locate task, on the served address."""
    ann = PlayerRef("discord", user, "Ann")
    await engine.players.consent(ann, True)
    card = await engine.play.next_task(ann)
    assert card.round_id is not None
    link = await engine.locate.link(ann, card.round_id, public_url=PUBLIC, minutes=10)
    return link.url.replace(PUBLIC, served.url)


async def ready(tab: Page, url: str) -> tuple[float, float, float]:
    """Open the canvas; (left, top, scale of image pixels to screen pixels)."""
    await tab.goto(url)
    await tab.wait_for_selector("body[data-state=marking]")
    return await where(tab)


async def where(tab: Page) -> tuple[float, float, float]:
    """The canvas's (left, top, scale of image pixels to screen pixels) now."""
    box = await tab.locator("#canvas").bounding_box()
    assert box is not None
    return box["x"], box["y"], box["width"] / WIDTH


async def drag(tab: Page, at: tuple[float, float, float], box: Box) -> None:
    """Drag with the mouse from the box's top-left to its bottom-right (image pixels); the
    image must not have moved since `at` was read (the page keeps its layout still)."""
    ox, oy, scale = at
    assert await where(tab) == at
    x, y, w, h = box
    await tab.mouse.move(ox + x * scale, oy + y * scale)
    await tab.mouse.down()
    await tab.mouse.move(ox + (x + w) * scale, oy + (y + h) * scale, steps=6)
    await tab.mouse.up()


def close(got: list[float], want: Box | tuple[float, float], slack: float = 2.0) -> bool:
    return len(got) == len(want) and all(
        abs(g - w) <= slack for g, w in zip(got, want, strict=True)
    )


async def test_boxes_dragged_with_the_mouse_are_stored_in_image_pixels(
    web_engine: Engine, served: WebAdapter, page: Page, browser_errors: list[str]
) -> None:
    await locate_campaign(web_engine.store)  # type: ignore[arg-type]
    at = await ready(page, await link_for(web_engine, served))
    assert await page.text_content("#instruction") == "Box every red square"
    slip, second, third = (150, 200, 60, 50), (240, 120, 100, 100), (40, 50, 100, 100)
    await drag(page, at, slip)
    await drag(page, at, second)
    assert await page.locator("#marks li").count() == 2
    await page.get_by_label("Delete box 1").click()
    await drag(page, at, third)
    assert await page.locator("#marks li").count() == 2
    assert await page.text_content("#count") == "2 / 20"
    shot = await screenshot(page, "locate-canvas")
    DOC_IMAGE.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, DOC_IMAGE)
    await page.click("#submit")
    await page.wait_for_selector("body[data-state=submitted]")
    (answer,) = await stored_answers(web_engine.store)  # type: ignore[arg-type]
    boxes = sorted(answer["boxes"], key=lambda b: b[0])  # the slip deleted, the rest kept
    assert close(boxes[0], third) and close(boxes[1], second), boxes
    assert browser_errors == []


async def test_points_tapped_in_the_mini_app_are_stored(
    web_engine: Engine, served: WebAdapter, browser: Browser
) -> None:
    await locate_campaign(web_engine.store, shape="point", name="squares")  # type: ignore[arg-type]
    ada = PlayerRef("telegram", "4242", "Ada")
    await web_engine.players.consent(ada, True)
    user = {"id": 4242, "first_name": "Ada"}
    init = build_init_data(user, BOT_TOKEN, auth_date=int(web_engine.now()))
    context = await browser.new_context(viewport=PHONE, has_touch=True)  # type: ignore[arg-type]
    tab = await context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    ox, oy, scale = await ready(tab, f"{served.url}/locate#tgWebAppData={quote(init)}")
    assert await tab.text_content("#instruction") == "Tap every red square"
    for x, y in ((90, 100), (290, 170)):
        assert await where(tab) == (ox, oy, scale)  # the image never moves under the finger
        await tab.touchscreen.tap(ox + x * scale, oy + y * scale)
    assert await tab.locator("#marks li").count() == 2
    await tab.click("#submit")
    await tab.wait_for_selector("body[data-state=submitted]")
    (answer,) = await stored_answers(web_engine.store)  # type: ignore[arg-type]
    points = sorted(answer["points"])
    assert close(points[0], (90, 100)) and close(points[1], (290, 170)), points
    assert errors == []
    await context.close()


async def test_a_used_or_expired_link_shows_the_clear_error(
    web_engine: Engine, served: WebAdapter, page: Page
) -> None:
    await locate_campaign(web_engine.store)  # type: ignore[arg-type]
    url = await link_for(web_engine, served)
    at = await ready(page, url)
    await drag(page, at, (40, 50, 100, 100))
    await page.click("#submit")
    await page.wait_for_selector("body[data-state=submitted]")
    await page.goto(url)
    await page.wait_for_selector("body[data-state=failed]")
    assert await page.text_content("#status") == texts.LINK_USED
    later = await link_for(web_engine, served, "62")
    clock = web_engine.kernel.clock
    assert isinstance(clock, ManualClock)
    clock.advance(11 * 60)
    await page.goto(later)
    await page.wait_for_selector("body[data-state=failed]")
    assert await page.text_content("#status") == texts.LINK_USED
    assert len(await stored_answers(web_engine.store)) == 1  # type: ignore[arg-type]
