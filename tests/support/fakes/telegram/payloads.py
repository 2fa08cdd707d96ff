"""Wire format of the fake Telegram Bot API: JSON builders, request decoding, call records.

Used by every part of this package. The rules enforced here, because python-telegram-bot does
not check them locally and a bot that breaks them only fails live:

- Every User has `id`, `is_bot`, `first_name`; every Message has `message_id`, a real Unix `date`
  (`date: 0` marks an *inaccessible* message) and `chat`.
- Entity offsets and lengths count UTF-16 code units, as Telegram does.
- `parse_mode="HTML"` accepts only Telegram's tag set, balanced; anything else is
  "Bad Request: can't parse entities" (user names containing `<` are the classic bug).
  `MarkdownV2` rejects the unescaped reserved characters `.!-=+#{}` (the other reserved ones are
  also formatting markers and are not checked). The stored text is the plain text a user sees.
- A pushed update must parse with `telegram.Update.de_json` and carry exactly one payload:
  otherwise PTB's polling loop refetches the same batch forever (shared/docs/platforms.md A.6.1).
"""

from __future__ import annotations

import html
import io
import json
import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from aiohttp import BodyPartReader, web
from PIL import Image
from telegram import Update

JSONDict = dict[str, Any]

HTML_TAGS = frozenset(
    "b strong i em u ins s strike del span tg-spoiler a code pre blockquote tg-emoji".split()  # noqa: SIM905
)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)((?:\s[^<>]*)?)>")
_MDV2_UNESCAPED = re.compile(r"(?<!\\)((?:\\\\)*)([.!\-=+#{}])")
_MDV2_CODE = re.compile(r"(?<!\\)(```.*?```|`[^`]*`)", re.DOTALL)
_MDV2_LINK_TARGET = re.compile(r"\]\((?:\\.|[^)\\])*\)")
_MDV2_MARKERS = re.compile(r"(?<!\\)(\|\||__|[*_~`])")
_ENTITY = re.compile(r"(?<!\S)(/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?|@[A-Za-z0-9_]{5,32})")


#: Fields sent as raw strings: never JSON-decoded even when they look like numbers.
STRING_FIELDS = frozenset(
    (  # noqa: SIM905
        "text caption parse_mode callback_query_id action language_code url inline_message_id "
        "business_connection_id title description short_description emoji message_effect_id "
        "secret_token ip_address"
    ).split()
)


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status, description and optional `parameters`."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """A 400 answer; PTB raises `telegram.error.BadRequest` with this description."""
    return ApiError(400, f"Bad Request: {reason}")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def user_json(
    user_id: int,
    first_name: str,
    username: str | None = None,
    *,
    is_bot: bool = False,
    language_code: str | None = None,
) -> JSONDict:
    user: JSONDict = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def private_chat_json(user: JSONDict) -> JSONDict:
    """A private chat has the id of the user; it carries the user's names, no title."""
    chat: JSONDict = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    if "username" in user:
        chat["username"] = user["username"]
    return chat


def group_json(chat_id: int, title: str, *, supergroup: bool = True) -> JSONDict:
    return {"id": chat_id, "type": "supergroup" if supergroup else "group", "title": title}


def full_chat_info(chat: JSONDict) -> JSONDict:
    """`getChat` answers a ChatFullInfo: the Chat plus fields PTB requires."""
    gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
    accepted = {name: False for name in (*gifts, "gifts_from_channels")}
    return {
        **chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": accepted,
    }


def chat_member_json(user: JSONDict, status: str) -> JSONDict:
    """A ChatMember of `status` creator, administrator or member, with PTB's required flags."""
    if status == "creator":
        return {"status": "creator", "user": user, "is_anonymous": False}
    if status == "member":
        return {"status": "member", "user": user}
    rights = (  # noqa: SIM905
        "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
        "can_change_info can_invite_users can_post_stories can_edit_stories "
        "can_delete_stories can_pin_messages"
    ).split()
    member: JSONDict = {"status": "administrator", "user": user, "is_anonymous": False}
    member.update({right: True for right in rights})
    member.update(can_be_edited=False, can_promote_members=False)
    return member


