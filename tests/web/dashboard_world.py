"""The dashboard served on loopback for tests, with a TEST-ONLY middleware standing in for
the session slice: the header `X-Test-Viewer` (`admin` or `mod:<community id>`) puts that
`Viewer` in `request[VIEWER]`. Production code has no such header."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from xml.etree import ElementTree as ET

import aiohttp
from aiohttp import web

from bot.config import WebSettings
from bot.core.engine import Engine
from bot.core.kernel.models import PlayerRef
from bot.core.kernel.scope import Actor
from bot.web import session
from bot.web.app import build_app, routes
from bot.web.metrics import WebMetrics
from bot.web.viewer import VIEWER, Viewer

LOOPBACK = WebSettings(enabled=True, listen="127.0.0.1", port=0)
HEADER = "X-Test-Viewer"
ADMIN = {HEADER: "admin"}
SVG = "{http://www.w3.org/2000/svg}"


def moderator_of(community_id: int) -> dict[str, str]:
    return {HEADER: f"mod:{community_id}"}


def _viewer(value: str) -> Viewer:
    if value == "admin":
        ref = PlayerRef("telegram", "1", "Ada Admin", None)
        return Viewer(Actor(ref, True, None, False), "Ada Admin", "csrf-admin", 1)
    community = int(value.removeprefix("mod:"))
    ref = PlayerRef("telegram", "7", "Mo Moderator", None, True)
    return Viewer(Actor(ref, False, community, True), "Mo Moderator", "csrf-mod", 2)


@web.middleware
async def as_viewer(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    value = request.headers.get(HEADER)
    if value is not None:
        request[VIEWER] = _viewer(value)
    return await handler(request)


def _install(app: web.Application) -> None:
    app.middlewares.append(as_viewer)


@dataclass
class Served:
    url: str

    async def get(self, path: str, who: dict[str, str]) -> tuple[int, str, str]:
        async with (
            aiohttp.ClientSession() as http,
            http.get(self.url + path, headers=who, allow_redirects=False) as resp,
        ):
            return resp.status, resp.content_type, await resp.text(errors="replace")

    async def get_bytes(self, path: str, who: dict[str, str]) -> tuple[int, str, bytes]:
        async with (
            aiohttp.ClientSession() as http,
            http.get(self.url + path, headers=who) as resp,
        ):
            return resp.status, resp.content_type, await resp.read()


@asynccontextmanager
async def serve(engine: Engine) -> AsyncIterator[Served]:
    """Every production route but the session's (the test viewer stands in for it) on a
    free loopback port."""
    slices = [r for r in routes() if r is not session.add_routes]
    app = build_app(engine, LOOPBACK, metrics=WebMetrics(engine), add=[_install, *slices])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield Served(f"http://127.0.0.1:{runner.addresses[0][1]}")
    finally:
        await runner.cleanup()


def svgs(html: str) -> list[ET.Element]:
    """Every inline `<svg>` of a page, parsed as XML."""
    out = []
    start = html.find("<svg")
    while start != -1:
        end = html.index("</svg>", start) + len("</svg>")
        out.append(ET.fromstring(html[start:end]))
        start = html.find("<svg", end)
    return out


def values(svg: ET.Element, kind: str) -> list[int]:
    """The data values of a chart's bars (`rect`) or points (`circle`)."""
    return [
        int(e.attrib["data-value"]) for e in svg.iter(f"{SVG}{kind}") if "data-value" in e.attrib
    ]


def desc(svg: ET.Element) -> str:
    node = svg.find(f"{SVG}desc")
    assert node is not None and node.text is not None
    return node.text
