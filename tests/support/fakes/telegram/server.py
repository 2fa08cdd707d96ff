"""A loopback fake of the Telegram Bot API that the real python-telegram-bot client talks to.

One aiohttp app on 127.0.0.1 (port 0) serves `/bot{token}/{method}` and the file route
`/file/bot{token}/{file_path}`, holding the state a test asserts on: every call, every message
in its current (edited) form, callback answers, uploaded bytes, edit timestamps per chat.
`BotApiServer` (here) holds the state and routes requests; `methods.BotApi` implements the Bot
API methods, `webhook.WebhookApi` the webhook ones and the delivery of updates by POST;
`fake.FakeTelegram` adds the test-side API (users, chats, pushed updates, waiting for calls,
failure injection); `client` runs python-telegram-bot against it (and the fixture);
`payloads` builds and checks the JSON.

Behaviour copied from the real API (see shared/docs/platforms.md A.3, A.6):

- a wrong token answers 401 "Unauthorized", an unknown method 404 "Not Found: method not found";
  method names are case-insensitive;
- form fields that are not strings arrive JSON-encoded (`chat_id=-100123`, `reply_markup={...}`);
- `getUpdates` drops updates below `offset`, long-polls up to `timeout` s and remembers
  `allowed_updates`; stopping the fake wakes every held poll;
- `editMessageText`/`Caption`/`Media` without `reply_markup` REMOVE the inline keyboard; an edit
  that changes nothing is 400 "message is not modified";
- callback_data is 1-64 bytes, text at most 4096 characters, captions at most 1024;
- photos must decode as images within 10 MB, width + height <= 10000 and aspect ratio <= 20;
  an uploaded GIF comes back as an `animation` with mime type video/mp4 (bytes kept as sent).
"""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from tests.support.fakes.telegram.payloads import (
    ApiError,
    Call,
    CallbackAnswer,
    Failure,
    FakeMessage,
    JSONDict,
    StoredFile,
    bad_request,
    json_answer,
    read_params,
)

log = logging.getLogger(__name__)


class BotApiServer:
    """The server half of the fake: state and routing (the methods are `methods.BotApi`)."""

    def __init__(self, token: str, bot_user: JSONDict, *, privacy_mode: bool) -> None:
        self.token = token
        self.bot_user = bot_user
        self.privacy_mode = privacy_mode
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], FakeMessage] = {}
        self.callback_answers: dict[str, CallbackAnswer] = {}
        self.edit_times: dict[int, list[float]] = {}
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.files: dict[str, StoredFile] = {}
        self.downloads: list[str] = []  # file paths served by the file route, in order
        self.chats: dict[int, JSONDict] = {}
        self.users: dict[int, JSONDict] = {int(bot_user["id"]): bot_user}
        self.admins: dict[int, dict[int, str]] = {}
        self.pending_callbacks: set[str] = set()
        self._updates: list[JSONDict] = []
        self._allowed_updates: list[str] = []
        self._updates_changed = asyncio.Condition()
        self._calls_changed = asyncio.Condition()
        self._failures: list[tuple[str, Failure]] = []
        self._next_ids: dict[int, int] = {}
        self._file_counter = 0
        self._closing = False
        self._methods: dict[str, Callable[[Call], Awaitable[Any]]] = {
            name.removeprefix("_api_").lower(): getattr(self, name)
            for name in dir(self)
            if name.startswith("_api_")
        }

    # -- plumbing -------------------------------------------------------------------------

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=60 * 2**20)  # animations may be 50 MB
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        return app

    async def close(self) -> None:
        """Release every held long poll: aiohttp does not cancel handlers on disconnect."""
        self._closing = True
        async with self._updates_changed:
            self._updates_changed.notify_all()

    async def record(self, call: Call) -> None:
        async with self._calls_changed:
            if call not in self.calls:
                self.calls.append(call)
            self._calls_changed.notify_all()

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        params, files = await read_params(request)
        call = Call(request.match_info["method"], params, files, time.monotonic())
        if request.match_info["token"] != self.token:
            call.status, call.error = 401, "Unauthorized"
            await self.record(call)
            return json_answer(ApiError(401, "Unauthorized").body(), 401)
        if call.method.lower() == "getupdates":
            await self.record(call)  # held for its long poll: tests wait for its arrival
        try:
            result = await self._dispatch_checked(call, request)
        except ApiError as err:
            call.status, call.error = err.status, err.description
            response = json_answer(err.body(), err.status)
        else:
            call.status, call.result = 200, result
            response = json_answer({"ok": True, "result": result})
        log.debug("fake Bot API: %s %s", call, call.error or "")
        await self.record(call)
        return response

    async def _dispatch_checked(self, call: Call, request: web.Request) -> Any:
        """Run the method; a request the fake cannot read becomes a 400 naming the problem."""
        try:
            return await self._dispatch(call, request)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("fake Bot API could not handle %s: %r", call, exc)
            raise bad_request(f"malformed {call.method} request: {exc!r}") from exc

    async def _dispatch(self, call: Call, request: web.Request) -> Any:
        if injected := self._take_failure(call.method):
            if injected.disconnect:
                assert request.transport is not None
                request.transport.close()  # PTB sees httpx.RemoteProtocolError -> NetworkError
            raise ApiError(injected.status, injected.description, injected.parameters)
        handler = self._methods.get(call.method.lower())
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return await handler(call)

    def add_failure(self, method: str, injected: Failure) -> None:
        self._failures.append((method.lower(), injected))

    def _take_failure(self, method: str) -> Failure | None:
        for index, (name, injected) in enumerate(self._failures):
            if name == method.lower():
                injected.remaining -= 1
                if injected.remaining <= 0:
                    del self._failures[index]
                return injected
        return None

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        stored = next((f for f in self.files.values() if f.file_path == path), None)
        if request.match_info["token"] != self.token or stored is None:
            return json_answer(ApiError(404, "Not Found").body(), 404)
        self.downloads.append(path)
        return web.Response(body=stored.data, content_type=stored.mime_type)

    # -- state helpers --------------------------------------------------------------------

    def chat(self, chat_id: Any) -> JSONDict:
        found = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if found is None:
            raise bad_request("chat not found")
        return found

    def next_message_id(self, chat_id: int) -> int:
        self._next_ids[chat_id] = self._next_ids.get(chat_id, 0) + 1
        return self._next_ids[chat_id]

    def store(self, message: FakeMessage) -> JSONDict:
        self.messages[(message.chat_id, message.message_id)] = message
        return copy.deepcopy(message.payload)

    async def queue_update(self, update: JSONDict) -> None:
        async with self._updates_changed:
            self._updates.append(update)
            self._updates_changed.notify_all()

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed by a later `getUpdates` offset."""
        return list(self._updates)

    # -- startup and polling --------------------------------------------------------------
