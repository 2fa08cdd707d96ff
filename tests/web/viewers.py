"""Dashboard pages served on loopback with a test-only viewer: the sign-in slice's session
middleware is replaced by `as_viewer`, which puts the `Viewer` named by the request's
`X-Test-Viewer` header (one of `Served.viewers`) in `request[VIEWER]`. Production code has no
such backdoor; this module lives under tests/ only."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.config import WebSettings
from bot.core.engine import Engine
from bot.core.kernel.models import PlayerRef
from bot.core.kernel.scope import Actor
from bot.web import exports_page, layout, review_page
from bot.web.app import build_app
from bot.web.metrics import WebMetrics
from bot.web.viewer import VIEWER, Viewer

LOOPBACK = WebSettings(enabled=True, listen="127.0.0.1", port=0)
CSRF = "test-csrf-token"
HEADER = "X-Test-Viewer"


def viewer(
    name: str, *, admin: bool = False, community: int | None = None, moderator: bool = False
) -> Viewer:
    ref = PlayerRef("telegram", f"id-{name}", name, None, moderator)
    return Viewer(Actor(ref, admin, community, moderator), name, CSRF, 1)


@dataclass
class Served:
    url: str
    viewers: dict[str, Viewer] = field(default_factory=dict)

    @asynccontextmanager
    async def http(self, who: str) -> AsyncIterator[aiohttp.ClientSession]:
        async with aiohttp.ClientSession(
            base_url=self.url, headers={HEADER: who}, auto_decompress=True
        ) as s:
            yield s


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@asynccontextmanager
async def serve(engine: Engine, viewers: dict[str, Viewer]) -> AsyncIterator[Served]:
    """The review and exports pages on a free loopback port, as `viewers` sees them."""

    @web.middleware
    async def as_viewer(request: web.Request, handler: Handler) -> web.StreamResponse:
        who = request.headers.get(HEADER)
        if who in viewers:
            request[VIEWER] = viewers[who]
        return await handler(request)

    def middleware(app: web.Application) -> None:
        app.middlewares.append(as_viewer)

    app = build_app(
        engine,
        LOOPBACK,
        metrics=WebMetrics(engine, None),
        add=[middleware, layout.add_routes, review_page.add_routes, exports_page.add_routes],
    )
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield Served(str(server.make_url("")).rstrip("/"), viewers)
    finally:
        await server.close()
