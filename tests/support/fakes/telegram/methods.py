"""The Bot API methods of the Telegram fake: getMe, getUpdates (long poll; 409 while a webhook
is set, see `webhook`), commands, sending
text and media (with Telegram's limits; an inline `web_app` button outside a private chat is 400
BUTTON_TYPE_INVALID, as Telegram answers), edits (an unchanged edit is 400), deletes, callback
answers, chats and files."""

from __future__ import annotations

import asyncio
import copy
import io
import json
import time
from typing import Any

from PIL import Image

from tests.support.fakes.telegram.payloads import (
    Call,
    CallbackAnswer,
    FakeMessage,
    JSONDict,
    StoredFile,
    UploadedFile,
    bad_request,
    chat_member_json,
    full_chat_info,
    gif_duration_ms,
    photo_sizes,
    plain_text,
)
from tests.support.fakes.telegram.webhook import WebhookApi

MEDIA_KINDS = ("photo", "animation", "document")
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


class BotApi(WebhookApi):
    """The methods, found by name (`_api_<method>`, case-insensitive) by `BotApiServer`; the
    webhook methods are `WebhookApi`'s."""

    async def _api_getMe(self, call: Call) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _api_getUpdates(self, call: Call) -> list[JSONDict]:
        self.refuse_polling_under_webhook()
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
                if "web_app" in button and not self._private_call(call):
                    raise bad_request("BUTTON_TYPE_INVALID")  # Mini App buttons: private only
        return markup

    def _private_call(self, call: Call) -> bool:
        """Whether the call's `chat_id` is a private chat (where `web_app` buttons work)."""
        chat_id = call.params.get("chat_id")
        return chat_id is not None and self.chat(chat_id).get("type") == "private"

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
            f"{kind}-{n}-{self.token[-6:]}",
            f"uq{n}",
            f"{kind}s/file_{n}{suffix}",
            upload.data,
            mime_type,
            upload.filename,
        )
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
            return {
                "document": {
                    **base,
                    "file_name": stored.file_name,
                    "mime_type": stored.mime_type,
                    "file_size": size,
                }
            }
        animation = {
            **base,
            "width": width,
            "height": height,
            "duration": frames_ms // 1000,
            "file_name": f"{stored.file_name}.mp4",
            "mime_type": "video/mp4",
            "file_size": size,
        }
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
        if stored.size > 20 * 2**20:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }
