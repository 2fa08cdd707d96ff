"""The drawing page in real headless Chromium at phone size (390x844), over the real web
adapter and the real drawings feature (SQLite): opened as the Telegram Mini App (initData
built by the test, signed with the bot's token, in the URL fragment as Telegram passes it)
and from a Discord `/draw` link. Strokes are drawn with the mouse, with touch (CDP touch
events) and with a pen (CDP mouse events of pointerType pen), one is undone, the drawing is
submitted, and the stored strokes are the ones drawn: count, point order, t from 0 and never
decreasing. Nothing the page loads is blocked by the CSP. Screenshots: `draw-phone.png`,
`draw-phone-dark.png`."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from itertools import pairwise
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

from bot.config import WebSettings
from bot.core.access.webapp import build_init_data
from bot.core.engine import Engine
from bot.core.kernel.models import PlayerRef
from bot.core.quickdraw.labels import doodle_labels
from bot.web.app import WebAdapter
from storage import CampaignRow
from tests.browser.conftest import FAVICON
from tests.browser.helpers import PHONE, screenshot
from tests.drawings.helpers import drawing_campaign
from tests.support.doodles import person, players, rows

if TYPE_CHECKING:
    from playwright.async_api import Browser, CDPSession, ConsoleMessage, Page

BOT_TOKEN = "777:fake-bot-token-for-browser-tests"
SETTINGS = WebSettings(enabled=True, listen="127.0.0.1", port=0, public_url="https://x.test")
THEME = {"bg_color": "#fdf6e3", "text_color": "#222222", "button_color": "#2a7ae2"}
Line = list[tuple[float, float]]
MOD = person(1, "Mo", mod=True)
CAMPAIGNS: dict[Engine, CampaignRow] = {}


@pytest.fixture
async def served(web_engine: Engine) -> AsyncIterator[WebAdapter]:
    campaign = await drawing_campaign(web_engine.store)  # type: ignore[arg-type]
    CAMPAIGNS[web_engine] = campaign
    adapter = WebAdapter(web_engine, SETTINGS, telegram_token=BOT_TOKEN)
    await adapter.start()
    try:
        yield adapter
    finally:
        await adapter.stop()


async def phone(browser: Browser, errors: list[str], dark: bool = False) -> Page:
    context = await browser.new_context(
        viewport=PHONE,  # type: ignore[arg-type]
        has_touch=True,
        color_scheme="dark" if dark else "light",
    )
    tab = await context.new_page()

    def on_console(msg: ConsoleMessage) -> None:
        url = str(msg.location.get("url", ""))
        if msg.type == "error" and not url.endswith(FAVICON):
            errors.append(f"{msg.text} ({url})")

    tab.on("console", on_console)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    return tab


def line(x0: float, y0: float, x1: float, y1: float, n: int = 8) -> Line:
    return [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(n + 1)]


async def origin(tab: Page) -> tuple[float, float]:
    box = await tab.locator("#canvas").bounding_box()
    assert box is not None
    return box["x"], box["y"]


async def mouse_stroke(tab: Page, points: Line) -> None:
    ox, oy = await origin(tab)
    await tab.mouse.move(ox + points[0][0], oy + points[0][1])
    await tab.mouse.down()
    for x, y in points[1:]:
        await tab.mouse.move(ox + x, oy + y)
    await tab.mouse.up()


async def touch_stroke(tab: Page, cdp: CDPSession, points: Line) -> None:
    ox, oy = await origin(tab)
    kinds = ["touchStart"] + ["touchMove"] * (len(points) - 1)
    for kind, (x, y) in zip(kinds, points, strict=True):
        touch = {"x": ox + x, "y": oy + y, "id": 1}
        await cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [touch]})
    await cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


async def pen_stroke(tab: Page, cdp: CDPSession, points: Line) -> None:
    ox, oy = await origin(tab)
    moves = ["mousePressed"] + ["mouseMoved"] * (len(points) - 1)
    steps = [*zip(moves, points, strict=True), ("mouseReleased", points[-1])]
    for kind, (x, y) in steps:
        event: dict[str, Any] = {
            "type": kind,
            "x": ox + x,
            "y": oy + y,
            "pointerType": "pen",
            "button": "left",
            "buttons": 0 if kind == "mouseReleased" else 1,
            "clickCount": 1,
        }
        await cdp.send("Input.dispatchMouseEvent", event)


async def start(tab: Page, url: str) -> str:
    await tab.goto(url)
    await tab.click("#start")
    await tab.wait_for_selector("body[data-state=drawing]")
    return await tab.inner_text("#word")


async def submit(tab: Page) -> str:
    await tab.click("#submit")
    await tab.wait_for_selector("body[data-state=submitted]")
    return await tab.inner_text("#status")


async def stored(engine: Engine) -> tuple[str, list[list[list[float]]]]:
    async with engine.store.db.read() as c:  # type: ignore[attr-defined]
        row = await c.fetchone("SELECT platform, raw FROM drawings ORDER BY id DESC")
    return str(row[0]), json.loads(row[1])


async def crowd_labels(engine: Engine, word: str) -> None:
    """The drawing in a group's round (the campaign's imported doodles are all labelled
    already, so the round can only show it); two players recognise it; its label says so."""
    store: Any = engine.store
    campaign = CAMPAIGNS[engine]
    ((item_id,),) = await rows(store, "SELECT item_id FROM drawings ORDER BY id DESC")
    community = await store.upsert_community("telegram", "-100777", "Doodlers", 0.0)
    async with store.db.transaction() as tx:
        await tx.execute("UPDATE campaigns SET community_id = ?", (community.id,))
        await tx.execute("UPDATE tallies SET status = 'finalized' WHERE item_id <> ?", (item_id,))
    engine.kernel.forget_campaign(campaign.id)
    card = await engine.play.post_round(MOD)
    assert card.media is not None and card.media.kind == "animation"
    ((shown,),) = await rows(store, "SELECT item_id FROM rounds WHERE id = ?", card.round_id)
    assert shown == item_id
    engine.kernel.clock.advance(5)  # type: ignore[attr-defined]
    for guesser in await players(engine, "Bob", "Cy"):
        assert (await engine.quickdraw.guess(guesser, word)).text.startswith("✅")
    label = (await doodle_labels(store, campaign))[item_id]
    assert label.word == word and label.verdict.recognition_rate == 1.0


def assert_drawn(strokes: list[list[list[float]]], drawn: list[Line]) -> None:
    """Same stroke count; each stroke's points in order, near where they were drawn; t from
    0 and never decreasing across the drawing."""
    assert len(strokes) == len(drawn)
    times: list[float] = []
    for (xs, ys, ts), points in zip(strokes, drawn, strict=True):
        assert len(xs) == len(ys) == len(ts) and len(xs) >= 2
        assert abs(xs[0] - points[0][0]) <= 2 and abs(ys[0] - points[0][1]) <= 2
        assert abs(xs[-1] - points[-1][0]) <= 2 and abs(ys[-1] - points[-1][1]) <= 2
        step = 1 if points[-1][0] >= points[0][0] else -1
        assert all(step * (b - a) >= 0 for a, b in pairwise(xs))
        times += ts
    assert times[0] == 0 and times == sorted(times)


async def test_the_mini_app_path_draws_with_mouse_touch_and_pen(
    browser: Browser, served: WebAdapter, web_engine: Engine
) -> None:
    await web_engine.players.consent(PlayerRef("telegram", "4242", "Ada"), True)
    user = {"id": 4242, "first_name": "Ada"}
    data = build_init_data(user, BOT_TOKEN, auth_date=int(web_engine.now()))
    theme = quote(json.dumps(THEME), safe="")
    url = f"{served.url}/draw#tgWebAppData={quote(data, safe='')}&tgWebAppThemeParams={theme}"
    errors: list[str] = []
    tab = await phone(browser, errors)
    cdp = await tab.context.new_cdp_session(tab)
    word = await start(tab, url)
    drawn = [line(40, 60, 300, 80), line(60, 200, 320, 240), line(300, 300, 80, 320)]
    await mouse_stroke(tab, drawn[0])
    await touch_stroke(tab, cdp, drawn[1])
    await pen_stroke(tab, cdp, drawn[2])
    await mouse_stroke(tab, line(100, 350, 200, 360))
    await tab.click("#undo")  # takes back the last stroke only
    await screenshot(tab, "draw-phone")
    text = await submit(tab)
    assert word in text
    platform, strokes = await stored(web_engine)
    assert platform == "telegram"
    assert_drawn(strokes, drawn)
    assert errors == []
    await crowd_labels(web_engine, word)


async def test_the_discord_link_path_in_the_dark_theme(
    browser: Browser, served: WebAdapter, web_engine: Engine
) -> None:
    bea = PlayerRef("discord", "61", "Bea")
    await web_engine.players.consent(bea, True)
    link = await web_engine.draw_links.link(bea, public_url=served.url, minutes=10)
    errors: list[str] = []
    tab = await phone(browser, errors, dark=True)
    await start(tab, link.url)
    drawn = [line(50, 100, 330, 140), line(330, 400, 60, 380)]
    for points in drawn:
        await mouse_stroke(tab, points)
    await mouse_stroke(tab, line(80, 500, 90, 520))
    await tab.click("#undo")
    await screenshot(tab, "draw-phone-dark")
    await submit(tab)
    platform, strokes = await stored(web_engine)
    assert platform == "discord"
    assert_drawn(strokes, drawn)
    again = await phone(browser, errors)
    await again.goto(link.url)
    await again.click("#start")  # the link was used: the page says so
    await again.wait_for_selector("body[data-state=failed]")
    assert "already used" in await again.inner_text("#status")
    assert [e for e in errors if "/draw/prompt" not in e] == []  # the used link's 404 only
