"""Helpers for browser tests: find the system Chromium, serve the real web app on loopback,
save screenshots.

Rules:
- The browser is the system's Chromium, never one Playwright downloads: `LABELQUEST_CHROMIUM`
  when set (then nothing else is tried), else `/usr/bin/chromium` (Debian's `chromium`
  package), else `chromium` or `chromium-browser` on PATH. `find_chromium` returns the path,
  or why there is none.
- Without a browser the tests are skipped with that reason, unless
  `LABELQUEST_REQUIRE_BROWSER=1` (as `.ci/run` sets), which makes them fail instead.
- `serve(engine, add=...)` serves `bot.web.app.build_app` on 127.0.0.1 with a free port:
  the production routes (`bot.web.app.routes()`) plus what a test adds (test-only routes or
  middlewares, e.g. one that puts a test `Viewer` in place). Production code holds no test
  backdoor; anything test-only is added here, by the test.
- `screenshot(page, name)` saves `artifacts/screenshots/<name>.png` (gitignored) and returns
  its path, so a closing note can name the files.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.config import WebSettings
from bot.core.engine import Engine
from bot.core.kernel.models import PlayerRef
from bot.core.kernel.scope import Actor
from bot.web.app import build_app, routes
from bot.web.metrics import WebMetrics
from bot.web.viewer import VIEWER, Viewer

if TYPE_CHECKING:
    from playwright.async_api import Page

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "no Chromium: apt-get install chromium, or set LABELQUEST_CHROMIUM"
LOOPBACK = WebSettings(enabled=True, listen="127.0.0.1", port=0)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

AddRoutes = Callable[[web.Application], None]


def find_chromium(environ: dict[str, str] | None = None) -> tuple[str | None, str]:
    """(path of the Chromium to drive, "") or (None, why there is none)."""
    env = os.environ if environ is None else environ
    chosen = env.get("LABELQUEST_CHROMIUM")
    if chosen:
        if os.path.isfile(chosen) and os.access(chosen, os.X_OK):
            return chosen, ""
        return None, f"{INSTALL_HINT} (LABELQUEST_CHROMIUM={chosen} is not an executable file)"
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return DEBIAN_CHROMIUM, ""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found, ""
    return None, f"{INSTALL_HINT} (none at {DEBIAN_CHROMIUM} nor on PATH)"


def browser_required(environ: dict[str, str] | None = None) -> bool:
    """True when a missing browser must fail the tests (`LABELQUEST_REQUIRE_BROWSER=1`)."""
    env = os.environ if environ is None else environ
    return env.get("LABELQUEST_REQUIRE_BROWSER") == "1"


@dataclass(frozen=True, slots=True)
class Served:
    """An app served on loopback: its base URL and its metrics."""

    url: str
    metrics: WebMetrics


@asynccontextmanager
async def serve(engine: Engine, add: Sequence[AddRoutes] = ()) -> AsyncIterator[Served]:
    """Serve the production routes plus `add` (test-only) over `engine` on a free port."""
    metrics = WebMetrics(engine)
    app = build_app(engine, LOOPBACK, metrics=metrics, add=[*routes(), *add])
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = int(runner.addresses[0][1])
        metrics.attach()
        yield Served(f"http://127.0.0.1:{port}", metrics)
    finally:
        metrics.detach()
        await runner.cleanup()


def web_viewer(
    *, admin: bool, name: str = "Mo", community_id: int | None = 1, moderator: bool = True
) -> Viewer:
    """A signed-in person as the session middleware would give it (`ref.channel` None)."""
    ref = PlayerRef("telegram", "7", name, None, moderator)
    actor = Actor(ref, admin, community_id, moderator)
    return Viewer(actor, name, csrf="test-csrf-token", session_id=1)


def as_viewer(viewer: Viewer) -> AddRoutes:
    """A test-only middleware that signs every request in as `viewer`."""

    @web.middleware
    async def signed_in(request: web.Request, handler: Handler) -> web.StreamResponse:
        request[VIEWER] = viewer
        return await handler(request)

    def add(app: web.Application) -> None:
        app.middlewares.append(signed_in)

    return add


async def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG of `page` as `artifacts/screenshots/<name>.png`; returns the
    path. A name is letters, digits, `.`, `_` and `-`."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise ValueError(f"screenshot name {name!r}: use letters, digits, '.', '_' and '-'")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path
