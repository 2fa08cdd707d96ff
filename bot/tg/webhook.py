"""Telegram updates by webhook: the process serves them itself (aiohttp), many processes can.

Rules:
- Telegram POSTs each update as JSON to `[telegram] webhook_url` (a reverse proxy in front of
  N processes); every process serves `webhook_path` on its own `webhook_listen:webhook_port`.
- Every request must carry the secret token in `X-Telegram-Bot-Api-Secret-Token` (compared in
  constant time). A missing or wrong one is answered 403 and nothing is processed; the
  warning names the peer, never the token. A body that is not an update is answered 400.
- An accepted update goes to the PTB Application's `update_queue`, the path polling uses, so
  `PerUserOrder` and the handlers behave exactly as with polling; the answer (200) does not
  wait for the handlers. Telegram retries what is not answered 2xx.
- `GET /healthz` answers 200 "ok" while the application runs (for the load balancer).
- `setWebhook` is not called here: one process (the scheduler's leader) calls
  `TelegramAdapter.ensure_webhook`, which sets the webhook only when `fingerprint` changed.
- PTB's own `start_webhook` is not used: it always calls setWebhook, and runs tornado.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.config import ConfigError, TelegramSettings

log = logging.getLogger(__name__)

#: The update kinds LabelQuest handles; polling asks for the same ones.
ALLOWED_UPDATES = ["message", "callback_query"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: The Bot API's rule for `secret_token`.
SECRET_RULE = re.compile(r"[A-Za-z0-9_-]{1,256}")
SHUTDOWN_SECONDS = 5.0


def webhook_secret(cfg: TelegramSettings, given: str | None, environ: dict[str, str]) -> str:
    """The webhook's secret token: `given`, else the variable named by `webhook_secret_env`.

    Missing or not 1-256 characters of A-Z a-z 0-9 _ - (Telegram's rule) is a `ConfigError`
    whose message names the variable, never the value."""
    name = cfg.webhook_secret_env
    secret = (given if given is not None else environ.get(name, "")).strip()
    if not secret:
        raise ConfigError(
            f'[telegram] mode = "webhook" needs a secret token: set the environment variable'
            f" {name} ([telegram] webhook_secret_env) to 1-256 characters of A-Z a-z 0-9 _ -"
        )
    if not SECRET_RULE.fullmatch(secret):
        problem = "longer" if len(secret) > 256 else "other characters"
        raise ConfigError(
            f"[telegram] the webhook secret token in {name} must be 1-256 characters of"
            f" A-Z a-z 0-9 _ - (Telegram's rule); it has {problem}"
        )
    return secret


def served_path(cfg: TelegramSettings) -> str:
    """The local path of the update endpoint: `webhook_path`, else the path of
    `webhook_url` (a proxy usually forwards the path unchanged), else `/`."""
    return cfg.webhook_path or urlsplit(cfg.webhook_url).path or "/"


def fingerprint(url: str, secret: str, allowed: Sequence[str], max_connections: int) -> str:
    """What `setWebhook` was given, as sha256 hex: stored by the caller, it tells whether
    the webhook must be set again (the secret itself is never stored)."""
    text = "\n".join([url, secret, ",".join(allowed), str(max_connections)])
    return hashlib.sha256(text.encode()).hexdigest()


class WebhookServer:
    """Serves `path` (updates) and `/healthz` on `listen:port`; `port` 0 picks a free port,
    and `bound_port` tells which."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        secret: str,
        *,
        listen: str,
        port: int,
        path: str,
    ) -> None:
        self.application = application
        self._secret = secret.encode()
        self.listen = listen
        self.port = port
        self.path = path
        self.bound_port: int | None = None
        self._runner: web.AppRunner | None = None

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post(self.path, self.receive)
        app.router.add_get("/healthz", self.health)
        return app

    async def start(self) -> None:
        runner = web.AppRunner(
            self.build_app(), access_log=None, shutdown_timeout=SHUTDOWN_SECONDS
        )
        await runner.setup()
        self._runner = runner
        site = web.TCPSite(runner, self.listen, self.port)
        await site.start()
        self.bound_port = int(runner.addresses[0][1])
        log.info(
            "Telegram updates served at http://%s:%d%s",
            self.listen,
            self.bound_port,
            self.path,
        )

    async def stop(self) -> None:
        """Stop listening; requests in hand finish (their updates are queued)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _authentic(self, request: web.Request) -> bool:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return False
        return hmac.compare_digest(given.encode("utf-8", "replace"), self._secret)

    async def receive(self, request: web.Request) -> web.Response:
        """One update from Telegram: 403 without the secret, 400 if it is no update, 503
        while stopping (Telegram retries), else queued for the application and 200."""
        if not self._authentic(request):
            why = "no" if SECRET_HEADER not in request.headers else "a wrong"
            log.warning("refused a webhook request from %s: %s secret token", request.remote, why)
            return web.Response(status=403, text="forbidden")
        if not self.application.running:
            return web.Response(status=503, text="stopping")
        try:
            data = json.loads(await request.read())
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not a JSON object with an integer update_id")
            update = Update.de_json(data, self.application.bot)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            log.warning(
                "refused a webhook request from %s: not an update (%s)", request.remote, exc
            )
            return web.Response(status=400, text="not an update")
        await self.application.update_queue.put(update)
        return web.Response(text="ok")

    async def health(self, request: web.Request) -> web.Response:
        if self.application.running:
            return web.Response(text="ok")
        return web.Response(status=503, text="stopping")
