"""The JSON API's write side and answer feed through real HTTP on loopback (SQLite and
PostgreSQL): pushing items (images, texts, doodle strokes) with predictions and priorities,
idempotent re-pushes, problems naming the field, the answers in long form behind a cursor,
and expert labels set as `run.py review --set` sets them."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from PIL import Image

from bot.config import WebSettings
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.web.app import MAX_BODY_BYTES, WebAdapter
from storage import SqlStore
from storage.rows import NewCampaign
from tests.support.doodles import doodle_campaign
from tests.support.engine import consented, player, round_of, vote_round
from tests.support.images import png_bytes
from tests.support.seeds import seed_campaign

LOOPBACK = WebSettings(enabled=True, listen="127.0.0.1", port=0)
API = "/api/v1"


@pytest.fixture
async def served(engine: Engine) -> AsyncIterator[WebAdapter]:
    web = WebAdapter(engine, LOOPBACK)
    await web.start()
    try:
        yield web
    finally:
        await web.stop()


async def send(
    web: WebAdapter,
    method: str,
    path: str,
    token: str | None,
    body: Any = None,
    *,
    data: bytes | io.BytesIO | None = None,
    content_type: str = "application/json",
) -> tuple[int, str, Any]:
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, f"{web.url}{path}", json=body, data=data, headers=headers) as resp,
    ):
        return resp.status, resp.content_type, await resp.json(content_type=None)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def jpeg_with_exif() -> bytes:
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "secret camera note"
    Image.effect_noise((64, 48), 60).convert("RGB").save(buf, "JPEG", exif=exif)
    return buf.getvalue()


async def test_push_images_and_texts_creates_items_once(
    served: WebAdapter, engine: Engine, store: SqlStore
) -> None:
    camp = await seed_campaign(store, items=2)  # verify, images
    token = (await engine.access.create("pipe", write=True)).token
    items = [
        {"source": "cat-1.jpg", "image": b64(jpeg_with_exif()), "prediction": "a cat"},
        {"source": "note-7", "text": "Is this sentence polite?", "prediction": "polite",
         "truth": "yes", "priority": 3},
    ]  # fmt: skip
    url = f"{API}/campaigns/{camp.id}/items"
    status, ctype, body = await send(served, "POST", url, token, {"items": items})
    assert (status, ctype) == (201, "application/json"), body
    assert [c["source"] for c in body["created"]] == ["cat-1.jpg", "note-7"]
    assert body["present"] == []
    first, second = (c["item_id"] for c in body["created"])

    stored = await store.get_item(first)
    assert stored is not None and stored.candidate == "a cat" and stored.kind == "image"
    media = await store.get_media(first)
    assert media is not None and b"secret camera note" not in media[1]  # re-encoded, no EXIF
    text = await store.get_item(second)
    assert text is not None and (text.text, text.truth) == ("Is this sentence polite?", "yes")
    stats = (await send(served, "GET", f"{API}/campaigns/{camp.id}", token))[2]["stats"]
    assert stats["items"] == 4

    items.append({"source": "cat-2.jpg", "image": b64(png_bytes("blue")), "prediction": "a cat"})
    status, _, again = await send(served, "POST", url, token, {"items": items})
    assert status == 201
    assert [(p["index"], p["item_id"]) for p in again["present"]] == [(0, first), (1, second)]
    assert [c["index"] for c in again["created"]] == [2]
    status, _, same = await send(served, "POST", url, token, {"items": items[:2]})
    assert status == 200 and same["created"] == [] and len(same["present"]) == 2
    stats = (await send(served, "GET", f"{API}/campaigns/{camp.id}", token))[2]["stats"]
    assert stats["items"] == 5


async def test_doodle_strokes_go_to_a_quickdraw_campaign_only(
    served: WebAdapter, engine: Engine, store: SqlStore
) -> None:
    doodles = await doodle_campaign(store, ("cat",))
    images = await seed_campaign(store, name="pictures")
    token = (await engine.access.create("pipe", write=True)).token
    stroke = {"source": "d1", "strokes": [[[0, 50, 100], [0, 80, 10]]], "prediction": "cat"}
    status, _, body = await send(
        served, "POST", f"{API}/campaigns/{doodles.id}/items", token, {"items": [stroke]}
    )
    assert status == 201, body
    item = await store.get_item(body["created"][0]["item_id"])
    assert item is not None and (item.kind, item.candidate, item.truth) == ("doodle", "cat", "cat")
    status, _, body = await send(
        served, "POST", f"{API}/campaigns/{images.id}/items", token, {"items": [stroke]}
    )
    assert status == 400 and body["detail"].startswith("items[0].strokes: ")
    assert "verify" in body["detail"]


GOOD = {"source": "ok", "text": "fine", "prediction": "red"}


BAD_ITEMS: list[tuple[list[Any], str]] = [
        ([GOOD, {"source": "bad", "image": b64(b"not an image at all"), "prediction": "x"}],
         "items[1].image: "),
        ([GOOD, {"source": "bad", "image": b64(png_bytes()[:60]), "prediction": "x"}],
         "items[1].image: "),
        ([{"source": "bad", "image": "%%%", "prediction": "x"}], "items[0].image: "),
        ([{"source": "a", "text": "t"}], "items[0].prediction: "),
        ([GOOD, GOOD], "items[1].source: "),
        ([{**GOOD, "colour": "red"}], "items[0].colour: "),
        ([{**GOOD, "priority": "high"}], "items[0].priority: "),
        ([{**GOOD, "priority": 10**9}], "items[0].priority: "),
        ([{**GOOD, "truth": "maybe"}], "items[0].truth: "),
        ([{"source": "a", "prediction": "x"}], "items[0]: "),
        ([{"source": "a", "text": "t", "image": b64(png_bytes()), "prediction": "x"}],
         "items[0]: "),
        ([{"text": "t", "prediction": "x"}], "items[0].source: "),
        ([{"source": "a\u0000b", "text": "t", "prediction": "x"}], "items[0].source: "),
        ([{"source": "a", "strokes": [[[1], [1, 2]]], "prediction": "x"}], "items[0].strokes: "),
        ([], "items: "),
        ([GOOD] * 501, "items: "),
]  # fmt: skip


async def test_bad_items_get_a_400_naming_the_field_and_store_nothing(
    served: WebAdapter, engine: Engine, store: SqlStore
) -> None:
    camp = await seed_campaign(store, items=1)
    token = (await engine.access.create("pipe", write=True)).token
    for items, field in BAD_ITEMS:
        status, ctype, body = await send(
            served, "POST", f"{API}/campaigns/{camp.id}/items", token, {"items": items}
        )
        assert (status, ctype) == (400, "application/problem+json"), body
        assert body["detail"].startswith(field), (field, body["detail"])
    assert len(await store.dataset_items(camp.dataset_id)) == 1


async def test_body_problems_are_400_415_and_413(
    served: WebAdapter, engine: Engine, store: SqlStore
) -> None:
    camp = await seed_campaign(store, items=1)
    token = (await engine.access.create("pipe", write=True)).token
    url = f"{API}/campaigns/{camp.id}/items"
    status, ctype, body = await send(served, "POST", url, token, data=b'{"items": [')
    assert (status, ctype) == (400, "application/problem+json")
    assert body["detail"].startswith("body: not valid JSON")
    status, _, body = await send(served, "POST", url, token, data=b"[1, 2]")
    assert status == 400 and body["detail"].startswith("body: ")
    status, ctype, body = await send(
        served, "POST", url, token, data=b"items=1", content_type="text/plain"
    )
    assert (status, ctype) == (415, "application/problem+json")
    assert body["detail"].startswith("Content-Type: ")
    huge = b'{"items": "' + b"A" * MAX_BODY_BYTES + b'"}'
    status, ctype, body = await send(served, "POST", url, token, data=io.BytesIO(huge))
    assert (status, ctype) == (413, "application/problem+json")
    assert body["detail"].startswith("body: at most")


async def test_writes_need_a_write_token_and_a_campaign_in_scope(
    served: WebAdapter, engine: Engine, store: SqlStore
) -> None:
    camp = await seed_campaign(store, items=1)
    other = (await store.upsert_community("telegram", "-100B", "B", 0.0)).id
    reader = (await engine.access.create("reader")).token
    elsewhere = (await engine.access.create("b", write=True, communities=[other])).token
    item = (await store.dataset_items(camp.dataset_id))[0].id
    shared_url = f"{API}/campaigns/{camp.id}/items"
    status, ctype, body = await send(served, "POST", shared_url, reader, {"items": [GOOD]})
    assert (status, ctype) == (403, "application/problem+json") and "read" in body["detail"]
    label_url = f"{API}/campaigns/{camp.id}/items/{item}/label"
    assert (await send(served, "PUT", label_url, reader, {"label": "yes"}))[0] == 403
    assert (await send(served, "POST", shared_url, None, {"items": [GOOD]}))[0] == 401

    owned = await store.create_dataset("owned", "text", "", 0.0)
    a = (await store.upsert_community("telegram", "-100A", "A", 0.0)).id
    await store.claim_dataset(owned.id, a)
    hidden = await store.create_campaign(
        NewCampaign("hidden", "verify", owned.id, "Is this {label}?", ["yes", "no", "not_sure"],
                    2, 3, 0.8, 0.0, community_id=a),
        0.0,
    )  # fmt: skip
    for cid in (hidden.id, 999_999):
        status, ctype, body = await send(
            served, "POST", f"{API}/campaigns/{cid}/items", elsewhere, {"items": [GOOD]}
        )
        assert (status, ctype) == (404, "application/problem+json")
        assert body["detail"] == f"there is no campaign with id {cid}"
        status, _, body = await send(served, "GET", f"{API}/campaigns/{cid}/answers", elsewhere)
        assert status == 404 and body["detail"] == f"there is no campaign with id {cid}"


async def test_priority_items_are_served_first(
    served: WebAdapter, engine: Engine, store: SqlStore
) -> None:
    camp = await seed_campaign(store, items=3, text_items=True)
    token = (await engine.access.create("pipe", write=True)).token
    items = [
        {"source": "low", "text": "low", "prediction": "red", "priority": -1},
        {"source": "urgent", "text": "urgent", "prediction": "red", "priority": 5},
    ]
    status, _, body = await send(
        served, "POST", f"{API}/campaigns/{camp.id}/items", token, {"items": items}
    )
    assert status == 201
    urgent = body["created"][1]["item_id"]
    low = body["created"][0]["item_id"]
    served_items = []
    for i in range(5):
        someone = player(200 + i)
        await consented(engine, someone)
        reply = await engine.play.next_task(someone)
        rnd = await store.get_round(round_of(reply))
        assert rnd is not None
        served_items.append(rnd.item_id)
    assert served_items[0] == urgent
    assert low not in served_items[:4]  # the default-priority items come before it


async def test_answers_in_long_form_behind_a_cursor(
    served: WebAdapter, engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=4, min_overlap=2, max_overlap=3)
    token = (await engine.access.create("reader")).token
    await vote_round(engine, clock, ["red", "red"], first=1)
    await vote_round(engine, clock, ["red", "green", "blue"], first=3)
    url = f"{API}/campaigns/{camp.id}/answers?limit=3"
    status, ctype, first = await send(served, "GET", url, token)
    assert (status, ctype) == (200, "application/json") and len(first["answers"]) == 3
    status, _, second = await send(served, "GET", f"{url}&since={first['next']}", token)
    assert len(second["answers"]) == 2
    rows = first["answers"] + second["answers"]
    assert [r["label"] for r in rows] == ["red", "red", "red", "green", "blue"]
    assert all(re.fullmatch(r"w_[0-9a-f]{12}", r["worker"]) for r in rows)
    assert len({r["worker"] for r in rows}) == 5 and all(r["task"].isdigit() for r in rows)
    done = await send(served, "GET", f"{url}&since={second['next']}", token)
    assert done[2] == {"answers": [], "next": None}
    await vote_round(engine, clock, ["blue", "blue"], first=10)
    fresh = await send(served, "GET", f"{url}&since={second['next']}", token)
    assert [r["label"] for r in fresh[2]["answers"]] == ["blue", "blue"]
    for bad in ("since=nope", "since=", "limit=0"):
        status, _, body = await send(
            served, "GET", f"{API}/campaigns/{camp.id}/answers?{bad}", token
        )
        assert status == 400 and body["detail"].startswith(bad.split("=")[0] + ": ")


async def test_put_label_sets_an_expert_label_like_review_set(
    served: WebAdapter, engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=4, min_overlap=2, max_overlap=3)
    token = (await engine.access.create("pipe", write=True)).token
    disputed = await vote_round(engine, clock, ["red", "green", "blue"], first=3)
    url = f"{API}/campaigns/{camp.id}/items/{disputed}/label"
    status, ctype, body = await send(served, "PUT", url, token, {"label": "Green", "gold": True})
    assert (status, ctype) == (200, "application/json"), body
    assert (body["label"], body["gold"], body["status"]) == ("green", True, "reviewed")
    assert body["previous"]["status"] == "review"
    labels = (await send(served, "GET", f"{API}/campaigns/{camp.id}/labels", token))[2]
    row = next(r for r in labels["labels"] if r["item_id"] == disputed)
    assert (row["label"], row["is_gold"]) == ("green", True)
    assert (await store.campaign_gold(camp.id))[disputed][0] == "green"

    status, _, body = await send(served, "PUT", url, token, {"label": "purple"})
    assert status == 400 and body["detail"].startswith("label: ")
    status, _, body = await send(served, "PUT", url, token, {"label": "red", "gold": "yes"})
    assert status == 400 and body["detail"].startswith("gold: ")
    status, _, body = await send(
        served, "PUT", f"{API}/campaigns/{camp.id}/items/999999/label", token, {"label": "red"}
    )
    assert status == 404
    status, _, body = await send(
        served, "PUT", f"{API}/campaigns/{camp.id}/items/x1/label", token, {"label": "red"}
    )
    assert status == 400 and body["detail"].startswith("item_id: ")


async def test_a_community_token_changes_its_campaigns_never_shared_ones(
    served: WebAdapter, engine: Engine, store: SqlStore
) -> None:
    shared = await seed_campaign(store, items=1, text_items=True)
    a = (await store.upsert_community("telegram", "-100A", "A", 0.0)).id
    owned = await store.create_dataset("owned", "text", "", 0.0)
    await store.claim_dataset(owned.id, a)
    mine = await store.create_campaign(
        NewCampaign("mine", "verify", owned.id, "Is this {label}?", ["yes", "no", "not_sure"],
                    2, 3, 0.8, 0.0, community_id=a),
        0.0,
    )  # fmt: skip
    token = (await engine.access.create("a", write=True, communities=[a])).token
    ok = await send(served, "POST", f"{API}/campaigns/{mine.id}/items", token, {"items": [GOOD]})
    assert ok[0] == 201
    status, ctype, body = await send(
        served, "POST", f"{API}/campaigns/{shared.id}/items", token, {"items": [GOOD]}
    )
    assert (status, ctype) == (403, "application/problem+json")
    assert body["detail"].startswith("campaign: ") and "shared" in body["detail"]
    item = (await store.dataset_items(shared.dataset_id))[0].id
    url = f"{API}/campaigns/{shared.id}/items/{item}/label"
    assert (await send(served, "PUT", url, token, {"label": "yes"}))[0] == 403
    assert len(await store.dataset_items(shared.dataset_id)) == 1  # nothing reached it


async def test_a_source_held_by_another_campaigns_item_is_refused(
    served: WebAdapter, engine: Engine, store: SqlStore
) -> None:
    first = await seed_campaign(store, items=1, text_items=True)
    second = await store.create_campaign(
        NewCampaign("same data", "verify", first.dataset_id, "Is this {label}?",
                    ["yes", "no", "not_sure"], 2, 3, 0.8, 0.0),
        0.0,
    )  # fmt: skip
    token = (await engine.access.create("pipe", write=True)).token
    item = {"source": "shared-source", "text": "t", "prediction": "red"}
    status, _, _ = await send(
        served, "POST", f"{API}/campaigns/{first.id}/items", token, {"items": [item]}
    )
    assert status == 201
    status, _, body = await send(
        served, "POST", f"{API}/campaigns/{second.id}/items", token, {"items": [GOOD, item]}
    )
    assert status == 400 and body["detail"].startswith("items[1].source: ")
    assert len(await store.campaign_items(second.id)) == 1  # only the seeded one


async def test_new_items_reopen_a_completed_campaign_and_a_stopped_one_takes_none(
    served: WebAdapter, engine: Engine, store: SqlStore
) -> None:
    camp = await seed_campaign(store, items=1, text_items=True)
    token = (await engine.access.create("pipe", write=True)).token
    url = f"{API}/campaigns/{camp.id}/items"
    assert await store.change_campaign_status(camp.id, ("active",), "completed", 1.0)
    assert (await send(served, "POST", url, token, {"items": [GOOD]}))[0] == 201
    assert (await send(served, "GET", f"{API}/campaigns/{camp.id}", token))[2][
        "status"
    ] == "active"
    assert await store.change_campaign_status(camp.id, ("active",), "stopped", 2.0)
    more = {**GOOD, "source": "more"}
    status, ctype, body = await send(served, "POST", url, token, {"items": [more]})
    assert (status, ctype) == (409, "application/problem+json")
    assert body["detail"].startswith("campaign: ") and "stopped" in body["detail"]


async def test_one_item_may_come_as_a_multipart_form_with_an_image_file(
    served: WebAdapter, engine: Engine, store: SqlStore
) -> None:
    camp = await seed_campaign(store, items=1)
    token = (await engine.access.create("pipe", write=True)).token
    url = f"{served.url}{API}/campaigns/{camp.id}/items"
    headers = {"Authorization": f"Bearer {token}"}

    async def post(image: bytes, priority: str = "2") -> tuple[int, Any]:
        form = aiohttp.FormData()
        form.add_field("source", "upload-1.png")
        form.add_field("prediction", "a red square")
        form.add_field("priority", priority)
        form.add_field("image", image, filename="upload-1.png", content_type="image/png")
        async with (
            aiohttp.ClientSession() as http,
            http.post(url, data=form, headers=headers) as resp,
        ):
            return resp.status, await resp.json(content_type=None)

    status, body = await post(b"GIF89a broken")
    assert status == 400 and body["detail"].startswith("items[0].image: ")
    status, body = await post(png_bytes("red"), priority="--5")
    assert status == 400 and body["detail"].startswith("items[0].priority: ")
    status, body = await post(png_bytes("red"))
    assert status == 201, body
    item = await store.get_item(body["created"][0]["item_id"])
    assert item is not None and (item.source, item.candidate) == ("upload-1.png", "a red square")
    assert (await store.get_media(item.id)) is not None
