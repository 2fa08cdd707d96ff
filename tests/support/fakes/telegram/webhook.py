"""The webhook half of the Telegram fake: setWebhook, getWebhookInfo, deleteWebhook, and the
delivery of updates by HTTP POST, following the Bot API's rules:

- `setWebhook(url, secret_token, allowed_updates, max_connections, drop_pending_updates)`
  stores them (an empty url removes the webhook; `allowed_updates` omitted keeps the previous
  list); the url must be https (the fake also accepts http on 127.0.0.1/localhost), the secret
  1-256 characters of A-Z a-z 0-9 _ -, max_connections 1-100 (default 40);
- `getWebhookInfo` returns url, pending_update_count, max_connections, allowed_updates and
  the last delivery error; `deleteWebhook` clears the webhook (`drop_pending_updates` drops
  the queue), pending updates stay for getUpdates;
- while a webhook is set, `getUpdates` is 409 "Conflict: can't use getUpdates method while
  webhook is active; use deleteWebhook to delete the webhook first";
- with a webhook set, each pending update is POSTed as JSON with the header
  `X-Telegram-Bot-Api-Secret-Token`; only a 2xx answer removes it from the queue, anything
  else (an error status, a refused connection, a timeout) is retried after `retry_delay`, so
  no update is lost; at most `max_connections` requests are in flight, and the updates of one
  chat go one at a time, in order (the next waits for the previous one's 2xx).

Telegram calls the PUBLIC url, which in production is a reverse proxy in front of several
processes; the test's stand-in for the proxy is `route_webhook([backend urls])`: deliveries go
to the backends round-robin (a retry goes to the next one). With no backends, the fake POSTs
to the webhook url itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from tests.support.fakes.telegram.payloads import ApiError, Call, JSONDict, bad_request
from tests.support.fakes.telegram.server import BotApiServer

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active;"
    " use deleteWebhook to delete the webhook first"
)
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class Webhook:
    """What setWebhook stored."""

    url: str
    secret_token: str | None
    allowed_updates: list[str]
    max_connections: int


@dataclass
class WebhookPost:
    """One delivery attempt: where, which update, and the answer (status 0: no answer)."""

    target: str
    update_id: int
    status: int
    error: str | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class _Delivery:
    busy_chats: set[int] = field(default_factory=set)
    in_flight: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    next_backend: int = 0


class WebhookApi(BotApiServer):
    """The webhook methods and the deliverer; `retry_delay` (s) spaces out retries."""

    retry_delay = 0.05
    post_timeout = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.webhook: Webhook | None = None
        self.webhook_backends: list[str] = []
        self.webhook_posts: list[WebhookPost] = []
        self.peak_in_flight = 0
        self.last_webhook_error: tuple[int, str] | None = None
        self._delivery = _Delivery()
        self._deliverer: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    # -- the methods ----------------------------------------------------------------------

    async def _api_setWebhook(self, call: Call) -> bool:
        url = str(call.params.get("url") or "")
        if not url:
            return await self._api_deleteWebhook(call)
        parts = urlsplit(url)
        if parts.scheme != "https" and not (
            parts.scheme == "http" and parts.hostname in _LOOPBACK
        ):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = call.params.get("secret_token")
        if secret is not None and not _SECRET.fullmatch(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        connections = int(call.params.get("max_connections") or 40)
        if not 1 <= connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        allowed = call.params.get("allowed_updates")
        if allowed is None:
            allowed = self.webhook.allowed_updates if self.webhook else self._allowed_updates
        async with self._updates_changed:
            if call.params.get("drop_pending_updates"):
                self._updates.clear()
            self.webhook = Webhook(url, secret, list(allowed), connections)
            self._allowed_updates = list(allowed)
            self._updates_changed.notify_all()
        self._start_deliverer()
        return True

    async def _api_deleteWebhook(self, call: Call) -> bool:
        async with self._updates_changed:
            if call.params.get("drop_pending_updates"):
                self._updates.clear()
            self.webhook = None
            self._updates_changed.notify_all()
        return True

    async def _api_getWebhookInfo(self, call: Call) -> JSONDict:
        info: JSONDict = {
            "url": self.webhook.url if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook is not None:
            info["max_connections"] = self.webhook.max_connections
            if self.webhook.allowed_updates:
                info["allowed_updates"] = self.webhook.allowed_updates
        if self.last_webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = self.last_webhook_error
        return info

    def refuse_polling_under_webhook(self) -> None:
        """getUpdates while a webhook is set: Telegram's 409 (PTB raises `Conflict`)."""
        if self.webhook is not None:
            raise ApiError(409, CONFLICT)

    # -- the test side --------------------------------------------------------------------

    def route_webhook(self, backends: list[str]) -> None:
        """Deliver to these URLs round-robin (the reverse proxy's backends) instead of the
        webhook url itself; an empty list delivers to the webhook url again."""
        self.webhook_backends = list(backends)
        self._start_deliverer()

    async def wait_until_delivered(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until every queued update was answered 2xx by a backend."""
        try:
            async with self._updates_changed, asyncio.timeout(timeout):
                await self._updates_changed.wait_for(lambda: not self._updates)
        except TimeoutError:
            raise AssertionError(
                f"{len(self._updates)} update(s) still undelivered after {timeout}s;"
                f" last error: {self.last_webhook_error}"
            ) from None

    # -- delivery -------------------------------------------------------------------------

    def _start_deliverer(self) -> None:
        if self._deliverer is None or self._deliverer.done():
            self._deliverer = asyncio.get_running_loop().create_task(self._deliver_forever())

    async def _deliver_forever(self) -> None:
        async with self._updates_changed:
            while not self._closing:
                update = self._next_update()
                if update is None:
                    await self._updates_changed.wait()
                    continue
                key = _chat_key(update)
                self._delivery.busy_chats.add(key)
                task = asyncio.get_running_loop().create_task(self._deliver(update, key))
                self._delivery.in_flight[int(update["update_id"])] = task
                self.peak_in_flight = max(self.peak_in_flight, len(self._delivery.in_flight))

    def _next_update(self) -> JSONDict | None:
        """The oldest pending update whose chat has none in flight, within max_connections;
        updates of kinds the webhook does not allow are dropped, as Telegram never sends them."""
        hook = self.webhook
        if hook is None or len(self._delivery.in_flight) >= hook.max_connections:
            return None
        if hook.allowed_updates:
            self._updates[:] = [u for u in self._updates if set(u) & set(hook.allowed_updates)]
        for update in self._updates:
            if int(update["update_id"]) in self._delivery.in_flight:
                continue
            if _chat_key(update) not in self._delivery.busy_chats:
                return update
        return None

    def _webhook_target(self) -> str:
        assert self.webhook is not None
        if not self.webhook_backends:
            return self.webhook.url
        delivery = self._delivery
        target = self.webhook_backends[delivery.next_backend % len(self.webhook_backends)]
        delivery.next_backend += 1
        return target

    async def _deliver(self, update: JSONDict, key: int) -> None:
        """POST once; a 2xx removes the update from the queue, else it is retried later."""
        hook = self.webhook
        post = WebhookPost(self._webhook_target() if hook else "", int(update["update_id"]), 0)
        if hook is not None:
            await self._post(post, update, hook.secret_token)
        self.webhook_posts.append(post)
        if not post.ok:
            self.last_webhook_error = (int(time.time()), post.error or f"HTTP {post.status}")
            await asyncio.sleep(self.retry_delay)
        async with self._updates_changed:
            self._delivery.in_flight.pop(post.update_id, None)
            self._delivery.busy_chats.discard(key)
            if post.ok:
                self._updates[:] = [u for u in self._updates if u is not update]
            self._updates_changed.notify_all()

    async def _post(self, post: WebhookPost, update: JSONDict, secret: str | None) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        timeout = aiohttp.ClientTimeout(total=self.post_timeout)
        try:
            async with self._session.post(
                post.target, data=json.dumps(update), headers=headers, timeout=timeout
            ) as response:
                post.status = response.status
                if not post.ok:
                    post.error = f"Wrong response from the webhook: {response.status}"
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            post.error = f"Connection failed: {exc!r}"

    async def close(self) -> None:
        """Stop delivering: the deliverer and the requests in flight end, the session closes."""
        await super().close()
        tasks = [self._deliverer, *self._delivery.in_flight.values()]
        for task in tasks:
            if task is not None:
                task.cancel()
        for task in tasks:
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._session is not None:
            await self._session.close()
            self._session = None


def _chat_key(update: JSONDict) -> int:
    """The chat an update belongs to (its updates are delivered one at a time)."""
    for kind, body in update.items():
        if kind == "update_id" or not isinstance(body, dict):
            continue
        message = body.get("message") if kind == "callback_query" else body
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return int(message["chat"]["id"])
        if isinstance(body.get("from"), dict):
            return int(body["from"]["id"])
    return 0