def text_entities(text: str) -> list[JSONDict]:
    """`bot_command` and `mention` entities, as the Telegram client marks them in a message."""
    entities = []
    for match in _ENTITY.finditer(text):
        kind = "bot_command" if match.group(1).startswith("/") else "mention"
        offset = utf16_len(text[: match.start(1)])
        entities.append({"type": kind, "offset": offset, "length": utf16_len(match.group(1))})
    return entities


def plain_text(text: str, parse_mode: str | None) -> str:
    """The text a user sees once Telegram has parsed `parse_mode` markup (or raises a 400)."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _html_plain(text)
    if mode == "markdownv2":
        return _markdown_v2_plain(text)
    return text


def _html_plain(text: str) -> str:
    stack: list[str] = []
    parts: list[str] = []
    pos = 0
    while (start := text.find("<", pos)) >= 0:
        parts.append(text[pos:start])
        match = _TAG.match(text, start)
        offset = len(text[:start].encode())
        if match is None or match.group(2).lower() not in HTML_TAGS:
            name = match.group(2) if match else text[start + 1 : start + 2]
            raise _entities_error(f'Unsupported start tag "{name}" at byte offset {offset}')
        closing, name = match.group(1) == "/", match.group(2).lower()
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            raise _entities_error(f'Unmatched end tag at byte offset {offset}, found "</{name}>"')
        pos = match.end()
    if stack:
        raise _entities_error(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    parts.append(text[pos:])
    return html.unescape("".join(parts))


def _markdown_v2_plain(text: str) -> str:
    # Code spans and link targets have their own, laxer escaping rules: leave them unchecked.
    checked = _MDV2_LINK_TARGET.sub("]", _MDV2_CODE.sub("", text))
    if match := _MDV2_UNESCAPED.search(checked):
        raise _entities_error(
            f"Character '{match.group(2)}' is reserved and must be escaped with the preceding '\\'"
        )
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", _MDV2_MARKERS.sub("", text))
    return re.sub(r"\\(.)", r"\1", text)


def _entities_error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def validate_update(payload: JSONDict) -> None:
    """Raise ValueError unless PTB parses `payload` into an Update with exactly one payload."""
    kinds = [key for key in payload if key != "update_id"]
    if not isinstance(payload.get("update_id"), int) or len(kinds) != 1:
        raise ValueError(f"an update needs an int update_id and one payload key, got {kinds}")
    try:
        update = Update.de_json(payload, None)
    except Exception as exc:
        raise ValueError(f"PTB cannot parse this {kinds[0]} update: {exc!r}") from exc
    if update.api_kwargs:
        raise ValueError(f"unknown update field(s) {sorted(update.api_kwargs)}")


@dataclass
class UploadedFile:
    """A multipart file part as PTB sent it."""

    filename: str
    content_type: str
    data: bytes


@dataclass(eq=False)  # identity: two identical requests are still two calls
class Call:
    """One Bot API request: decoded params, uploaded files, arrival time and the answer."""

    method: str
    params: JSONDict
    files: dict[str, UploadedFile]
    time: float
    status: int = 0
    result: Any = None
    error: str | None = None
    consumed: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 200

    def __str__(self) -> str:
        shown = {k: v for k, v in self.params.items() if k in ("chat_id", "message_id", "text")}
        return f"{self.method}[{self.status or 'pending'}]{shown or ''}"


@dataclass
class StoredFile:
    """A file the fake knows by `file_id`; `data` is exactly what the bot uploaded."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    mime_type: str
    file_name: str
    declared_size: int | None = None  # a size the test claims without allocating it

    @property
    def size(self) -> int:
        """The file's size as Telegram reports it (`file_size`)."""
        return len(self.data) if self.declared_size is None else self.declared_size


