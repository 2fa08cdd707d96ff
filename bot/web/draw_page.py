"""The drawing page (issue 15): `GET /draw`, `POST /draw/prompt`, `POST /draw/submit`.

Rules:
- `GET /draw` is one static page (`static/draw.js`, `static/draw.css`; no inline script or
  style, no framework, no external script: the page's CSP stays `default-src 'self'`, plus
  `frame-ancestors` for Telegram Web, which shows Mini Apps in a frame). It never uses a
  link: chat apps fetch links to preview them. The page reads its credential itself:
  Telegram's initData from the URL fragment (`#tgWebAppData=...`, as Telegram opens a Mini
  App; the fragment never reaches a server log) or the `/draw` link's `?token=`;
- both POSTs take a JSON object carrying `init_data` (Telegram) or `token` (a `/draw` link),
  which binds the request to ONE player: initData is validated exactly as Telegram specifies
  (`bot.core.access.webapp`, with the Telegram bot token this process runs with, and
  `[web] webapp_max_age_seconds`), else 401; a token is used once, when the prompt is asked
  for (`engine.draw_links`), and then works only to submit that prompt's drawing;
- `POST /draw/prompt` -> 200 `{prompt_id, word, seconds}` (`engine.drawings.prompt`);
  `POST /draw/submit` `{prompt_id, width, height, strokes}` -> 201 `{drawing_id, text}`
  (`engine.drawings.submit`, decoded by `bot.web.draw_decode`);
- every error is JSON `{"error": "..."}` naming what is wrong: 400 bad input, 401 bad or
  expired sign-in data, 403 not consented or not allowed, 404 unknown/used link or prompt
  (another player's answers exactly like a missing one), 409 nothing to draw for now, 413
  a body over `MAX_BODY`, 429 the hourly limit; every answer is `Cache-Control: no-store`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.core.access import webapp
from bot.core.drawings.models import DrawPrompt
from bot.core.kernel.errors import (
    InvalidInput,
    LabelQuestError,
    NoTaskAvailable,
    NotConsented,
    NotFound,
    PermissionDenied,
    RateLimited,
)
from bot.core.kernel.models import PlayerRef
from bot.web.app import ENGINE, SETTINGS, TELEGRAM_TOKEN
from bot.web.draw_decode import DrawInputError, decode_drawing, positive_int
from bot.web.layout import STATIC

PAGE = STATIC / "draw.html"
MAX_BODY = 512 * 1024
"""The largest drawing body read (20,000 points fit easily)."""
TOKEN_MAX = 200
NO_STORE = "no-store"
PAGE_CSP = "default-src 'self'; frame-ancestors 'self' https://web.telegram.org"
NO_CREDENTIAL = (
    "Open the drawing page from the bot: send /draw in Telegram or Discord (the page needs "
    "the sign-in data or the link the bot gives you)."
)
PLATFORM_WEB = "web"
TOO_LARGE = f"the drawing is too large (at most {MAX_BODY // 1024} KiB)"
_STATUS: tuple[tuple[type[LabelQuestError], int], ...] = (
    (NotConsented, 403),
    (PermissionDenied, 403),
    (NotFound, 404),
    (NoTaskAvailable, 409),
    (RateLimited, 429),
    (InvalidInput, 400),
)


def add_routes(app: web.Application) -> None:
    """The drawing page and its two endpoints."""
    app.router.add_get("/draw", draw_page, allow_head=False)
    app.router.add_post("/draw/prompt", prompt)
    app.router.add_post("/draw/submit", submit)


def _json(payload: dict[str, Any], status: int = 200) -> web.Response:
    response = web.json_response(payload, status=status)
    response.headers["Cache-Control"] = NO_STORE
    return response


def _error(message: str, status: int) -> web.Response:
    return _json({"error": message}, status)


async def draw_page(request: web.Request) -> web.StreamResponse:
    """The page itself (static; see the module rules)."""
    response = web.FileResponse(PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    response.headers["Cache-Control"] = NO_STORE
    response.headers["Content-Security-Policy"] = PAGE_CSP
    return response


async def _body(request: web.Request) -> dict[str, Any]:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise DrawInputError(TOO_LARGE, 413)
    raw = await request.content.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise DrawInputError(TOO_LARGE, 413)
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise DrawInputError("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise DrawInputError("the body must be a JSON object")
    return body


def _credential(body: dict[str, Any]) -> tuple[str, str]:
    """("init_data" | "token", value); 401 (`InvalidInitData(NO_CREDENTIAL)`) without."""
    for key, limit in (("init_data", webapp.MAX_LENGTH), ("token", TOKEN_MAX)):
        value = body.get(key)
        if isinstance(value, str) and 0 < len(value) <= limit:
            return key, value
    raise webapp.InvalidInitData(NO_CREDENTIAL)


def _telegram_player(request: web.Request, init_data: str) -> PlayerRef:
    settings = request.app[SETTINGS]
    user = webapp.validate(
        init_data,
        request.app[TELEGRAM_TOKEN],
        now=request.app[ENGINE].now(),
        max_age=settings.webapp_max_age_seconds,
    )
    return user.ref


async def _issue(request: web.Request, body: dict[str, Any]) -> DrawPrompt:
    engine = request.app[ENGINE]
    kind, value = _credential(body)
    if kind == "init_data":
        return await engine.drawings.prompt(_telegram_player(request, value))
    ref = await engine.draw_links.holder(value)
    issued = await engine.drawings.prompt(ref)
    await engine.draw_links.use(value, issued.id)
    return issued


async def _answer(
    request: web.Request, call: Callable[[dict[str, Any]], Awaitable[web.Response]]
) -> web.Response:
    """Run `call(body)`; map a refusal to its status and `{"error": ...}`."""
    try:
        return await call(await _body(request))
    except DrawInputError as err:
        return _error(err.message, err.status)
    except webapp.InvalidInitData as err:
        return _error(err.message, 401)
    except LabelQuestError as err:
        status = next((s for kind, s in _STATUS if isinstance(err, kind)), 400)
        return _error(err.message, status)


async def prompt(request: web.Request) -> web.Response:
    """`POST /draw/prompt`: a word to draw for the player the credential names."""

    async def call(body: dict[str, Any]) -> web.Response:
        issued = await _issue(request, body)
        return _json({"prompt_id": issued.id, "word": issued.word, "seconds": issued.seconds})

    return await _answer(request, call)


async def submit(request: web.Request) -> web.Response:
    """`POST /draw/submit`: the drawing of a prompt, stored once."""

    async def call(body: dict[str, Any]) -> web.Response:
        engine = request.app[ENGINE]
        kind, value = _credential(body)
        prompt_id = positive_int(body, "prompt_id")
        raw = decode_drawing(body)
        if kind == "init_data":
            ref, platform = _telegram_player(request, value), "telegram"
        else:
            ref = await engine.draw_links.submitter(value, prompt_id)
            platform = ref.platform or PLATFORM_WEB
        done = await engine.drawings.submit(ref, prompt_id, raw, platform)
        return _json({"drawing_id": done.drawing_id, "text": done.text}, 201)

    return await _answer(request, call)
