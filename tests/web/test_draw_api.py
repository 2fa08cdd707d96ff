"""The drawing page's endpoints over real HTTP on loopback, on SQLite and PostgreSQL, with the
real drawings feature: a Telegram Mini App player (initData signed with the bot's token) and a
Discord link holder each get a word and store a drawing whose strokes are the ones sent;
forged, expired or missing sign-in data is 401; a link works once, for its prompt only
(another player's token answers 404 like a missing one); an unconsented player is 403 with
nothing stored; malformed drawings are 400 naming the field; the page itself is static,
uses nothing, and keeps the CSP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.config import WebSettings
from bot.core.access.webapp import build_init_data
from bot.core.engine import Engine
from bot.web.app import WebAdapter
from storage import SqlStore
from tests.drawings.helpers import WORDS, drawing_campaign
from tests.support.doodles import person

BOT_TOKEN = "777:fake-bot-token-for-tests"
LOOPBACK = WebSettings(enabled=True, listen="127.0.0.1", port=0, public_url="https://x.test")
STROKES = [[[10, 20, 30], [5, 5, 6], [0, 16, 33]], [[40, 41], [50, 60], [500, 516]]]


@pytest.fixture
async def web(engine: Engine, store: SqlStore) -> AsyncIterator[WebAdapter]:
    await drawing_campaign(store)
    adapter = WebAdapter(engine, LOOPBACK, telegram_token=BOT_TOKEN)
    await adapter.start()
    try:
        yield adapter
    finally:
        await adapter.stop()


def init_data(engine: Engine, user_id: int = 4242, token: str = BOT_TOKEN, age: int = 5) -> str:
    user = {"id": user_id, "first_name": "Ada"}
    return build_init_data(user, token, auth_date=int(engine.now()) - age)


async def post(web: WebAdapter, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{web.url}{path}", json=body) as r,
    ):
        assert r.headers["Cache-Control"] == "no-store"
        return r.status, await r.json()


def drawing(prompt_id: int, **extra: Any) -> dict[str, Any]:
    return {"prompt_id": prompt_id, "width": 390, "height": 500, "strokes": STROKES, **extra}


async def consent(engine: Engine, user_id: int, platform: str = "telegram") -> None:
    ref = person(user_id, "Ada", channel=None)
    if platform != "telegram":
        ref = type(ref)(platform, str(user_id), "Ada")
    await engine.players.consent(ref, True)


async def test_a_mini_app_player_draws_and_the_strokes_are_stored(
    engine: Engine, store: SqlStore, web: WebAdapter
) -> None:
    await consent(engine, 4242)
    cred = {"init_data": init_data(engine)}
    status, prompt = await post(web, "/draw/prompt", cred)
    assert status == 200 and prompt["word"] in WORDS and prompt["seconds"] == 20
    status, done = await post(web, "/draw/submit", {**cred, **drawing(prompt["prompt_id"])})
    assert status == 201 and prompt["word"] in done["text"]
    stored = await store.get_drawing(done["drawing_id"])
    assert stored is not None and stored.platform == "telegram"
    assert json.loads(stored.raw) == STROKES and (stored.width, stored.height) == (390, 500)
    again = await post(web, "/draw/submit", {**cred, **drawing(prompt["prompt_id"])})
    assert again[0] == 400  # one drawing per prompt


async def test_forged_expired_or_missing_sign_in_data_is_401(
    engine: Engine, web: WebAdapter
) -> None:
    await consent(engine, 4242)
    for cred in (
        {"init_data": init_data(engine, token="999:another-bot")},
        {"init_data": init_data(engine, age=3601)},
        {"init_data": init_data(engine).replace("4242", "4243")},
        {},
    ):
        status, body = await post(web, "/draw/prompt", cred)
        assert status == 401 and body["error"], cred


async def test_an_unconsented_player_is_403_and_nothing_is_stored(
    engine: Engine, store: SqlStore, web: WebAdapter
) -> None:
    status, body = await post(web, "/draw/prompt", {"init_data": init_data(engine, 5151)})
    assert status == 403 and body["error"]
    async with store.db.read() as c:
        assert await c.fetchval("SELECT COUNT(*) FROM draw_prompts") == 0


async def test_a_link_works_once_and_only_for_its_prompt(
    engine: Engine, store: SqlStore, web: WebAdapter
) -> None:
    await consent(engine, 61, "discord")
    await consent(engine, 62, "discord")
    ann, bob = (type(person(1, "x"))("discord", str(n), "P") for n in (61, 62))
    mine = (await engine.draw_links.link(ann, public_url="https://x.test", minutes=10)).url
    theirs = (await engine.draw_links.link(bob, public_url="https://x.test", minutes=10)).url
    token, other = mine.split("token=")[1], theirs.split("token=")[1]
    async with aiohttp.ClientSession() as http, http.get(f"{web.url}/draw?token={token}") as r:
        assert r.status == 200  # opening the page (a preview) uses nothing
    status, prompt = await post(web, "/draw/prompt", {"token": token})
    assert status == 200
    assert (await post(web, "/draw/prompt", {"token": token}))[0] == 404  # used
    await post(web, "/draw/prompt", {"token": other})
    stolen = await post(web, "/draw/submit", {"token": other, **drawing(prompt["prompt_id"])})
    assert stolen[0] == 404
    status, done = await post(
        web, "/draw/submit", {"token": token, **drawing(prompt["prompt_id"])}
    )
    assert status == 201
    stored = await store.get_drawing(done["drawing_id"])
    assert stored is not None and stored.platform == "discord"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"strokes": []}, "strokes"),
        ({"width": 0}, "width"),
        ({"strokes": [[[1, 2], [1], [0, 5]]]}, "same length"),
        ({"strokes": [[[1, 2], [1, 2], [5, 0]]]}, "strokes[0] ts must never decrease"),
        ({"strokes": [[[1], [1], [9]], [[1], [1], [3]]]}, "strokes[1] ts must never decrease"),
        ({"strokes": [[["a"], [1], [0]]]}, "strokes[0] xs"),
        ({"prompt_id": "7"}, "prompt_id"),
    ],
)
async def test_a_malformed_drawing_is_400_naming_the_field(
    engine: Engine, web: WebAdapter, change: dict[str, Any], named: str
) -> None:
    await consent(engine, 4242)
    cred = {"init_data": init_data(engine)}
    _, prompt = await post(web, "/draw/prompt", cred)
    status, body = await post(
        web, "/draw/submit", {**cred, **drawing(prompt["prompt_id"]), **change}
    )
    assert status == 400 and named in body["error"], body


async def test_the_page_is_static_and_keeps_the_csp(web: WebAdapter) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{web.url}/draw") as r:
        html = await r.text()
        csp = r.headers["Content-Security-Policy"]
    assert r.status == 200 and csp.startswith("default-src 'self'")
    assert "telegram.org/js" not in html and "style=" not in html
    assert '<script src="/static/draw.js"' in html and "<script>" not in html
    assert BOT_TOKEN not in html


async def test_a_huge_body_is_413(web: WebAdapter) -> None:
    status, body = await post(web, "/draw/submit", {"token": "t", "pad": "x" * 600_000})
    assert status == 413 and "too large" in body["error"]