@dataclass
class FakeMessage:
    """A message in its current state; `payload` is the wire JSON Telegram would return now."""

    payload: JSONDict
    kind: str
    from_bot: bool
    file: StoredFile | None = None
    edits: int = 0

    @property
    def chat_id(self) -> int:
        return int(self.payload["chat"]["id"])

    @property
    def message_id(self) -> int:
        return int(self.payload["message_id"])

    @property
    def text(self) -> str | None:
        return self.payload.get("text")

    @property
    def caption(self) -> str | None:
        return self.payload.get("caption")

    @property
    def reply_markup(self) -> JSONDict | None:
        return self.payload.get("reply_markup")

    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard rows as (text, callback_data, url or web_app url) pairs; [] without
        a keyboard."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[(b["text"], _target(b)) for b in row] for row in rows]

    def image(self) -> Image.Image:
        """The uploaded media opened with Pillow (photo, GIF animation or image document)."""
        if self.file is None:
            raise ValueError(f"message {self.message_id} in chat {self.chat_id} has no file")
        return Image.open(io.BytesIO(self.file.data))


@dataclass
class CallbackAnswer:
    """What `answerCallbackQuery` showed to the presser: a toast, or an alert if show_alert."""

    text: str | None
    show_alert: bool
    url: str | None


@dataclass
class Failure:
    status: int
    description: str
    parameters: JSONDict | None
    disconnect: bool
    remaining: int


def _decode(name: str, value: str) -> Any:
    if name in STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # a bare string such as "@channel" or a file_id


async def read_params(request: web.Request) -> tuple[JSONDict, dict[str, UploadedFile]]:
    """Decode query, form, multipart or JSON parameters the way the Bot API accepts them."""
    raw: dict[str, str] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.content_type == "application/json":
        return {**raw, **await request.json()}, files
    if request.content_type == "multipart/form-data":
        async for part in await request.multipart():
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is None:
                raw[part.name] = await part.text()
            else:
                kind = part.headers.get("Content-Type", "application/octet-stream")
                files[part.name] = UploadedFile(part.filename, kind, bytes(await part.read()))
    elif request.can_read_body:
        raw.update({k: str(v) for k, v in (await request.post()).items()})
    return {k: _decode(k, v) for k, v in raw.items()}, files


def json_answer(body: JSONDict, status: int = 200) -> web.Response:
    return web.json_response(body, status=status)


def failure(
    status: int, retry_after: float | None, description: str | None, times: int, disconnect: bool
) -> Failure:
    """A queued failure; 429 always carries `parameters.retry_after` (PTB raises RetryAfter)."""
    if status == 429 and retry_after is None:
        retry_after = 1
    if description is None:
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        description = f"{phrase}: retry after {retry_after}" if status == 429 else phrase
        if status == 400:
            description = "Bad Request: injected failure"
    parameters = {"retry_after": retry_after} if retry_after is not None else None
    return Failure(status, description, parameters, disconnect, times)


def gif_duration_ms(image: Image.Image) -> int:
    total = 0
    for frame in range(getattr(image, "n_frames", 1)):
        image.seek(frame)
        total += int(image.info.get("duration", 0))
    return total


def photo_sizes(base: JSONDict, width: int, height: int, size: int) -> list[JSONDict]:
    """Telegram answers several sizes, smallest first; the last one is the full picture."""
    if width + height > 10000 or max(width, height) > 20 * max(1, min(width, height)):
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    sizes = []
    scale = 90 / max(width, height)
    if scale < 1:
        thumb = {"file_id": f"{base['file_id']}-s", "file_unique_id": f"{base['file_unique_id']}s"}
        sizes.append({**thumb, "width": round(width * scale), "height": round(height * scale)})
    sizes.append({**base, "width": width, "height": height, "file_size": size})
    return sizes


def _target(button: JSONDict) -> str | None:
    """What a button does: its callback data, link, or Mini App URL."""
    web_app = button.get("web_app") or {}
    return button.get("callback_data", button.get("url", web_app.get("url")))
