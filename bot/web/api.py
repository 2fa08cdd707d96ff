"""The JSON API, read side: `/api/v1/campaigns`, one campaign with its stats, its finalized
labels and its answers (long form) behind cursors (`bot.core.exports.feed` has the rules of
scope and order); `add_routes` also serves the write side (`bot.web.api_write`).

Rules:
- every endpoint needs a valid bearer token (`bot.web.auth.api_principal`: 401 otherwise);
- a campaign outside the token's scope answers 404 exactly like a missing one;
- a bad query parameter or path id answers 400 with a problem body (RFC 9457) whose
  `detail` names the parameter; every error body is `application/problem+json`;
- `GET /api/v1/openapi.json` (`bot.web.openapi`) describes exactly these endpoints; it
  needs a token too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import web

from bot.core.access import Principal
from bot.core.exports.feed import LIMIT_DEFAULT, LIMIT_MAX
from bot.core.kernel.errors import InvalidInput, NotFound
from bot.web.app import ENGINE
from bot.web.auth import PROBLEM_JSON, api_principal, problem_body

PREFIX = "/api/v1"
_Page = TypeVar("_Page")


def add_routes(app: web.Application) -> None:
    """Serve the API's read endpoints and its OpenAPI document on `app`."""
    from bot.web import api_write, openapi

    app.router.add_get(f"{PREFIX}/campaigns", campaigns, allow_head=False)
    app.router.add_get(f"{PREFIX}/campaigns/{{id}}", campaign, allow_head=False)
    app.router.add_get(f"{PREFIX}/campaigns/{{id}}/labels", labels, allow_head=False)
    app.router.add_get(f"{PREFIX}/campaigns/{{id}}/answers", answers, allow_head=False)
    app.router.add_get(f"{PREFIX}/openapi.json", openapi.document_handler, allow_head=False)
    api_write.add_routes(app)


def problem(status: int, title: str, detail: str) -> web.Response:
    """An RFC 9457 problem response."""
    return web.Response(
        status=status, text=problem_body(status, title, detail), content_type=PROBLEM_JSON
    )


def bad_parameter(name: str, why: str) -> web.HTTPBadRequest:
    """400 naming the parameter (`detail` starts with it)."""
    return web.HTTPBadRequest(
        text=problem_body(400, "Bad Request", f"{name}: {why}"), content_type=PROBLEM_JSON
    )


def not_found(detail: str) -> web.HTTPNotFound:
    return web.HTTPNotFound(text=problem_body(404, "Not Found", detail), content_type=PROBLEM_JSON)


async def principal(request: web.Request) -> Principal:
    """The caller's token (401 problem when there is no valid one)."""
    return await api_principal(request.app[ENGINE], request)


def whole_number(request: web.Request, name: str, why: str) -> int:
    """The path parameter `name` as a whole number (at most 18 digits); 400 naming it."""
    text = request.match_info[name]
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise bad_parameter(name, why)
    return int(text)


def campaign_id_of(request: web.Request) -> int:
    """The `{id}` of the path: a campaign id (400 naming `id` when it is not a number)."""
    return whole_number(request, "id", "a campaign id is a positive whole number")


def _limit(request: web.Request) -> int:
    text = request.query.get("limit")
    if text is None:
        return LIMIT_DEFAULT
    if (
        not text.isascii()
        or not text.isdigit()
        or len(text) > 6
        or not 1 <= int(text) <= LIMIT_MAX
    ):
        raise bad_parameter("limit", f"a whole number from 1 to {LIMIT_MAX}")
    return int(text)


def campaign_json(row: Any) -> dict[str, Any]:
    """A campaign as the API shows it (`CampaignRow` in, JSON object out)."""
    return {
        "id": row.id,
        "name": row.name,
        "game": row.game,
        "status": row.status,
        "question": row.question,
        "options": list(row.options),
        "community_id": row.community_id,
    }


async def campaigns(request: web.Request) -> web.Response:
    """The campaigns the token may see (its communities' and the shared ones)."""
    who = await principal(request)
    rows = await request.app[ENGINE].feed.campaigns(who)
    return web.json_response({"campaigns": [campaign_json(r) for r in rows]})


async def campaign(request: web.Request) -> web.Response:
    """One campaign with its stats; 404 when missing or outside the token's scope."""
    who = await principal(request)
    campaign_id = campaign_id_of(request)
    try:
        row, n = await request.app[ENGINE].feed.stats(who, campaign_id)
    except NotFound as exc:
        raise not_found(exc.message) from None
    stats = {
        "items": n.items,
        "finalized": n.finalized + n.reviewed,
        "in_review": n.review,
        "in_progress": n.in_progress,
        "answers": n.answers,
        "players": n.players,
    }
    return web.json_response({**campaign_json(row), "stats": stats})


async def labels(request: web.Request) -> web.Response:
    """A page of finalized labels after `since`, and the cursor after it (`next`)."""
    page = await _paged(request, request.app[ENGINE].feed.labels)
    return web.json_response({"labels": page.labels, "next": page.next})


async def answers(request: web.Request) -> web.Response:
    """A page of answers in long form after `since`, and the cursor after it (`next`)."""
    page = await _paged(request, request.app[ENGINE].feed.answers)
    return web.json_response({"answers": page.answers, "next": page.next})


async def _paged(request: web.Request, read: Callable[..., Awaitable[_Page]]) -> _Page:
    """One feed's page for the request's token, campaign, `limit` and `since` (400 naming
    the parameter, 404 for a campaign the token may not see)."""
    who = await principal(request)
    campaign_id = campaign_id_of(request)
    limit = _limit(request)
    since = request.query.get("since")
    if since is not None and not since:
        raise bad_parameter("since", "an empty cursor; leave `since` out to start")
    try:
        return await read(who, campaign_id, since, limit)
    except NotFound as exc:
        raise not_found(exc.message) from None
    except InvalidInput as exc:
        raise bad_parameter("since", exc.message) from None
