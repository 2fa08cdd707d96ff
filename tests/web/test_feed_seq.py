"""The label feed's cursor is the label event `seq` (SQLite and PostgreSQL, real HTTP on
loopback): an expert label after the crowd's sends the item again with its new label,
review and completion are recorded as events, and with two engines on one PostgreSQL
finalizing at once a reader paging meanwhile misses nothing and sees nothing twice."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.config import WebSettings
from bot.core.engine import Engine
from bot.core.exports.labels import label_rows
from bot.core.kernel.clock import ManualClock
from bot.web.app import WebAdapter
from storage import ReviewLogEntry, SqlStore
from tests.multiprocess.conftest import MakePair, make_pair  # noqa: F401 (the fixture)
from tests.support.engine import GENERAL, answer_payload, player, vote_round
from tests.support.seeds import seed_campaign

LOOPBACK = WebSettings(enabled=True, listen="127.0.0.1", port=0)
MOD = player(90, GENERAL, moderator=True)


@pytest.fixture
async def served(engine: Engine) -> AsyncIterator[WebAdapter]:
    web = WebAdapter(engine, LOOPBACK)
    await web.start()
    try:
        yield web
    finally:
        await web.stop()


async def page(web: WebAdapter, campaign_id: int, token: str, since: str | None) -> Any:
    query = "limit=3" + ("" if since is None else f"&since={since}")
    url = f"{web.url}/api/v1/campaigns/{campaign_id}/labels?{query}"
    async with (
        aiohttp.ClientSession() as http,
        http.get(url, headers={"Authorization": f"Bearer {token}"}) as resp,
    ):
        assert resp.status == 200, await resp.text()
        return await resp.json()


def expert(campaign_id: int, item_id: int, at: float) -> ReviewLogEntry:
    return ReviewLogEntry("label", "cli", at, None, campaign_id, item_id, None, {})


async def test_an_expert_label_after_the_crowd_sends_the_item_again_with_its_new_label(
    served: WebAdapter, engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=4, min_overlap=2, max_overlap=3)
    token = (await engine.access.create("pipeline")).token
    item = await vote_round(engine, clock, ["blue", "blue"], first=1)
    first = await page(served, camp.id, token, None)
    assert [(r["item_id"], r["label"], r["expert"]) for r in first["labels"]] == [
        (item, "blue", False)
    ]
    await store.set_expert_label(camp.id, item, "red", expert(camp.id, item, clock.now()))
    again = await page(served, camp.id, token, first["next"])
    assert [(r["item_id"], r["label"], r["expert"]) for r in again["labels"]] == [
        (item, "red", True)
    ]
    assert again["next"] != first["next"]
    assert await page(served, camp.id, token, again["next"]) == {"labels": [], "next": None}


async def test_review_and_completion_are_label_events_in_commit_order(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=2, min_overlap=2, max_overlap=3)
    split = await vote_round(engine, clock, ["red", "green", "blue"], first=1)
    agreed = await vote_round(engine, clock, ["blue", "blue"], first=10)
    await store.set_expert_label(camp.id, split, "red", expert(camp.id, split, clock.now()))
    assert await store.change_campaign_status(camp.id, ("active",), "completed", clock.now())
    events = await store.label_events(camp.id, 0, 100)
    assert [(e.kind, e.item_id) for e in events] == [
        ("item.needs_review", split),
        ("label.finalized", agreed),
        ("label.finalized", split),
        ("campaign.completed", None),
    ]
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    assert await store.label_events(camp.id, events[1].seq, 100, "label.finalized") == [events[2]]


ITEMS = 12
VOTERS = 6


async def test_two_engines_finalizing_while_a_reader_pages_miss_nothing_and_repeat_nothing(
    make_pair: MakePair,  # noqa: F811
) -> None:
    pair = await make_pair(game={"max_open_rounds_per_channel": ITEMS})
    camp = await seed_campaign(pair.store, items=ITEMS, min_overlap=2, max_overlap=2)
    refs = [player(i + 1, GENERAL) for i in range(VOTERS)]
    for i, ref in enumerate(refs):
        await (pair.a if i % 2 else pair.b).players.consent(ref, True)
    cards = [await pair.a.play.post_round(MOD) for _ in range(ITEMS)]
    pair.clock.advance(5)
    token = (await pair.a.access.create("reader")).token
    web = WebAdapter(pair.b, LOOPBACK)
    await web.start()
    done = asyncio.Event()
    seen: list[int] = []

    async def answer() -> None:
        for wave in range(2):  # two "Yes" per item, from both engines at once: finalized
            presses = [
                (pair.a if (r + wave) % 2 else pair.b).handle_button(
                    refs[2 * wave + r % 2], answer_payload(card, "Yes")
                )
                for r, card in enumerate(cards)
            ]
            await asyncio.gather(*presses)
        done.set()

    async def read() -> None:
        since = None
        while True:
            finished = done.is_set()
            body = await page(web, camp.id, token, since)
            seen.extend(r["item_id"] for r in body["labels"])
            since = body["next"] or since
            if finished and body["next"] is None:
                return
            await asyncio.sleep(0)

    try:
        await asyncio.gather(answer(), read())
    finally:
        await web.stop()
    final = await pair.rows(
        "SELECT item_id FROM tallies WHERE campaign_id = ? AND status = 'finalized'", camp.id
    )
    assert len(final) == ITEMS
    assert sorted(seen) == sorted(r[0] for r in final)  # each finalized item exactly once


async def test_feed_rows_are_the_export_rows_and_old_cursors_are_refused(
    served: WebAdapter, engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=6, min_overlap=2, max_overlap=3)
    token = (await engine.access.create("pipeline")).token
    for i in range(3):
        await vote_round(engine, clock, ["blue", "blue", "red"][: 2 + i % 2], first=10 * i + 1)
    got = await page(served, camp.id, token, None)
    exported = {r["item_id"]: r for r in await label_rows(store, camp)}
    assert got["labels"] and all(
        {k: v for k, v in r.items() if k != "finalized_at"} == exported[r["item_id"]]
        for r in got["labels"]
    )
    old = base64.urlsafe_b64encode(b"[1767225600.0,3]").decode().rstrip("=")  # before seq
    url = f"{served.url}/api/v1/campaigns/{camp.id}/labels?since={old}"
    async with (
        aiohttp.ClientSession() as http,
        http.get(url, headers={"Authorization": f"Bearer {token}"}) as resp,
    ):
        body = await resp.json(content_type=None)
        assert resp.status == 400 and body["detail"].startswith("since: ")
