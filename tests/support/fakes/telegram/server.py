"""A loopback fake of the Telegram Bot API that the real python-telegram-bot client talks to.

One aiohttp app on 127.0.0.1 (port 0) serves `/bot{token}/{method}` and the file route
`/file/bot{token}/{file_path}`, holding the state a test asserts on: every call, every message
in its current (edited) form, callback answers, uploaded bytes, edit timestamps per chat.
`BotApiServer` implements the Bot API methods; `FakeTelegram` adds the test-side API (users,
chats, pushed updates, waiting for calls, failure injection) and the pytest fixtures follow.

Behaviour copied from the real API (see docs/platforms.md A.3, A.6):

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
import contextlib
import copy
import io
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web
from PIL import Image
from telegram.ext import Application, ApplicationBuilder

from tests.fakes.tg_factory import (
    ApiError,
    Call,
    CallbackAnswer,
    Failure,
    FakeMessage,
    JSONDict,
    StoredFile,
    UploadedFile,
    bad_request,
    chat_member_json,
    failure,
    full_chat_info,
    gif_duration_ms,
    group_json,
    json_answer,
    photo_sizes,
    plain_text,
    private_chat_json,
    read_params,
    text_entities,
    user_json,
    validate_update,
)

log = logging.getLogger(__name__)

MEDIA_KINDS = ("photo", "animation", "document")
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


class BotApiServer:
    """The server half of the fake: state, routing and the Bot API methods."""

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

    async def _api_getMe(self, call: Call) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _api_deleteWebhook(self, call: Call) -> bool:
        if call.params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_getUpdates(self, call: Call) -> list[JSONDict]:
        offset = int(call.params.get("offset") or 0)
        limit = int(call.params.get("limit") or 100)
        if (allowed := call.params.get("allowed_updates")) is not None:
            self._allowed_updates = list(allowed)

        def visible() -> list[JSONDict]:
            wanted = self._allowed_updates
            return [u for u in self._updates if not wanted or set(u) & set(wanted)][:limit]

        async with self._updates_changed:
            if offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]
            try:
                async with asyncio.timeout(float(call.params.get("timeout") or 0)):
                    await self._updates_changed.wait_for(lambda: self._closing or bool(visible()))
            except TimeoutError:
                pass
            return [] if self._closing else copy.deepcopy(visible())

    def _commands_key(self, call: Call) -> tuple[str, str]:
        scope = call.params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(call.params.get("language_code") or "")

    async def _api_setMyCommands(self, call: Call) -> bool:
        commands = call.params.get("commands") or []
        for command in commands:
            name, description = command.get("command", ""), command.get("description", "")
            if not (1 <= len(name) <= 32 and name.replace("_", "").isalnum() and name.islower()):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("command description must be 1-256 characters")
        self.commands[self._commands_key(call)] = commands
        return True

    async def _api_getMyCommands(self, call: Call) -> list[JSONDict]:
        return self.commands.get(self._commands_key(call), [])

    async def _api_deleteMyCommands(self, call: Call) -> bool:
        self.commands.pop(self._commands_key(call), None)
        return True

    # -- sending --------------------------------------------------------------------------

    def _inline_markup(self, call: Call) -> JSONDict | None:
        markup = call.params.get("reply_markup")
        if not isinstance(markup, dict) or not markup.get("inline_keyboard"):
            return None  # reply keyboards are not echoed in the returned Message
        for row in markup["inline_keyboard"]:
            for button in row:
                data = button.get("callback_data")
                if not button.get("text") or (
                    data is not None and not 1 <= len(data.encode()) <= 64
                ):
                    raise bad_request("BUTTON_DATA_INVALID")
        return markup

    def _caption(self, call: Call, params: JSONDict | None = None) -> JSONDict:
        params = call.params if params is None else params
        if not params.get("caption"):
            return {}
        caption = plain_text(params["caption"], params.get("parse_mode"))
        if len(caption) > 1024:
            raise bad_request("message caption is too long")
        return {"caption": caption}

    async def _new_message(
        self, call: Call, kind: str, content: JSONDict, file: StoredFile | None = None
    ) -> JSONDict:
        chat = self.chat(call.params.get("chat_id"))
        payload: JSONDict = {
            "message_id": self.next_message_id(chat["id"]),
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
        if (reply := call.params.get("reply_parameters")) is not None:
            target = self.messages.get((reply.get("chat_id", chat["id"]), reply["message_id"]))
            if target is not None:
                payload["reply_to_message"] = copy.deepcopy(target.payload)
            elif not reply.get("allow_sending_without_reply"):
                raise bad_request("message to be replied not found")
        if markup := self._inline_markup(call):
            payload["reply_markup"] = markup
        return self.store(FakeMessage(copy.deepcopy(payload), kind, True, file))

    async def _api_sendMessage(self, call: Call) -> JSONDict:
        text = plain_text(str(call.params.get("text") or ""), call.params.get("parse_mode"))
        if not text.strip():
            raise bad_request("message text is empty")
        if len(text) > 4096:
            raise bad_request("message is too long")
        content: JSONDict = {"text": text}
        if entities := call.params.get("entities"):
            content["entities"] = entities
        return await self._new_message(call, "text", content)

    def _new_file(self, upload: UploadedFile, kind: str, mime_type: str) -> StoredFile:
        self._file_counter += 1
        n = self._file_counter
        suffix = "." + upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else ""
        stored = StoredFile(
            f"{kind}-{n}-{self.token[-6:]}", f"uq{n}", f"{kind}s/file_{n}{suffix}",
            upload.data, mime_type, upload.filename,
        )  # fmt: skip
        self.files[stored.file_id] = stored
        return stored

    def _input_file(self, call: Call, value: Any, name: str, kind: str) -> StoredFile:
        """The file given as `value` of field `name`: an upload (maybe `attach://part`) or a
        known file_id sent as text."""
        if isinstance(value, str) and value.startswith("attach://"):
            name, value = value.removeprefix("attach://"), None
        if (upload := call.files.get(name)) is not None:
            if not upload.data:
                raise bad_request("file must be non-empty")
            return self._new_file(upload, kind, upload.content_type)
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        if value is None:
            raise bad_request(f"there is no {kind} in the request")
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _media_json(self, kind: str, stored: StoredFile) -> JSONDict:
        try:
            with Image.open(io.BytesIO(stored.data)) as image:
                width, height = image.size
                frames_ms = gif_duration_ms(image) if kind == "animation" else 0
        except Exception as exc:
            if kind == "photo":
                raise bad_request("IMAGE_PROCESS_FAILED") from exc
            width = height = frames_ms = 0  # an mp4 animation or a non-image document
        base = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        size = len(stored.data)
        if kind == "photo":
            sizes = photo_sizes(base, width, height, size)
            for photo_size in sizes:  # every size downloads; the fake keeps one set of bytes
                self.files.setdefault(photo_size["file_id"], stored)
            return {"photo": sizes}
        if kind == "document":
            return {"document": {**base, "file_name": stored.file_name,
                                 "mime_type": stored.mime_type, "file_size": size}}  # fmt: skip
        animation = {**base, "width": width, "height": height, "duration": frames_ms // 1000,
                     "file_name": f"{stored.file_name}.mp4", "mime_type": "video/mp4",
                     "file_size": size}  # fmt: skip
        # Telegram sets `document` too on animations, for backward compatibility.
        document = {k: animation[k] for k in (*base, "file_name", "mime_type", "file_size")}
        return {"animation": animation, "document": document}

    async def _send_media(self, call: Call, kind: str) -> JSONDict:
        stored = self._input_file(call, call.params.get(kind), kind, kind)
        limit = {"photo": 10, "animation": 50, "document": 50}[kind] * 2**20
        if len(stored.data) > limit:
            raise bad_request("file is too big")
        content = {**self._media_json(kind, stored), **self._caption(call)}
        return await self._new_message(call, kind, content, stored)

    async def _api_sendPhoto(self, call: Call) -> JSONDict:
        return await self._send_media(call, "photo")

    async def _api_sendAnimation(self, call: Call) -> JSONDict:
        return await self._send_media(call, "animation")

    async def _api_sendDocument(self, call: Call) -> JSONDict:
        return await self._send_media(call, "document")

    async def _api_sendChatAction(self, call: Call) -> bool:
        self.chat(call.params.get("chat_id"))
        return True

    # -- editing --------------------------------------------------------------------------

    def _target(self, call: Call) -> FakeMessage:
        if "inline_message_id" in call.params:
            raise bad_request("the fake does not emulate inline messages")
        chat_id = self.chat(call.params.get("chat_id"))["id"]
        self.edit_times.setdefault(chat_id, []).append(call.time)
        message = self.messages.get((chat_id, int(call.params.get("message_id") or 0)))
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def _apply_edit(self, message: FakeMessage, changes: JSONDict, markup: JSONDict | None) -> Any:
        """Apply `changes` (None values delete keys); the keyboard goes unless re-sent."""
        before = copy.deepcopy(message.payload)
        for key, value in changes.items():
            if value is None:
                message.payload.pop(key, None)
            else:
                message.payload[key] = value
        message.payload.pop("reply_markup", None)
        if markup is not None:
            message.payload["reply_markup"] = markup
        if message.payload == before:
            raise bad_request(NOT_MODIFIED)
        message.payload["edit_date"] = int(time.time())
        message.edits += 1
        return copy.deepcopy(message.payload)

    async def _api_editMessageText(self, call: Call) -> Any:
        message = self._target(call)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        text = plain_text(str(call.params.get("text") or ""), call.params.get("parse_mode"))
        if not text.strip():
            raise bad_request("message text is empty")
        changes = {"text": text, "entities": call.params.get("entities")}
        return self._apply_edit(message, changes, self._inline_markup(call))

    async def _api_editMessageCaption(self, call: Call) -> Any:
        message = self._target(call)
        if message.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        changes = {"caption": None, **self._caption(call)}
        return self._apply_edit(message, changes, self._inline_markup(call))

    async def _api_editMessageReplyMarkup(self, call: Call) -> Any:
        return self._apply_edit(self._target(call), {}, self._inline_markup(call))

    async def _api_editMessageMedia(self, call: Call) -> Any:
        message = self._target(call)
        media = call.params.get("media")
        if message.kind == "text" or not isinstance(media, dict):
            raise bad_request("there is no media in the message to edit")
        kind = media.get("type")
        if kind not in MEDIA_KINDS:
            raise bad_request(f"unsupported media type {kind!r}")
        stored = self._input_file(call, media.get("media"), "media", kind)
        changes: JSONDict = {k: None for k in (*MEDIA_KINDS, "caption")}
        changes.update({**self._media_json(kind, stored), **self._caption(call, media)})
        message.kind, message.file = kind, stored
        return self._apply_edit(message, changes, self._inline_markup(call))

    async def _api_deleteMessage(self, call: Call) -> bool:
        chat_id = self.chat(call.params.get("chat_id"))["id"]
        if self.messages.pop((chat_id, int(call.params.get("message_id") or 0)), None) is None:
            raise bad_request("message to delete not found")
        return True

    async def _api_answerCallbackQuery(self, call: Call) -> bool:
        query_id = str(call.params.get("callback_query_id"))
        if query_id not in self.pending_callbacks:
            raise bad_request(_QUERY_INVALID)
        text = call.params.get("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self.pending_callbacks.discard(query_id)
        show_alert = bool(call.params.get("show_alert"))
        self.callback_answers[query_id] = CallbackAnswer(text, show_alert, call.params.get("url"))
        return True

    # -- chats, members, files ------------------------------------------------------------

    async def _api_getChat(self, call: Call) -> JSONDict:
        return full_chat_info(self.chat(call.params.get("chat_id")))

    async def _api_getChatMember(self, call: Call) -> JSONDict:
        chat = self.chat(call.params.get("chat_id"))
        user = self.users.get(call.params.get("user_id"))  # type: ignore[arg-type]
        if user is None:
            raise bad_request("user not found")
        if chat["type"] == "private":
            return chat_member_json(user, "member")
        return chat_member_json(user, self.admins.get(chat["id"], {}).get(user["id"], "member"))

    async def _api_getChatAdministrators(self, call: Call) -> list[JSONDict]:
        chat = self.chat(call.params.get("chat_id"))
        if chat["type"] == "private":
            raise bad_request("there are no administrators in the private chat")
        ranks = sorted(self.admins.get(chat["id"], {}).items(), key=lambda kv: kv[1] != "creator")
        return [chat_member_json(self.users[user_id], status) for user_id, status in ranks]

    async def _api_getFile(self, call: Call) -> JSONDict:
        stored = self.files.get(str(call.params.get("file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.data) > 20 * 2**20:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }


ChatRef = JSONDict | int


class FakeTelegram(BotApiServer):
    """The fake Bot API plus the test-side API: build a world, push updates, await calls.

    Privacy mode (`privacy_mode=True`, Telegram's default for bots) makes `getMe` answer
    `can_read_all_group_messages: false` and drops group messages the real server would not
    deliver: anything but commands (bare or `@ThisBot`), @mentions of the bot and replies to the
    bot, unless the bot is an administrator of that group.
    """

    def __init__(
        self,
        *,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "TestBot",
        bot_first_name: str = "LabelQuest Test",
        privacy_mode: bool = False,
    ) -> None:
        bot_id = int(token.split(":", 1)[0])
        bot = user_json(bot_id, bot_first_name, bot_username, is_bot=True)
        super().__init__(token, bot, privacy_mode=privacy_mode)
        self.bot_username = bot_username
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._next_update_id = 0
        self._next_callback_id = 0

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        self._runner = web.AppRunner(self.build_app(), access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        await self.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`: PTB appends the token and the method."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/file/bot"

    # -- the world ------------------------------------------------------------------------

    def user(self, user_id: int, first_name: str, username: str | None = None) -> JSONDict:
        """A human user known to the fake (getChatMember finds it)."""
        user = user_json(user_id, first_name, username)
        self.users[user_id] = user
        return user

    def private_chat(self, user: JSONDict) -> JSONDict:
        chat = private_chat_json(user)
        self.chats[chat["id"]] = chat
        return chat

    def group(self, chat_id: int, title: str, *, supergroup: bool = True) -> JSONDict:
        """A group the bot is in; supergroup ids look like -100..., basic group ids are < 0."""
        if chat_id >= 0:
            raise ValueError(f"group ids are negative, got {chat_id}")
        chat = group_json(chat_id, title, supergroup=supergroup)
        self.chats[chat_id] = chat
        return chat

    def set_admins(self, chat: ChatRef, *users: JSONDict, owner: JSONDict | None = None) -> None:
        """The administrators (and optional creator) of a group; the bot may be one of them."""
        chat_id = self._chat_id(chat)
        ranks = {int(u["id"]): "administrator" for u in users}
        if owner is not None:
            ranks[int(owner["id"])] = "creator"
        for user in (*users, *([owner] if owner else [])):
            self.users.setdefault(int(user["id"]), user)
        self.admins[chat_id] = ranks

    def _chat_id(self, chat: ChatRef) -> int:
        chat_id = chat if isinstance(chat, int) else int(chat["id"])
        if chat_id not in self.chats:
            raise ValueError(
                f"chat {chat_id} is unknown: create it with private_chat() or group()"
            )
        return chat_id

    # -- feeding updates ------------------------------------------------------------------

    async def push_update(self, payload: JSONDict) -> JSONDict:
        """Queue an update for getUpdates after checking PTB can parse it (`update_id` added)."""
        if "update_id" not in payload:
            self._next_update_id += 1
            payload = {"update_id": self._next_update_id, **payload}
        validate_update(payload)
        self._next_update_id = max(self._next_update_id, int(payload["update_id"]))
        await self.queue_update(payload)
        return payload

    async def send_text(
        self, chat: ChatRef, user: JSONDict, text: str, reply_to: int | None = None
    ) -> JSONDict | None:
        """A user writes `text` (entities added); None if privacy mode keeps it from the bot."""
        chat_json = self.chats[self._chat_id(chat)]
        payload: JSONDict = {
            "message_id": self.next_message_id(chat_json["id"]),
            "from": user,
            "chat": chat_json,
            "date": int(time.time()),
            "text": text,
        }
        if entities := text_entities(text):
            payload["entities"] = entities
        if reply_to is not None:
            payload["reply_to_message"] = copy.deepcopy(
                self.message(chat_json["id"], reply_to).payload
            )
        self.store(FakeMessage(copy.deepcopy(payload), "text", from_bot=False))
        if not self._delivered(payload):
            return None
        await self.push_update({"message": payload})
        return payload

    async def send_command(
        self,
        chat: ChatRef,
        user: JSONDict,
        command: str,
        args: str = "",
        *,
        reply_to: int | None = None,
    ) -> JSONDict | None:
        """A user sends `/cmd` or `/cmd@BotName`, optionally followed by `args`."""
        if not command.startswith("/") or " " in command:
            raise ValueError(f"a command looks like '/start' or '/start@Bot', got {command!r}")
        return await self.send_text(chat, user, f"{command} {args}".strip(), reply_to)

    async def press(
        self, chat: ChatRef, user: JSONDict, message_id: int, data: str, *, check: bool = True
    ) -> str:
        """A user presses the inline button carrying `data`; returns the callback query id.

        With `check` the button must be on the message's CURRENT keyboard, as in a real client.
        """
        message = self.message(self._chat_id(chat), message_id)
        if check and data not in {d for row in message.buttons() for _, d in row}:
            raise ValueError(
                f"message {message_id} has no button with callback_data {data!r}; "
                f"its buttons are {message.buttons()}"
            )
        self._next_callback_id += 1
        query_id = f"{self.bot_user['id']}{self._next_callback_id:08d}"
        self.pending_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": user,
            "message": copy.deepcopy(message.payload),
            "chat_instance": f"ci{message.chat_id}",
            "data": data,
        }
        await self.push_update({"callback_query": query})
        return query_id

    def _delivered(self, payload: JSONDict) -> bool:
        chat = payload["chat"]
        if not self.privacy_mode or chat["type"] == "private":
            return True
        if self.admins.get(chat["id"], {}).get(int(self.bot_user["id"])):
            return True
        mine = f"@{self.bot_username}".lower()
        for entity in payload.get("entities", []):
            word = payload["text"][entity["offset"] :][: entity["length"]].lower()
            if entity["type"] == "mention" and word == mine:
                return True
            if entity["type"] == "bot_command" and entity["offset"] == 0:
                return "@" not in word or word.endswith(mine)
        reply = payload.get("reply_to_message")
        return bool(reply and reply.get("from", {}).get("id") == self.bot_user["id"])

    # -- observing ------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: float | None = None,
        description: str | None = None,
        times: int = 1,
        disconnect: bool = False,
    ) -> None:
        """Answer the next `times` calls of `method` with an error instead of running it.

        429 carries `parameters.retry_after` (default 1; a float such as 0.01 keeps tests fast,
        PTB raises RetryAfter); 400 -> BadRequest, 403 -> Forbidden, 502 -> NetworkError.
        `disconnect=True` closes the connection without an answer (PTB: NetworkError).
        """
        self.add_failure(method, failure(status, retry_after, description, times, disconnect))

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - the brief's signature; used via asyncio.timeout
        *,
        include_consumed: bool = False,
    ) -> Call:
        """The first recorded `method` call matching `predicate`, awaiting it if needed.

        A returned call is consumed: a later wait skips it unless `include_consumed`. Calls are
        recorded when answered (with status and result), getUpdates when it arrives.
        """

        def find() -> Call | None:
            for call in self.calls:
                if call.method.lower() != method.lower() or (
                    call.consumed and not include_consumed
                ):
                    continue
                if predicate is None or predicate(call):
                    return call
            return None

        try:
            async with self._calls_changed, asyncio.timeout(timeout):
                await self._calls_changed.wait_for(lambda: find() is not None)
        except TimeoutError:
            seen = ", ".join(str(c) for c in self.calls[-40:]) or "none"
            raise AssertionError(
                f"no matching {method} call within {timeout}s; saw: {seen}"
            ) from None
        found = find()
        assert found is not None
        found.consumed = True
        return found

    async def wait_for_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        """The answerCallbackQuery of callback `query_id` (toast or alert)."""
        await self.wait_for_call(
            "answerCallbackQuery",
            lambda c: c.ok and str(c.params.get("callback_query_id")) == query_id,
            timeout,
            include_consumed=True,
        )
        return self.callback_answers[query_id]

    def message(self, chat_id: int, message_id: int) -> FakeMessage:
        """A message in its current state (KeyError naming what exists if unknown or deleted)."""
        found = self.messages.get((chat_id, message_id))
        if found is None:
            known = sorted(mid for cid, mid in self.messages if cid == chat_id)
            raise KeyError(f"no message {message_id} in chat {chat_id}; known ids: {known}")
        return found

    def bot_messages(self, chat_id: int) -> list[FakeMessage]:
        """Messages the bot sent to `chat_id` and has not deleted, oldest first."""
        mine = [m for (cid, _), m in self.messages.items() if cid == chat_id and m.from_bot]
        return sorted(mine, key=lambda m: m.message_id)

    def buttons(self, chat_id: int, message_id: int) -> list[list[tuple[str, str | None]]]:
        """Current inline keyboard of a message as rows of (text, callback_data or url)."""
        return self.message(chat_id, message_id).buttons()

    def max_edits_within(self, chat_id: int, seconds: float = 1.0) -> int:
        """The most edit calls to `chat_id` that fell inside any window of `seconds`."""
        times = sorted(self.edit_times.get(chat_id, []))
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] >= seconds:
                start += 1
            best = max(best, end - start + 1)
        return best


# -- wiring helpers and fixtures ----------------------------------------------------------


def application_builder(fake: FakeTelegram) -> ApplicationBuilder:  # type: ignore[type-arg]
    """An ApplicationBuilder pointed at the fake (token, base_url, base_file_url)."""
    return (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
    )


@contextlib.asynccontextmanager
async def running(app: Application, poll_timeout: float = 10.0) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run `app` the LabelQuest way (never run_polling): initialize, post_init, start, poll.

    Shutdown is the reverse: stop the updater, stop, shutdown (post_stop/post_shutdown included).
    """
    async with contextlib.AsyncExitStack() as stack:
        await app.initialize()
        stack.push_async_callback(_shut_down, app)
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        stack.push_async_callback(_stop, app)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=int(poll_timeout))
        stack.push_async_callback(app.updater.stop)
        yield app


async def _stop(app: Application) -> None:  # type: ignore[type-arg]
    await app.stop()
    if app.post_stop is not None:
        await app.post_stop(app)


async def _shut_down(app: Application) -> None:  # type: ignore[type-arg]
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


@pytest_asyncio.fixture
async def telegram_fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeTelegram]:
    """A started FakeTelegram; PTB_TIMEDELTA=1 so RetryAfter.retry_after is a timedelta.

    Without it PTB 22 emits a PTBDeprecationWarning while constructing RetryAfter, which the
    suite's `filterwarnings = error` turns into a crash inside PTB's request path.
    """
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    async with FakeTelegram() as fake:
        yield fake
