"""Bearer authentication of the JSON API: `Authorization: Bearer <token>` -> `Principal`.

Rules:
- the scheme is matched without regard to case (RFC 9110: `bearer` is `Bearer`), the token
  is what follows it after any spaces, trailing spaces ignored; anything else (no header,
  another scheme, no token, spaces inside the token) is malformed;
- missing, malformed, unknown, revoked and expired tokens all get the same 401 with
  `WWW-Authenticate: Bearer` and an RFC 9457 problem body (`application/problem+json`:
  type, title, status, detail) that never says which of them it was;
- `require_write` refuses a read-only token with a 403 problem body.
The token is never logged or echoed back.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from aiohttp import web

from bot.core.access import Principal
from bot.core.access import texts as access_texts
from bot.core.kernel.errors import NotFound

if TYPE_CHECKING:
    from bot.core.engine import Engine

__all__ = ["PROBLEM_JSON", "Principal", "api_principal", "bearer_token", "require_write"]

PROBLEM_JSON = "application/problem+json"
_SCHEME = "bearer"


def problem_body(status: int, title: str, detail: str, type_: str = "about:blank") -> str:
    """An RFC 9457 problem details object as JSON text."""
    return json.dumps({"type": type_, "title": title, "status": status, "detail": detail})


def _unauthorized(detail: str) -> web.HTTPUnauthorized:
    return web.HTTPUnauthorized(
        headers={"WWW-Authenticate": 'Bearer realm="labelquest"'},
        text=problem_body(401, "Unauthorized", detail),
        content_type=PROBLEM_JSON,
    )


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header value; None when the header is
    missing or is not exactly a bearer scheme and one token."""
    if not header:
        return None
    parts = header.split()
    if len(parts) != 2 or parts[0].lower() != _SCHEME:
        return None
    return parts[1]


async def api_principal(engine: Engine, request: web.Request) -> Principal:
    """Who is calling: the principal of the request's bearer token. Raises
    `HTTPUnauthorized` (problem JSON, `WWW-Authenticate: Bearer`) for a missing, malformed or
    invalid token, all with the same detail."""
    token = bearer_token(request.headers.get("Authorization"))
    if token is None:
        raise _unauthorized(access_texts.INVALID_TOKEN)
    try:
        return await engine.access.verify(token)
    except NotFound:
        raise _unauthorized(access_texts.INVALID_TOKEN) from None


def require_write(principal: Principal) -> None:
    """Raise `HTTPForbidden` (problem JSON) unless the token has the write scope."""
    if not principal.can_write:
        raise web.HTTPForbidden(
            text=problem_body(403, "Forbidden", access_texts.WRITE_NEEDED),
            content_type=PROBLEM_JSON,
        )
