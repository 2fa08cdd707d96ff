"""The OpenAPI 3.1 pieces of the API's answer feed and write side (`bot.web.openapi` puts
them into the one document): request bodies, responses and the problems each may answer.

Rule: the schemas say what `bot.core.intake.parse` accepts and what `bot.web.api` /
`bot.web.api_write` answer; a status an endpoint can answer is listed with its schema.
"""

from __future__ import annotations

from typing import Any

from bot.core.exports.feed import LIMIT_DEFAULT, LIMIT_MAX
from bot.core.intake.parse import (
    EXPLANATION_MAX,
    ITEMS_MAX,
    LABEL_MAX,
    PRIORITY_MAX,
    PRIORITY_MIN,
    SOURCE_MAX,
    TEXT_MAX,
)

JSON = "application/json"
PROBLEM = "application/problem+json"
FORM = "multipart/form-data"
_INT = {"type": "integer"}
_STR = {"type": "string"}
_TEXT_OR_NULL = {"type": ["string", "null"]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(props) if required is None else required,
        "properties": props,
        "additionalProperties": False,
    }


_NUMBERS = {"type": "array", "items": {"type": "number"}, "minItems": 1}
STROKE = {"type": "array", "prefixItems": [_NUMBERS, _NUMBERS, _NUMBERS], "minItems": 2,
          "maxItems": 3}  # fmt: skip
PUSH_ITEM = _obj(
    {
        "source": {"type": "string", "minLength": 1, "maxLength": SOURCE_MAX,
                   "description": "your id of the item, unique in the campaign's dataset"},
        "image": {"type": "string", "contentEncoding": "base64",
                  "description": "PNG, JPEG, WEBP or GIF bytes, base64"},
        "text": {"type": "string", "minLength": 1, "maxLength": TEXT_MAX},
        "strokes": {"type": "array", "items": STROKE, "minItems": 1,
                    "description": "Quick, Draw! strokes [[xs, ys], ...] (quickdraw only)"},
        "prediction": {"type": ["string", "null"], "maxLength": LABEL_MAX,
                       "description": "the model's label: verify's candidate, a doodle's word"},
        "truth": {"type": ["string", "null"], "maxLength": LABEL_MAX},
        "priority": {"type": ["integer", "null"], "minimum": PRIORITY_MIN,
                     "maximum": PRIORITY_MAX, "default": 0},
    },
    ["source"],
)  # fmt: skip
PUSHED = _obj({"index": _INT, "source": _STR, "item_id": _INT})
ANSWER = {
    "task": {"type": "string", "description": "the item id"},
    "worker": {"type": "string", "description": "pseudonymous: w_ + 12 hex digits"},
    "label": _STR,
    "created_at": {"type": "string", "format": "date-time"},
    "platform": _STR,
    "latency_ms": {"type": ["integer", "null"]},
    "is_gold": {"type": "boolean"},
    "correct": {"type": ["boolean", "null"]},
    "flag": _TEXT_OR_NULL,
    "weight": {"type": "number"},
    "worker_gold_accuracy": {"type": ["number", "null"]},
}
SCHEMAS: dict[str, Any] = {
    "PushItem": PUSH_ITEM,
    "PushRequest": _obj(
        {
            "items": {
                "type": "array",
                "items": _ref("PushItem"),
                "minItems": 1,
                "maxItems": ITEMS_MAX,
            }
        }
    ),
    "PushForm": _obj(
        {
            "source": PUSH_ITEM["properties"]["source"],
            "image": {
                "type": "string",
                "contentMediaType": "application/octet-stream",
                "description": "the image file",
            },
            "text": PUSH_ITEM["properties"]["text"],
            "prediction": {"type": "string", "maxLength": LABEL_MAX},
            "truth": {"type": "string", "maxLength": LABEL_MAX},
            "priority": {"type": "integer", "minimum": PRIORITY_MIN, "maximum": PRIORITY_MAX},
        },
        ["source"],
    ),
    "Pushed": PUSHED,
    "PushResult": _obj(
        {
            "created": {"type": "array", "items": _ref("Pushed")},
            "present": {
                "type": "array",
                "items": _ref("Pushed"),
                "description": "sources already in the dataset: not changed",
            },
        }
    ),
    "LabelRequest": _obj(
        {
            "label": {"type": "string", "minLength": 1, "maxLength": LABEL_MAX},
            "gold": {"type": ["boolean", "null"], "default": False},
            "explanation": {"type": ["string", "null"], "maxLength": EXPLANATION_MAX},
        },
        ["label"],
    ),
    "LabelResult": _obj(
        {
            "campaign_id": _INT,
            "item_id": _INT,
            "label": _STR,
            "gold": {"type": "boolean"},
            "status": _STR,
            "previous": _obj({"status": _STR, "label": _TEXT_OR_NULL}),
        }
    ),
    "Answer": _obj(ANSWER),
    "AnswerPage": _obj(
        {
            "answers": {"type": "array", "items": _ref("Answer")},
            "next": {
                "type": ["string", "null"],
                "description": "pass as `since` for what comes after; null: none yet",
            },
        }
    ),
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM: {"schema": _ref("Problem")}}}


def _ok(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": _ref(schema)}}}


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": _ref(schema)}}}


ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
ITEM_ID = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}
SINCE = {"name": "since", "in": "query", "required": False, "schema": {"type": "string"},
         "description": "the `next` of a previous page; leave out to start"}  # fmt: skip
LIMIT = {"name": "limit", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": LIMIT_MAX,
                    "default": LIMIT_DEFAULT}}  # fmt: skip
COMMON = {
    "400": _problem("a bad parameter or body; `detail` starts with the field"),
    "401": _problem("missing, malformed, unknown, revoked or expired token"),
    "404": _problem("no such campaign or item, or outside the token's communities"),
}
WRITES = {
    **COMMON,
    "403": _problem("the token may only read"),
    "413": _problem("the body is larger than the server accepts"),
    "415": _problem("the body is not application/json (or, for a push, multipart/form-data)"),
}


def paths() -> dict[str, Any]:
    """The path items of the answer feed and the write side."""
    return {
        "/api/v1/campaigns/{id}/answers": {
            "get": {
                "summary": "Answers in long form after a cursor (crowd-kit's task/worker/label)",
                "parameters": [ID, SINCE, LIMIT],
                "responses": {"200": _ok("a page of answers", "AnswerPage"), **COMMON},
            }
        },
        "/api/v1/campaigns/{id}/items": {
            "post": {
                "summary": "Push items (images, texts or doodle strokes) with predictions",
                "parameters": [ID],
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON: {"schema": _ref("PushRequest")},
                        FORM: {"schema": _ref("PushForm")},
                    },
                },
                "responses": {
                    "201": _ok("items created (and those already present)", "PushResult"),
                    "200": _ok("every item was present already: nothing created", "PushResult"),
                    "409": _problem("the campaign is stopped or archived"),
                    **WRITES,
                },
            }
        },
        "/api/v1/campaigns/{id}/items/{item_id}/label": {
            "put": {
                "summary": "Set an expert label (as `run.py review --set`)",
                "parameters": [ID, ITEM_ID],
                "requestBody": _body("LabelRequest"),
                "responses": {"200": _ok("the label is set", "LabelResult"), **WRITES},
            }
        },
    }
