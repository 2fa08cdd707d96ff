"""The JSON API's read side through real HTTP on loopback (SQLite and PostgreSQL): bearer
tokens, community scope, cursor paging of finalized labels, problem bodies, and the OpenAPI
document matching the served routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.config import WebSettings
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.web.app import WebAdapter, build_app
from bot.web.metrics import WebMetrics
from bot.web.openapi import document
from storage import SqlStore
from storage.rows import CampaignRow, NewCampaign
from tests.support.engine import vote_round
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


async def call(web: WebAdapter, path: str, token: str | None) -> tuple[int, str, Any]:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{web.url}{path}", headers=headers) as resp,
    ):
        return resp.status, resp.content_type, await resp.json(content_type=None)


async def ok(web: WebAdapter, path: str, token: str) -> Any:
    status, ctype, body = await call(web, path, token)
    assert (status, ctype) == (200, "application/json"), body
    return body


async def community(store: SqlStore, name: str) -> int:
    return (await store.upsert_community("telegram", f"-100{name}", name, 0.0)).id


async def campaign_in(store: SqlStore, base: CampaignRow, name: str, cid: int | None) -> int:
    new = NewCampaign(
        name, base.game, base.dataset_id, base.question, base.options, 2, 3, 0.8, 0.0,
        community_id=cid,
    )  # fmt: skip
    return (await store.create_campaign(new, 0.0)).id


async def test_every_endpoint_needs_a_valid_token(
    served: WebAdapter, engine: Engine, store: SqlStore
) -> None:
    camp = await seed_campaign(store)
    revoked = await engine.access.create("old")
    await engine.access.revoke(revoked.info.id)
    paths = [f"{API}/campaigns", f"{API}/campaigns/{camp.id}", f"{API}/openapi.json"]
    paths.append(f"{API}/campaigns/{camp.id}/labels")
    for path in paths:
        for token in (None, "lq_1_nope", revoked.token):
            status, ctype, body = await call(served, path, token)
            assert (status, ctype) == (401, "application/problem+json")
            assert body["status"] == 401 and body["detail"] == "invalid or expired API token"


async def test_a_token_sees_its_communities_and_the_shared_campaigns_only(
    served: WebAdapter, engine: Engine, store: SqlStore
) -> None:
    shared = await seed_campaign(store, name="shared")
    a, b = await community(store, "A"), await community(store, "B")
    in_a = await campaign_in(store, shared, "in-a", a)
    in_b = await campaign_in(store, shared, "in-b", b)
    only_a = (await engine.access.create("a", communities=[a])).token
    every = (await engine.access.create("all")).token

    listed = await ok(served, f"{API}/campaigns", only_a)
    assert [c["name"] for c in listed["campaigns"]] == ["shared", "in-a"]
    listed = await ok(served, f"{API}/campaigns", every)
    assert [c["id"] for c in listed["campaigns"]] == [shared.id, in_a, in_b]

    assert (await ok(served, f"{API}/campaigns/{in_a}", only_a))["community_id"] == a
    for path in (f"{API}/campaigns/{in_b}", f"{API}/campaigns/{in_b}/labels"):
        hidden = await call(served, path, only_a)
        missing = await call(served, path.replace(str(in_b), "999999"), only_a)
        assert hidden[0] == missing[0] == 404 and hidden[1] == "application/problem+json"
        assert hidden[2]["detail"].replace(str(in_b), "N") == missing[2]["detail"].replace(
            "999999", "N"
        )
    assert (await ok(served, f"{API}/campaigns/{in_b}", every))["name"] == "in-b"


async def test_campaign_stats_count_items_finalized_review_and_answers(
    served: WebAdapter, engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=4, min_overlap=2, max_overlap=3)
    token = (await engine.access.create("stats")).token
    await vote_round(engine, clock, ["red", "red"], first=1)
    await vote_round(engine, clock, ["red", "green", "blue"], first=3)
    body = await ok(served, f"{API}/campaigns/{camp.id}", token)
    assert body["status"] == "active" and body["options"] == ["red", "green", "blue"]
    stats = body["stats"]
    assert (stats["items"], stats["finalized"], stats["in_review"], stats["answers"]) == (
        4,
        1,
        1,
        5,
    )


async def test_cursor_paging_sends_each_label_once_and_new_ones_after_the_cursor(
    served: WebAdapter, engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=6, min_overlap=2, max_overlap=3)
    token = (await engine.access.create("pipeline")).token
    finalized = []
    for i in range(3):
        finalized.append(await vote_round(engine, clock, ["blue", "blue"], first=10 * i + 1))
        clock.advance(60)
    await vote_round(engine, clock, ["red", "green", "blue"], first=90)  # review: not final

    url = f"{API}/campaigns/{camp.id}/labels?limit=2"
    first = await ok(served, url, token)
    assert len(first["labels"]) == 2 and first["next"]
    second = await ok(served, f"{url}&since={first['next']}", token)
    assert len(second["labels"]) == 1 and second["next"]
    seen = [r["item_id"] for r in first["labels"] + second["labels"]]
    assert seen == finalized  # in the order they were finalized, each once
    row = first["labels"][0]
    assert (row["label"], row["status"], row["source"]) == ("blue", "finalized", row["source"])
    assert row["finalized_at"].endswith("+00:00") and row["confidence"] > 0.5

    caught_up = await ok(served, f"{url}&since={second['next']}", token)
    assert caught_up == {"labels": [], "next": None}
    later = await vote_round(engine, clock, ["green", "green"], first=50)
    fresh = await ok(served, f"{url}&since={second['next']}", token)
    assert [r["item_id"] for r in fresh["labels"]] == [later]
    everything = await ok(served, f"{API}/campaigns/{camp.id}/labels", token)
    assert [r["item_id"] for r in everything["labels"]] == [*finalized, later]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("limit=", "limit"),
        ("since=", "since"),
        ("since=bm90IGEgY3Vyc29y", "since"),
        ("since=%25%25", "since"),
        ("since=WyJOYU4iLDFd", "since"),  # ["NaN",1]
        ("since=W05hTiwxXQ", "since"),  # [NaN,1]
        ("since=" + "A" * 300, "since"),
    ],
)
async def test_bad_parameters_get_a_400_problem_naming_them(
    served: WebAdapter, engine: Engine, store: SqlStore, query: str, parameter: str
) -> None:
    camp = await seed_campaign(store)
    token = (await engine.access.create("t")).token
    status, ctype, body = await call(served, f"{API}/campaigns/{camp.id}/labels?{query}", token)
    assert (status, ctype) == (400, "application/problem+json")
    assert body["status"] == 400 and body["detail"].startswith(f"{parameter}: ")


async def test_a_non_numeric_campaign_id_is_a_400_naming_id(
    served: WebAdapter, engine: Engine
) -> None:
    token = (await engine.access.create("t")).token
    for path in (f"{API}/campaigns/abc", f"{API}/campaigns/-1/labels"):
        status, _, body = await call(served, path, token)
        assert status == 400 and body["detail"].startswith("id: ")
    assert (await call(served, f"{API}/campaigns/{10**30}", token))[0] == 400


async def test_limit_bounds_one_and_a_thousand_are_accepted(
    served: WebAdapter, engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=3, min_overlap=2, max_overlap=3)
    token = (await engine.access.create("t")).token
    await vote_round(engine, clock, ["red", "red"], first=1)
    clock.advance(5)
    await vote_round(engine, clock, ["red", "red"], first=3)
    base = f"{API}/campaigns/{camp.id}/labels"
    assert len((await ok(served, f"{base}?limit=1", token))["labels"]) == 1
    assert len((await ok(served, f"{base}?limit=1000", token))["labels"]) == 2


def _check(schema: dict[str, Any], value: Any, where: str = "$") -> None:
    """A small JSON Schema check (the subset the document uses: $ref, type, enum, required,
    properties, additionalProperties false, items); jsonschema is not a dependency."""
    if "$ref" in schema:
        schema = document()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    types = schema.get("type")
    if types is not None:
        names = {
            "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
        }  # fmt: skip
        ok_types = [types] if isinstance(types, str) else types
        fits = any(
            (t == "integer" and isinstance(value, int) and not isinstance(value, bool))
            or (t == "number" and isinstance(value, int | float) and not isinstance(value, bool))
            or (t in names and isinstance(value, names[t]))
            for t in ok_types
        )
        assert fits, f"{where}: {value!r} is not {types}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if isinstance(value, dict) and "properties" in schema:
        missing = set(schema.get("required", ())) - set(value)
        assert not missing, f"{where}: missing {missing}"
        if schema.get("additionalProperties") is False:
            assert set(value) <= set(schema["properties"]), f"{where}: extra keys"
        for key, sub in schema["properties"].items():
            if key in value:
                _check(sub, value[key], f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            _check(schema["items"], v, f"{where}[{i}]")


def _response_schema(doc: dict[str, Any], path: str, status: str) -> dict[str, Any]:
    content = doc["paths"][path]["get"]["responses"][status]["content"]
    return next(iter(content.values()))["schema"]  # type: ignore[no-any-return]


async def test_openapi_lists_exactly_the_api_routes_served(
    served: WebAdapter, engine: Engine
) -> None:
    token = (await engine.access.create("t")).token
    served_doc = await ok(served, f"{API}/openapi.json", token)
    assert served_doc == document() and served_doc["openapi"].startswith("3.1")
    assert served_doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    app = build_app(engine, LOOPBACK, metrics=WebMetrics(engine, None))
    routes = {
        (r.method, r.resource.canonical)
        for r in app.router.routes()
        if r.resource is not None and r.resource.canonical.startswith(API)
    }
    described = {
        (method.upper(), path) for path, ops in document()["paths"].items() for method in ops
    }
    assert routes == described and len(routes) == 7


async def test_real_responses_validate_against_the_openapi_schemas(
    served: WebAdapter, engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=3, min_overlap=2, max_overlap=3)
    await vote_round(engine, clock, ["red", "red"], first=1)
    token = (await engine.access.create("t")).token
    doc = document()
    examples = [
        ("/api/v1/campaigns", f"{API}/campaigns", "200"),
        ("/api/v1/campaigns/{id}", f"{API}/campaigns/{camp.id}", "200"),
        ("/api/v1/campaigns/{id}/labels", f"{API}/campaigns/{camp.id}/labels", "200"),
        ("/api/v1/campaigns/{id}", f"{API}/campaigns/404404", "404"),
        ("/api/v1/campaigns/{id}/labels", f"{API}/campaigns/{camp.id}/labels?limit=0", "400"),
    ]
    for path, url, status in examples:
        got, _, body = await call(served, url, token)
        assert str(got) == status
        _check(_response_schema(doc, path, status), body)
    _, _, body = await call(served, f"{API}/campaigns", None)
    _check(_response_schema(doc, "/api/v1/campaigns", "401"), body)
    labels = (await call(served, f"{API}/campaigns/{camp.id}/labels", token))[2]["labels"]
    assert len(labels) == 1  # the label example was not vacuous
    with pytest.raises(AssertionError):
        _check(_response_schema(doc, "/api/v1/campaigns/{id}/labels", "200"), {"labels": []})
