"""The locate canvas's endpoints over real HTTP on loopback, on SQLite and PostgreSQL, with
the real engine and the real locate game: a Mini App player (initData signed with the bot's
token) gets their image and stores boxes in image pixels; a Discord link holder does the same
for the round the link is bound to, once; refusals (no consent, another player's round, a
closed round, a link reused, expired or altered, bad JSON, a body too big, the wrong shape)
answer JSON naming what is wrong and store nothing."""

from __future__ import annotations

import base64
import io
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from PIL import Image

from bot.config import WebSettings
from bot.core.access.webapp import build_init_data
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import PlayerRef
from bot.core.locate import texts
from bot.web.app import WebAdapter
from storage import SqlStore
from tests.locate_web.world import HEIGHT, INSTRUCTION, WIDTH, locate_campaign, stored_answers

BOT_TOKEN = "777:fake-bot-token-for-tests"
PUBLIC = "https://x.test"
LOOPBACK = WebSettings(enabled=True, listen="127.0.0.1", port=0, public_url=PUBLIC)
BOXES = {"boxes": [[40.04, 50, 100, 100], [240, 120, 100, 100.06]]}


@pytest.fixture
async def web(engine: Engine, store: SqlStore) -> AsyncIterator[WebAdapter]:
    elsewhere = await store.upsert_community("telegram", "-100elsewhere", "Elsewhere", 0.0)
    await locate_campaign(store, name="sealed", community_id=elsewhere.id)  # never offered
    await locate_campaign(store)
    adapter = WebAdapter(engine, LOOPBACK, telegram_token=BOT_TOKEN)
    await adapter.start()
    try:
        yield adapter
    finally:
        await adapter.stop()


def init_data(engine: Engine, user_id: int = 4242) -> dict[str, str]:
    user = {"id": user_id, "first_name": "Ada"}
    return {"init_data": build_init_data(user, BOT_TOKEN, auth_date=int(engine.now()) - 5)}


async def post(web: WebAdapter, path: str, body: Any) -> tuple[int, dict[str, Any]]:
    data = body if isinstance(body, bytes) else None
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{web.url}{path}", json=None if data else body, data=data) as r,
    ):
        assert r.headers["Cache-Control"] == "no-store"
        return r.status, await r.json()


async def consented(engine: Engine, user_id: int, platform: str = "telegram") -> PlayerRef:
    ref = PlayerRef(platform, str(user_id), "Ada")
    await engine.players.consent(ref, True)
    return ref


async def test_a_mini_app_player_marks_boxes_stored_in_image_pixels(
    engine: Engine, store: SqlStore, web: WebAdapter
) -> None:
    await consented(engine, 4242)
    status, task = await post(web, "/locate/task", init_data(engine))
    assert status == 200, task
    assert (task["width"], task["height"], task["shape"]) == (WIDTH, HEIGHT, "box")
    assert task["instruction"] == INSTRUCTION["box"] and task["max_marks"] == 20
    image = Image.open(io.BytesIO(base64.b64decode(task["image"])))
    assert image.size == (WIDTH, HEIGHT) and task["mime"] == "image/png"
    again = await post(web, "/locate/task", init_data(engine))
    assert again[1]["round_id"] == task["round_id"]  # the task held comes back
    body = {**init_data(engine), "round_id": task["round_id"], "answer": BOXES}
    status, done = await post(web, "/locate/submit", body)
    assert status == 201 and done["text"]
    assert await stored_answers(store) == [{"boxes": [[40, 50, 100, 100], [240, 120, 100, 100.1]]}]
    status, said = await post(web, "/locate/submit", body)
    assert status == 409 and "already" in said["error"]
    assert len(await stored_answers(store)) == 1


