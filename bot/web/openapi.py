"""The OpenAPI 3.1 document of the JSON API (`GET /api/v1/openapi.json`).

Rule: it describes exactly the routes `bot.web.api` and `bot.web.api_write` serve under
`/api/v1` (their parameters, request bodies, responses and the bearer security scheme);
tests/web/test_api.py checks both directions and validates example responses against these
schemas, and tests/web/test_schemathesis.py runs schemathesis against the served app. The
write side's schemas are in `bot.web.openapi_write`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.core.exports.feed import LIMIT_DEFAULT, LIMIT_MAX
from bot.web import openapi_write

JSON = "application/json"
PROBLEM = "application/problem+json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(props),
        "properties": props,
        "additionalProperties": False,
    }


_INT = {"type": "integer"}
_STR = {"type": "string"}
_NUM_OR_NULL = {"type": ["number", "null"]}

CAMPAIGN = {
    "id": _INT,
    "name": _STR,
    "game": _STR,
    "status": {"type": "string", "description": "draft, active, paused, stopped, done..."},
    "question": _STR,
    "options": {"type": "array", "items": _STR},
    "community_id": {"type": ["integer", "null"], "description": "null: a shared campaign"},
}
STATS = {
    "items": _INT,
    "finalized": {"type": "integer", "description": "finalized or reviewed items"},
    "in_review": _INT,
    "in_progress": _INT,
    "answers": _INT,
    "players": _INT,
}
LABEL = {
    "item_id": _INT,
    "source": _STR,
    "label": {"type": ["string", "null"]},
    "confidence": _NUM_OR_NULL,
    "n_answers": _INT,
    "agreement": _NUM_OR_NULL,
    "status": {"type": "string", "enum": ["finalized", "reviewed", "gold"]},
    "is_gold": {"type": "boolean"},
    "method": {"type": "string", "enum": ["live", "expert", "gold"]},
    "expert": {"type": "boolean"},
    "gold_accuracy": _NUM_OR_NULL,
    "finalized_at": {"type": "string", "format": "date-time"},
}
PROBLEM_SCHEMA = {
    "type": {"type": "string"},
    "title": _STR,
    "status": _INT,
    "detail": _STR,
}
SCHEMAS: dict[str, Any] = {
    "Campaign": _obj(CAMPAIGN),
    "CampaignList": _obj({"campaigns": {"type": "array", "items": _ref("Campaign")}}),
    "CampaignDetail": _obj({**CAMPAIGN, "stats": _obj(STATS)}),
    "Label": _obj(LABEL),
    "LabelPage": _obj(
        {
            "labels": {"type": "array", "items": _ref("Label")},
            "next": {
                "type": ["string", "null"],
                "description": "pass as `since` for what comes after; null: the page is empty",
            },
        }
    ),
    "Problem": _obj(PROBLEM_SCHEMA),
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM: {"schema": _ref("Problem")}}}


def _ok(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": _ref(schema)}}}


UNAUTHORIZED = _problem("missing, malformed, unknown, revoked or expired token")
NOT_FOUND = _problem("no such campaign, or outside the token's communities")
BAD_REQUEST = _problem("a bad parameter; `detail` starts with its name")
ID_PARAM = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
SINCE_PARAM = {
    "name": "since",
    "in": "query",
    "required": False,
    "description": "the `next` of a previous page; leave out to start from the first label",
    "schema": {"type": "string"},
}
LIMIT_PARAM = {
    "name": "limit",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 1, "maximum": LIMIT_MAX, "default": LIMIT_DEFAULT},
}


def _get(summary: str, ok: dict[str, Any], *, params: list[Any], more: dict[str, Any]) -> Any:
    responses = {"200": ok, "401": UNAUTHORIZED, **more}
    op: dict[str, Any] = {"summary": summary, "responses": responses}
    if params:
        op["parameters"] = params
    return {"get": op}


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document (a fresh dict each call)."""
    by_id = {"400": BAD_REQUEST, "404": NOT_FOUND}
    paths = {
        "/api/v1/campaigns": _get(
            "Campaigns the token may see", _ok("the campaigns", "CampaignList"), params=[], more={}
        ),
        "/api/v1/campaigns/{id}": _get(
            "One campaign with its stats",
            _ok("the campaign", "CampaignDetail"),
            params=[ID_PARAM],
            more=by_id,
        ),
        "/api/v1/campaigns/{id}/labels": _get(
            "Finalized labels after a cursor",
            _ok("a page of labels", "LabelPage"),
            params=[ID_PARAM, SINCE_PARAM, LIMIT_PARAM],
            more=by_id,
        ),
        "/api/v1/openapi.json": _get(
            "This document",
            {"description": "the OpenAPI document", "content": {JSON: {"schema": {}}}},
            params=[],
            more={},
        ),
    }
    paths.update(openapi_write.paths())
    return {
        "openapi": "3.1.0",
        "info": {"title": "LabelQuest API", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": {**SCHEMAS, **openapi_write.SCHEMAS},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }


async def document_handler(request: web.Request) -> web.Response:
    """The document; needs a valid token like every API endpoint."""
    from bot.web.api import principal

    await principal(request)
    return web.json_response(document())
