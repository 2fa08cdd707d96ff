"""The JSON API's write side: push items to a campaign, set an expert label.

Rules:
- both need a read+write token (403 problem otherwise, checked before anything else is read),
  and a token limited to communities may not change a shared campaign (403);
  a campaign or item outside the token's scope answers 404 exactly like a missing one;
- the body is JSON (`Content-Type: application/json`, else 415; a push of one item may also
  be `multipart/form-data` with an `image` file and the item's fields), at most the app's
  `client_max_size` (`bot.web.app.MAX_BODY_BYTES`, else 413); malformed JSON is a 400; every
  problem's `detail` starts with the field it is about (`items[3].image: ...`);
- `POST /api/v1/campaigns/{id}/items` answers 201 with the items created and those already
  present (by `source`), or 200 when every item was present (a repeated push);
- `PUT /api/v1/campaigns/{id}/items/{item_id}/label` answers 200 with the decision.
The rules of the items themselves are `bot.core.intake.parse`'s.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from aiohttp import web

from bot.core.intake import Closed, parse
from bot.core.kernel.errors import InvalidInput, NotFound, PermissionDenied
from bot.web.api import PREFIX, bad_parameter, campaign_id_of, not_found, principal, whole_number
from bot.web.app import ENGINE, MAX_BODY_BYTES
from bot.web.auth import PROBLEM_JSON, problem_body, require_write

JSON_TYPES = ("application/json",)
FORM = "multipart/form-data"
TOO_LARGE = "body: at most {most} bytes per request; split the items into several requests"


def add_routes(app: web.Application) -> None:
    """Serve the write endpoints on `app`."""
    app.router.add_post(f"{PREFIX}/campaigns/{{id}}/items", push_items)
    app.router.add_put(f"{PREFIX}/campaigns/{{id}}/items/{{item_id}}/label", put_label)


def _problem(
    exc_type: type[web.HTTPException], status: int, title: str, detail: str
) -> web.HTTPException:
    return exc_type(text=problem_body(status, title, detail), content_type=PROBLEM_JSON)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


async def read_form_item(request: web.Request) -> Any:
    """One item sent as `multipart/form-data` (fields `source`, `text`, `prediction`, `truth`,
    `priority` and a file `image`), as the JSON body `{"items": [{...}]}` it stands for (the
    image base64-encoded, so the one set of rules checks it). Other fields are kept, and
    refused by those rules, naming them."""
    try:
        form = await request.post()
    except web.HTTPRequestEntityTooLarge:
        raise _too_large(request) from None
    except ValueError as exc:
        raise bad_parameter("body", f"not a readable multipart form ({exc})") from None
    item: dict[str, Any] = {}
    for name, value in form.items():
        if isinstance(value, web.FileField):
            item[name] = base64.b64encode(value.file.read()).decode()
            continue
        text = value if isinstance(value, str) else bytes(value).decode("utf-8", "replace")
        if name == "priority" and re.fullmatch(r"-?[0-9]{1,18}", text):
            item[name] = int(text)
        else:
            item[name] = text
    return {"items": [item]}


def _too_large(request: web.Request) -> web.HTTPRequestEntityTooLarge:
    return web.HTTPRequestEntityTooLarge(
        MAX_BODY_BYTES,
        request.content_length or 0,
        text=problem_body(413, "Content Too Large", TOO_LARGE.format(most=MAX_BODY_BYTES)),
        content_type=PROBLEM_JSON,
    )


async def read_json(request: web.Request, *, form: bool = False) -> Any:
    """The request's JSON body (see the module rules for 413, 415 and 400); with `form`, a
    `multipart/form-data` item is accepted too (`read_form_item`)."""
    if form and request.content_type == FORM:
        return await read_form_item(request)
    if request.content_type not in JSON_TYPES:
        raise _problem(
            web.HTTPUnsupportedMediaType, 415, "Unsupported Media Type",
            f"Content-Type: expected application/json, got {request.content_type or 'none'}",
        )  # fmt: skip
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise _too_large(request) from None
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise bad_parameter("body", "not UTF-8 text") from None
    except (ValueError, RecursionError) as exc:
        raise bad_parameter("body", f"not valid JSON ({exc})") from None


async def push_items(request: web.Request) -> web.Response:
    """Create items in the campaign's dataset (see the module rules)."""
    who = await principal(request)
    require_write(who)
    campaign_id = campaign_id_of(request)
    body = await read_json(request, form=True)
    try:
        done = await request.app[ENGINE].intake.push(who, campaign_id, body)
    except NotFound as exc:
        raise not_found(exc.message) from None
    except PermissionDenied as exc:
        raise _problem(web.HTTPForbidden, 403, "Forbidden", exc.message) from None
    except Closed as exc:
        raise _problem(web.HTTPConflict, 409, "Conflict", exc.message) from None
    except InvalidInput as exc:
        raise _problem(web.HTTPBadRequest, 400, "Bad Request", exc.message) from None
    created = [{"index": p.index, "source": p.source, "item_id": p.item_id} for p in done.created]
    present = [{"index": p.index, "source": p.source, "item_id": p.item_id} for p in done.present]
    return web.json_response(
        {"created": created, "present": present}, status=201 if created else 200
    )


async def put_label(request: web.Request) -> web.Response:
    """Set an expert label on an item of the campaign, as `run.py review --set` does."""
    who = await principal(request)
    require_write(who)
    campaign_id = campaign_id_of(request)
    item_id = whole_number(request, "item_id", "an item id is a positive whole number")
    body = await read_json(request)
    try:
        label, gold, explanation = parse.parse_label(body)
        done = await request.app[ENGINE].intake.set_label(
            who, campaign_id, item_id, label, gold=gold, explanation=explanation
        )
    except NotFound as exc:
        raise not_found(exc.message) from None
    except PermissionDenied as exc:
        raise _problem(web.HTTPForbidden, 403, "Forbidden", exc.message) from None
    except InvalidInput as exc:
        raise _problem(web.HTTPBadRequest, 400, "Bad Request", exc.message) from None
    return web.json_response(
        {
            "campaign_id": campaign_id,
            "item_id": item_id,
            "label": done.label,
            "gold": done.gold or done.item.gold is not None,
            "status": done.tally.status,
            "previous": {"status": done.previous.status, "label": done.previous.label},
        }
    )