async def test_a_link_opens_its_round_once(
    engine: Engine, store: SqlStore, web: WebAdapter
) -> None:
    ann = await consented(engine, 61, "discord")
    card = await engine.play.next_task(ann)
    assert card.round_id is not None
    assert card.choices[0][0].label == texts.OPEN_CANVAS
    link = await engine.locate.link(ann, card.round_id, public_url=PUBLIC, minutes=10)
    token = link.url.split("token=")[1]
    async with aiohttp.ClientSession() as http, http.get(f"{web.url}/locate?token={token}") as r:
        assert r.status == 200  # opening the page (a preview) uses nothing
        assert r.headers["Content-Security-Policy"].startswith("default-src 'self'")
    status, task = await post(web, "/locate/task", {"token": token})
    assert status == 200 and task["round_id"] == card.round_id
    forged = token.rsplit(".", 2)[0] + f".{card.round_id + 1}."
    assert (await post(web, "/locate/task", {"token": forged}))[0] == 404
    points = {"token": token, "round_id": card.round_id, "answer": {"points": [[5, 5]]}}
    status, said = await post(web, "/locate/submit", points)
    assert status == 400 and "box" in said["error"]  # the campaign's shape: nothing stored
    assert await stored_answers(store) == []
    body = {"token": token, "round_id": card.round_id, "answer": {"boxes": [[1, 2, 30, 40]]}}
    assert (await post(web, "/locate/submit", body))[0] == 201
    assert await stored_answers(store) == [{"boxes": [[1, 2, 30, 40]]}]
    status, said = await post(web, "/locate/task", {"token": token})
    assert status == 404 and said["error"] == texts.LINK_USED


async def test_an_expired_link_is_refused(
    engine: Engine, clock: ManualClock, web: WebAdapter
) -> None:
    ann = await consented(engine, 62, "discord")
    card = await engine.play.next_task(ann)
    assert card.round_id is not None
    link = await engine.locate.link(ann, card.round_id, public_url=PUBLIC, minutes=10)
    clock.advance(11 * 60)
    status, said = await post(web, "/locate/task", {"token": link.url.split("token=")[1]})
    assert status == 404 and said["error"] == texts.LINK_USED


async def test_refusals_name_the_problem_and_store_nothing(
    engine: Engine, store: SqlStore, web: WebAdapter
) -> None:
    status, said = await post(web, "/locate/task", init_data(engine, 5151))
    assert status == 403 and said["error"]  # not consented
    await consented(engine, 4242)
    await consented(engine, 4343)
    _, task = await post(web, "/locate/task", init_data(engine))
    rid = task["round_id"]
    theirs = {**init_data(engine, 4343), "round_id": rid, "answer": BOXES}
    assert (await post(web, "/locate/submit", theirs))[0] in (403, 404)
    assert (await post(web, "/locate/task", {**init_data(engine, 4343), "round_id": rid}))[
        0
    ] == 404
    mine = {**init_data(engine), "round_id": rid}
    cases: list[tuple[Any, int, str]] = [
        (b"{not json", 400, "JSON"),
        ({**mine, "answer": "[1, 2]"}, 400, "answer"),
        ({**mine, "answer": {"boxes": [[1, 2, 3]]}}, 400, "box"),
        ({**mine, "answer": {"boxes": [[390, 290, 50, 50]]}}, 400, ""),
        ({**mine, "answer": {"boxes": [[0, 0, 1, 1]] * 21}}, 400, "20"),
        ({**mine, "answer": {"points": [[5, 5]]}}, 400, ""),
        ({**mine, "answer": {"boxes": [[1, 1, 2, 2]] * 50_000}}, 413, "large"),
    ]
    for body, want, words in cases:
        status, said = await post(web, "/locate/submit", body)
        assert status == want and words in said["error"], body if len(str(body)) < 200 else want
    status, said = await post(web, "/locate/submit", {"round_id": rid, "answer": BOXES})
    assert status == 401 and "Open the canvas" in said["error"]  # no credential
    assert await stored_answers(store) == []
    await engine.play.skip(PlayerRef("telegram", "4242", "Ada"), rid)
    status, said = await post(web, "/locate/submit", {**mine, "answer": BOXES})
    assert status == 409 and said["error"]
    assert await stored_answers(store) == []


async def test_another_communitys_campaign_is_never_offered(
    engine: Engine, store: SqlStore, web: WebAdapter
) -> None:
    """Communities are sealed: every task comes from the shared campaign, never from the
    campaign of a community the player is not in, and its rounds answer like missing ones."""
    for user in range(4242, 4246):
        await consented(engine, user)
        status, task = await post(web, "/locate/task", init_data(engine, user))
        assert status == 200 and task["campaign"] == "bikes"
    status, said = await post(web, "/locate/task", init_data(engine, 4246))
    assert status == 403 and said["error"]  # not consented: nothing reserved
    async with store.db.read() as c:
        sealed = await c.fetchval("SELECT id FROM campaigns WHERE name = 'sealed'")
        held = await c.fetchval("SELECT COUNT(*) FROM rounds WHERE campaign_id = ?", (sealed,))
    assert held == 0
