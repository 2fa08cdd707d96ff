"""The web adapter's server: one aiohttp application over the engine, in the process's loop.

Rules:
- `WebAdapter(engine, settings)` serves `[web] listen:port` between `start()` and `stop()`
  (aiohttp `AppRunner` + `TCPSite`, no access log); `port` 0 picks a free port, and `.port`
  tells which once started. `run.py run` starts it when `[web] enabled`; `run.py web` runs
  it alone. Given `[webhooks]` settings it also runs the webhook dispatcher while serving
  (`bot.web.webhooks_out.WebhookRunner`).
- `build_app` makes the `web.Application`; each slice of the web side adds its routes with
  its own `add_routes(app: web.Application) -> None` function, listed in `ROUTES` (ops now;
  the dashboard and the API later). Handlers reach the engine as `request.app[ENGINE]`, the
  metrics as `request.app[METRICS]`, the leader flag as `request.app[LEADER]` and the
  `[web]` settings as `request.app[SETTINGS]`, the Telegram bot token (to validate Mini App
  initData; never logged) as `request.app[TELEGRAM_TOKEN]`; they never import storage.
- Every response, errors included, carries the security headers in `SECURITY_HEADERS`
  (set just before it is sent, so a route cannot forget them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from aiohttp import web

from bot.config import WebhookSettings, WebSettings
from bot.core.engine import Engine
from bot.web.metrics import WebMetrics
from bot.web.webhooks_out import WebhookRunner

log = logging.getLogger(__name__)

ENGINE = web.AppKey("engine", Engine)
SETTINGS = web.AppKey("web_settings", WebSettings)
METRICS = web.AppKey("metrics", WebMetrics)
LEADER: web.AppKey[Callable[[], bool] | None] = web.AppKey("leader")
TELEGRAM_TOKEN = web.AppKey("telegram_token", str)
"""The Telegram bot token this process runs with ("" : none), to validate Mini App initData
(`bot.web.draw_page`). Never logged."""

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
SHUTDOWN_SECONDS = 5.0
MAX_BODY_BYTES = 32 * 1024 * 1024
"""aiohttp's `client_max_size`: the largest request body (the API's item pushes carry base64
images); a larger one is refused with 413 before a handler reads it."""

AddRoutes = Callable[[web.Application], None]


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


def routes() -> list[AddRoutes]:
    """Every slice's `add_routes`, in order (a later slice adds itself here)."""
    from bot.web import (
        api,
        dashboard,
        draw_hide,
        draw_page,
        exports_page,
        layout,
        locate_page,
        ops,
        review_page,
        session,
        tokens_page,
        webhooks_page,
    )

    return [
        ops.add_routes,
        api.add_routes,
        layout.add_routes,
        dashboard.add_routes,
        review_page.add_routes,
        exports_page.add_routes,
        webhooks_page.add_routes,
        tokens_page.add_routes,
        session.add_routes,
        draw_page.add_routes,
        draw_hide.add_routes,
        locate_page.add_routes,
    ]


def build_app(
    engine: Engine,
    settings: WebSettings,
    *,
    metrics: WebMetrics,
    is_leader: Callable[[], bool] | None = None,
    add: Sequence[AddRoutes] | None = None,
    telegram_token: str = "",
) -> web.Application:
    """The application: shared state under the keys above, the security headers, then the
    routes of every slice (`add`, default `routes()`)."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[ENGINE] = engine
    app[SETTINGS] = settings
    app[METRICS] = metrics
    app[LEADER] = is_leader
    app[TELEGRAM_TOKEN] = telegram_token
    app.on_response_prepare.append(_security_headers)
    for add_routes in routes() if add is None else add:
        add_routes(app)
    return app


class WebAdapter:
    """Serves the web side on `[web] listen:port` (see the module docstring)."""

    platform = "web"

    def __init__(
        self,
        engine: Engine,
        settings: WebSettings,
        *,
        is_leader: Callable[[], bool] | None = None,
        webhooks: WebhookSettings | None = None,
        telegram_token: str = "",
    ) -> None:
        self.engine = engine
        self._telegram_token = telegram_token
        self.webhooks = None if webhooks is None else WebhookRunner(engine, webhooks)
        """Sends webhooks while serving (`[webhooks] enabled`); None: this one sends none."""
        self.settings = settings
        self.metrics = WebMetrics(engine, is_leader)
        self.is_leader = is_leader
        self.port: int | None = None
        """The bound port, once started (the free one picked when `[web] port` is 0)."""
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """Where this process serves it (not the public URL behind a proxy)."""
        host = self.settings.listen
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    async def start(self) -> None:
        """Bind and serve; the log line names the URL (and the public one when set)."""
        app = build_app(
            self.engine,
            self.settings,
            metrics=self.metrics,
            is_leader=self.is_leader,
            telegram_token=self._telegram_token,
        )
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.settings.listen, self.settings.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        self.metrics.attach()
        if self.webhooks is not None:
            self.webhooks.start()
        public = self.settings.public_url
        log.info("web side served at %s%s", self.url, f" (public: {public})" if public else "")

    async def stop(self) -> None:
        """Stop serving (idempotent); requests in flight get `SHUTDOWN_SECONDS`."""
        self.metrics.detach()
        if self.webhooks is not None:
            await self.webhooks.stop()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
