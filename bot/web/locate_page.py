"""The locate canvas (issue 17): `GET /locate`, `POST /locate/task`, `POST /locate/submit`.

Rules (the drawing page's, `bot.web.draw_page`, whose helpers this reuses):
- `GET /locate` is one static page (`static/locate.js`, `static/locate.css`; CSP
  `default-src 'self'` plus `frame-ancestors` for Telegram Web). It never uses a link (chat
  apps fetch links to preview them). The page reads its credential itself: Telegram's
  initData from the URL fragment (a Mini App, with `?round=` from the card's button, or none
  from the group's deep link) or a canvas link's `?token=` (`engine.locate.link`);
- both POSTs take `init_data` (validated as Telegram specifies, else 401) or `token`;
- `POST /locate/task` `{round_id?}` -> 200 `{round_id, campaign, instruction, shape, width,
  height, max_marks, mime, image}` (`engine.locate.task`; `image` base64: the page draws it
  from a Blob, so the CSP needs no `data:`);
- `POST /locate/submit` `{round_id, answer: {"boxes": [[x, y, w, h], ...]} | {"points":
  [[x, y], ...]}}` in image pixels -> 201 `{text}` (`engine.locate.submit` =
  `Play.answer_value`: the game checks the marks); a link is then used up;
- every error is JSON `{"error": "..."}` naming what is wrong: 400 bad input, 401 bad or
  expired sign-in data, 403 not consented or not allowed, 404 unknown/used link or a round
  that is not the player's, 409 nothing to mark now / the round is closed / already answered,
  413 a body over `MAX_BODY`, 429 a limit; every answer is `Cache-Control: no-store`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.core.access import webapp
from bot.core.kernel import texts as kernel_texts
from bot.core.kernel.errors import (
    InvalidInput,
    LabelQuestError,
    NoTaskAvailable,
    NotConsented,
    NotFound,
    PermissionDenied,
    RateLimited,
    RoundClosed,
    UnknownPayload,
    WrongPlace,
)
from bot.core.kernel.models import PlayerRef
from bot.core.locate.models import LocateTask
from bot.web.app import ENGINE
from bot.web.draw_decode import DrawInputError, positive_int
from bot.web.draw_page import NO_STORE, PAGE_CSP, _body, _credential, _telegram_player
from bot.web.layout import STATIC

PAGE = STATIC / "locate.html"
NO_ANSWER = 'answer must be a JSON object: {"boxes": [...]} or {"points": [...]}'
WRONG_LINK_ROUND = "This canvas link is for another task."
NO_CREDENTIAL = (
    "Open the canvas from the bot: tap 📦 Open the canvas on a locate task (the page needs the "
    "sign-in data or the link the bot gives you)."
)
_STATUS: tuple[tuple[type[LabelQuestError], int], ...] = (
    (NotConsented, 403),
    (PermissionDenied, 403),
    (WrongPlace, 403),
    (NotFound, 404),
    (UnknownPayload, 404),
    (NoTaskAvailable, 409),
    (RoundClosed, 409),
    (RateLimited, 429),
    (InvalidInput, 400),
)


def add_routes(app: web.Application) -> None:
    """The canvas page and its two endpoints."""
    app.router.add_get("/locate", locate_page, allow_head=False)
    app.router.add_post("/locate/task", task)
    app.router.add_post("/locate/submit", submit)


def _json(payload: dict[str, Any], status: int = 200) -> web.Response:
    response = web.json_response(payload, status=status)
    response.headers["Cache-Control"] = NO_STORE
    return response


async def locate_page(request: web.Request) -> web.StreamResponse:
    """The page itself (static; see the module rules)."""
    response = web.FileResponse(PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    response.headers["Cache-Control"] = NO_STORE
    response.headers["Content-Security-Policy"] = PAGE_CSP
    return response


async def _answer(
    request: web.Request, call: Callable[[dict[str, Any]], Awaitable[web.Response]]
) -> web.Response:
    """Run `call(body)`; map a refusal to its status and `{"error": ...}`."""
    try:
        return await call(await _body(request))
    except DrawInputError as err:
        return _json({"error": err.message}, err.status)
    except webapp.InvalidInitData as err:
        return _json({"error": err.message}, 401)
    except LabelQuestError as err:
        status = next((s for kind, s in _STATUS if isinstance(err, kind)), 400)
        return _json({"error": err.message}, status)


def _round_id(body: dict[str, Any]) -> int | None:
    return None if body.get("round_id") is None else positive_int(body, "round_id")


def _credential_of(body: dict[str, Any]) -> tuple[str, str]:
    """The drawing page's credential rule, with the canvas's words when there is none."""
    try:
        return _credential(body)
    except webapp.InvalidInitData:
        raise webapp.InvalidInitData(NO_CREDENTIAL) from None


async def _player(request: web.Request, body: dict[str, Any]) -> tuple[PlayerRef, int | None]:
    """Who asks (and, for a link, the round it is bound to)."""
    kind, value = _credential_of(body)
    if kind == "init_data":
        return _telegram_player(request, value), _round_id(body)
    ref, bound = await request.app[ENGINE].locate.holder(value)
    asked = _round_id(body)
    if asked is not None and asked != bound:
        raise NotFound(WRONG_LINK_ROUND)
    return ref, bound


def _task_json(found: LocateTask) -> dict[str, Any]:
    return {
        "round_id": found.round_id,
        "campaign": found.campaign,
        "instruction": found.instruction,
        "shape": found.shape,
        "width": found.width,
        "height": found.height,
        "max_marks": found.max_marks,
        "mime": found.mime,
        "image": base64.b64encode(found.image).decode("ascii"),
    }


async def task(request: web.Request) -> web.Response:
    """`POST /locate/task`: the image to mark for the player the credential names."""

    async def call(body: dict[str, Any]) -> web.Response:
        ref, round_id = await _player(request, body)
        return _json(_task_json(await request.app[ENGINE].locate.task(ref, round_id)))

    return await _answer(request, call)


async def submit(request: web.Request) -> web.Response:
    """`POST /locate/submit`: the marks of a round, stored once."""

    async def call(body: dict[str, Any]) -> web.Response:
        engine = request.app[ENGINE]
        round_id = positive_int(body, "round_id")
        answer = body.get("answer")
        if not isinstance(answer, dict):
            raise DrawInputError(NO_ANSWER)
        ref, _bound = await _player(request, body)
        reply = await engine.locate.submit(ref, round_id, json.dumps(answer))
        if reply.text == kernel_texts.ANSWERED_ALREADY:
            return _json({"error": reply.text}, 409)
        kind, value = _credential_of(body)
        if kind == "token":
            await engine.locate.use(value, round_id)
        return _json({"text": reply.text}, 201)

    return await _answer(request, call)
