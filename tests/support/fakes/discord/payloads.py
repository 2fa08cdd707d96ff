"""World model, wire payloads and message store of the loopback Discord fake.

Everything here is plain data: the guilds, users and messages the fake knows, turned into the
JSON shapes Discord sends (snowflakes as strings, full objects), and the checks Discord applies
to what a bot sends (the limits of platforms.md B.2). `discord_api.FakeDiscord` serves them.
"""

from __future__ import annotations

import copy
import io
import mimetypes
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
CREATE_INSTANT_INVITE = 1 << 0
ADMINISTRATOR = 1 << 3
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_EXTERNAL_EMOJIS = 1 << 18
CHANGE_NICKNAME = 1 << 26
MANAGE_ROLES = 1 << 28
USE_APPLICATION_COMMANDS = 1 << 31
ALL_PERMISSIONS = (1 << 51) - 1
EVERYONE_DEFAULT = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
)
BOT_DEFAULT = EVERYONE_DEFAULT | MANAGE_MESSAGES | MANAGE_ROLES

# Gateway intents; the privileged ones must be allowed for the app or IDENTIFY is closed 4014.
INTENT_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_PRESENCES = 1 << 8
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = {
    "members": INTENT_MEMBERS,
    "presences": INTENT_PRESENCES,
    "message_content": INTENT_MESSAGE_CONTENT,
}

# Message flags.
SUPPRESS_EMBEDS = 1 << 2
EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_NOTIFICATIONS = 1 << 12
IS_COMPONENTS_V2 = 1 << 15

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
SELECT_TYPES = (3, 5, 6, 7, 8)


class ApiError(Exception):
    """An error answer of the REST API: HTTP status, JSON error code and message."""

    def __init__(self, status: int, code: int, message: str, path: str | None = None) -> None:
        super().__init__(f"{status} {code} {message} {path or ''}".strip())
        self.status, self.code, self.message, self.path = status, code, message, path

    def body(self) -> dict[str, Any]:
        """The JSON body Discord sends; a form error nests `_errors` under its field path."""
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.path is None:
            return body
        field_path, _, text = self.path.partition(": ")
        errors: dict[str, Any] = {"_errors": [{"code": "BASE_TYPE_INVALID", "message": text}]}
        for part in reversed(field_path.split(".")):
            errors = {part: errors}
        body["message"], body["errors"] = "Invalid Form Body", errors
        return body


def form_error(path: str, text: str) -> ApiError:
    """A 400 / 50035 "Invalid Form Body" error about one field (`a.0.b`)."""
    return ApiError(400, 50035, "Invalid Form Body", f"{path}: {text}")


def now_iso() -> str:
    """An ISO-8601 timestamp as Discord writes them."""
    return datetime.now(UTC).isoformat()


class Snowflakes:
    """Monotonic snowflake ids: milliseconds since the Discord epoch shifted left by 22 bits."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        stamp = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(stamp, self._last + 1)
        return self._last


@dataclass(eq=False)
class FakeUser:
    """A Discord user (or the bot itself)."""

    id: int
    name: str
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": None if self.bot else self.name,
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }


@dataclass(eq=False)
class FakeRole:
    """A guild role; the @everyone role has the guild's id."""

    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    bot_id: int | None = None

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.bot_id is not None,
            "mentionable": False,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass(eq=False)
class FakeChannel:
    """A guild text channel (type 0) or a DM channel (type 1, with `recipient`)."""

    id: int
    name: str
    type: int = 0
    guild_id: int | None = None
    position: int = 0
    recipient: FakeUser | None = None

    @property
    def is_dm(self) -> bool:
        return self.type == 1

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def payload(self) -> dict[str, Any]:
        if self.recipient is not None:
            return {
                "id": str(self.id),
                "type": 1,
                "recipients": [self.recipient.payload()],
                "last_message_id": None,
                "flags": 0,
            }
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None,
            "flags": 0,
        }


@dataclass(eq=False)
class FakeMember:
    """A user's membership of one guild."""

    user: FakeUser
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    joined_at: str = field(default_factory=now_iso)

    def payload(self, *, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "nick": None,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in self.role_ids],
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass(eq=False)
class FakeGuild:
    """A guild with its roles, text channels and members (the bot is always a member)."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)

    def member(self, user_id: int) -> FakeMember:
        try:
            return self.members[user_id]
        except KeyError:
            raise ApiError(404, 10007, "Unknown Member") from None

    def permissions_of(self, user_id: int) -> int:
        """Guild permissions: the OR of @everyone and the member's roles; owner/admin get all."""
        member = self.member(user_id)
        value = self.roles[self.id].permissions
        for role_id in member.role_ids:
            value |= self.roles[role_id].permissions
        if user_id == self.owner_id or value & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return value

    def top_position(self, user_id: int) -> int:
        return max((self.roles[r].position for r in self.member(user_id).role_ids), default=0)

    def payload(self) -> dict[str, Any]:
        """The GUILD_CREATE shape (also served by GET guilds/{id})."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "features": [],
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "max_members": 500000,
            "application_id": None,
            "joined_at": now_iso(),
            "large": False,
            "unavailable": False,
            "lazy": True,
            "member_count": len(self.members),
            "roles": [r.payload() for r in self.roles.values()],
            "channels": [c.payload() for c in self.channels.values()],
            "members": [m.payload() for m in self.members.values()],
            "emojis": [],
            "stickers": [],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request (`files[n]`)."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass(eq=False)
class StoredAttachment:
    """An attachment the bot uploaded; `data` holds the bytes, served on the fake CDN."""

    id: str
    filename: str
    content_type: str
    data: bytes
    url: str
    description: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    def image(self) -> Any:
        """The attachment opened with Pillow (a `PIL.Image.Image`)."""
        from PIL import Image

        return Image.open(io.BytesIO(self.data))

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "filename": self.filename,
            "size": self.size,
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        }
        if self.description is not None:
            data["description"] = self.description
        size = _image_size(self.data) if self.content_type.startswith("image/") else None
        if size is not None:
            data["width"], data["height"] = size
        return data


def _image_size(data: bytes) -> tuple[int, int] | None:
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            return img.size
    except Exception:  # not an image Pillow can read: Discord omits width/height too
        return None


@dataclass(frozen=True)
class ButtonInfo:
    """One button of a message, as a user sees it."""

    label: str | None
    custom_id: str | None
    disabled: bool
    style: int
    url: str | None


@dataclass(frozen=True)
class ModalField:
    """One input of an opened modal; `in_label` tells how it was wrapped (Label or ActionRow)."""

    custom_id: str
    label: str | None
    type: int
    style: int | None
    required: bool
    max_length: int | None
    in_label: bool


@dataclass(eq=False)
class StoredMessage:
    """A message as the fake keeps it: current payload, edit history, attachment bytes."""

    data: dict[str, Any]
    attachments: list[StoredAttachment] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    reactions: dict[str, set[int]] = field(default_factory=dict)
    deleted: bool = False
    visible_to: int | None = None

    id = property(lambda self: str(self.data["id"]))
    channel_id = property(lambda self: str(self.data["channel_id"]))
    content = property(lambda self: str(self.data.get("content", "")))
    embeds = property(lambda self: list(self.data.get("embeds", [])))
    components = property(lambda self: list(self.data.get("components", [])))
    flags = property(lambda self: int(self.data.get("flags", 0)))
    author_id = property(lambda self: str(self.data["author"]["id"]))

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """True while a deferred "thinking..." message has not been answered."""
        return bool(self.flags & LOADING)

    def buttons(self) -> list[ButtonInfo]:
        return [
            ButtonInfo(
                c.get("label"),
                c.get("custom_id"),
                bool(c.get("disabled", False)),
                int(c.get("style", 1)),
                c.get("url"),
            )
            for c in walk_components(self.components)
            if c.get("type") == 2
        ]

    def button(self, label: str) -> ButtonInfo:
        """The button with this label (to find its custom_id for `FakeDiscord.click`)."""
        for info in self.buttons():
            if info.label == label:
                return info
        labels = [b.label for b in self.buttons()]
        raise LookupError(f"message {self.id} has no button {label!r}; it has {labels}")

    def component(self, custom_id: str) -> dict[str, Any]:
        for comp in walk_components(self.components):
            if comp.get("custom_id") == custom_id:
                return comp
        known = [c["custom_id"] for c in walk_components(self.components) if "custom_id" in c]
        raise LookupError(f"message {self.id} has no component {custom_id!r}; it has {known}")

    def payload(self) -> dict[str, Any]:
        data = copy.deepcopy(self.data)
        data["attachments"] = [a.payload() for a in self.attachments]
        data["reactions"] = [
            {
                "emoji": {"id": None, "name": emoji},
                "count": len(users),
                "count_details": {"burst": 0, "normal": len(users)},
                "me": int(data["author"]["id"]) in users,
                "me_burst": False,
                "burst_colors": [],
            }
            for emoji, users in self.reactions.items()
            if users
        ]
        return data


def walk_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every component, depth first: rows, containers, sections' accessories, labels."""
    for comp in components:
        yield comp
        yield from walk_components(comp.get("components", []))
        for key in ("component", "accessory"):
            if isinstance(comp.get(key), dict):
                yield from walk_components([comp[key]])


def modal_fields(modal: dict[str, Any]) -> list[ModalField]:
    """The inputs (text inputs, selects) of a modal as the bot sent it (callback type 9)."""
    fields: list[ModalField] = []
    for top in modal.get("components", []):
        in_label = top.get("type") == 18
        inner = [top["component"]] if in_label else top.get("components", [])
        for comp in inner:
            if "custom_id" not in comp:
                continue
            label = top.get("label") if in_label else comp.get("label")
            fields.append(
                ModalField(
                    comp["custom_id"],
                    label,
                    int(comp["type"]),
                    comp.get("style"),
                    bool(comp.get("required", True)),
                    comp.get("max_length"),
                    in_label,
                )
            )
    return fields


def _check_len(value: Any, limit: int, path: str) -> None:
    if isinstance(value, str) and len(value) > limit:
        raise form_error(path, f"Must be {limit} or fewer in length.")


def validate_message(body: dict[str, Any], *, files: int = 0, edit: bool = False) -> None:
    """Discord's limits on a message: 2000 chars, 10 embeds, 5 rows of 5 buttons or 1 select,
    custom_id <= 100 and label <= 80 chars, 25 select options; Components V2 (flag 1<<15):
    no content or embeds, at most 40 components. A new message must not be empty (50006)."""
    _check_len(body.get("content"), 2000, "content")
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        raise form_error("embeds", "Must be 10 or fewer in length.")
    for i, embed in enumerate(embeds):
        _check_len(embed.get("title"), 256, f"embeds.{i}.title")
        _check_len(embed.get("description"), 4096, f"embeds.{i}.description")
    components = body.get("components") or []
    if int(body.get("flags") or 0) & IS_COMPONENTS_V2:
        if body.get("content") or embeds:
            raise form_error("content", "Cannot send content or embeds with IS_COMPONENTS_V2.")
        if sum(1 for _ in walk_components(components)) > 40:
            raise form_error("components", "Must be 40 or fewer in length.")
    else:
        _validate_rows(components)
    for comp in walk_components(components):
        _check_len(comp.get("custom_id"), 100, "components.custom_id")
        _check_len(comp.get("label"), 80, "components.label")
        if len(comp.get("options") or []) > 25:
            raise form_error("components.options", "Must be 25 or fewer in length.")
    has_body = body.get("content") or embeds or components or body.get("poll")
    if not edit and not (has_body or files or body.get("sticker_ids")):
        raise ApiError(400, 50006, "Cannot send an empty message")


def _validate_rows(rows: list[dict[str, Any]]) -> None:
    if len(rows) > 5:
        raise form_error("components", "Must be 5 or fewer in length.")
    for i, row in enumerate(rows):
        children = row.get("components", [])
        if row.get("type") != 1:
            raise form_error(f"components.{i}.type", "Top-level components must be rows.")
        selects = [c for c in children if c.get("type") in (3, 5, 6, 7, 8)]
        if len(children) > 5 or (selects and len(children) > 1):
            raise form_error(f"components.{i}.components", "A row holds 5 buttons or 1 select.")


def validate_modal(data: dict[str, Any]) -> None:
    """A modal needs a title <= 45 chars, a custom_id <= 100 chars and 1-5 components."""
    if not data.get("title"):
        raise form_error("data.title", "This field is required")
    _check_len(data["title"], 45, "data.title")
    _check_len(data.get("custom_id"), 100, "data.custom_id")
    if not 1 <= len(data.get("components") or []) <= 5:
        raise form_error("data.components", "Must be between 1 and 5 in length.")


class MessageStore:
    """Messages by channel id and message id, with uploads kept for the CDN."""

    def __init__(self, ids: Snowflakes, cdn_base: str) -> None:
        self.ids = ids
        self.cdn_base = cdn_base
        self.by_channel: dict[str, dict[str, StoredMessage]] = {}

    def get(self, message_id: int | str) -> StoredMessage:
        for channel in self.by_channel.values():
            if str(message_id) in channel:
                return channel[str(message_id)]
        raise ApiError(404, 10008, "Unknown Message")

    def in_channel(self, channel_id: int | str) -> list[StoredMessage]:
        return list(self.by_channel.get(str(channel_id), {}).values())

    def attachment(self, attachment_id: str) -> StoredAttachment | None:
        for channel in self.by_channel.values():
            for msg in channel.values():
                for att in msg.attachments:
                    if att.id == attachment_id:
                        return att
        return None

    def create(
        self,
        channel: FakeChannel,
        author: FakeUser,
        body: dict[str, Any],
        uploads: list[Upload],
        **extra: Any,
    ) -> StoredMessage:
        """Store a new message from a request body (+ uploads); `extra` adds payload keys."""
        data: dict[str, Any] = {
            "id": str(self.ids.next()),
            "channel_id": str(channel.id),
            "author": author.payload(),
            "content": body.get("content") or "",
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "embeds": _normalise_embeds(body.get("embeds") or []),
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": int(body.get("flags") or 0),
        }
        if channel.guild_id is not None:
            data["guild_id"] = str(channel.guild_id)
        data.update(extra)
        msg = StoredMessage(data)
        msg.attachments = self._attachments(msg, body.get("attachments"), uploads)
        _resolve_attachment_urls(msg)
        self.by_channel.setdefault(str(channel.id), {})[msg.id] = msg
        return msg

    def edit(self, msg: StoredMessage, body: dict[str, Any], uploads: list[Upload]) -> None:
        """Apply a PATCH: present keys replace; `attachments` lists the ones to keep."""
        if msg.deleted:
            raise ApiError(404, 10008, "Unknown Message")
        was_loading = msg.loading
        msg.history.append(msg.payload())
        for key in ("content", "components"):
            if key in body:
                msg.data[key] = body[key] or ([] if key == "components" else "")
        if "embeds" in body:
            msg.data["embeds"] = _normalise_embeds(body["embeds"] or [])
        if "flags" in body and body["flags"] is not None:
            keep = msg.flags & (EPHEMERAL | IS_COMPONENTS_V2)
            msg.data["flags"] = keep | (int(body["flags"]) & SUPPRESS_EMBEDS)
        msg.data["flags"] = msg.flags & ~LOADING
        if "attachments" in body or uploads:
            msg.attachments = self._attachments(msg, body.get("attachments"), uploads)
        _resolve_attachment_urls(msg)
        if not was_loading:
            msg.data["edited_timestamp"] = now_iso()

    def _attachments(
        self, msg: StoredMessage, wanted: list[dict[str, Any]] | None, uploads: list[Upload]
    ) -> list[StoredAttachment]:
        by_field = {u.field: u for u in uploads}
        existing = {a.id: a for a in msg.attachments}
        if wanted is None:
            wanted = [{"id": i} for i in range(len(uploads))]
            wanted = [*({"id": a.id} for a in msg.attachments), *wanted]
        result: list[StoredAttachment] = []
        for i, entry in enumerate(wanted):
            key = str(entry.get("id"))
            if key in existing:
                result.append(existing[key])
                continue
            upload = by_field.get(f"files[{key}]")
            if upload is None:
                raise form_error(f"attachments.{i}.id", f"No file part files[{key}] was sent.")
            if len(upload.data) > ATTACHMENT_SIZE_LIMIT:
                raise ApiError(413, 40005, "Request entity too large")
            att_id = str(self.ids.next())
            filename = entry.get("filename") or upload.filename
            result.append(
                StoredAttachment(
                    att_id,
                    filename,
                    mimetypes.guess_type(filename)[0] or upload.content_type,
                    upload.data,
                    f"{self.cdn_base}/attachments/{msg.channel_id}/{att_id}/{filename}",
                    entry.get("description"),
                )
            )
        return result


def _normalise_embeds(embeds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "rich", **e} for e in embeds]


def _resolve_attachment_urls(msg: StoredMessage) -> None:
    """Discord rewrites `attachment://name` in embed images to the attachment's CDN URL."""
    urls = {a.filename: a.url for a in msg.attachments}
    for embed in msg.data.get("embeds", []):
        for key in ("image", "thumbnail"):
            media = embed.get(key)
            if isinstance(media, dict) and str(media.get("url", "")).startswith("attachment://"):
                name = media["url"].removeprefix("attachment://")
                if name in urls:
                    media["url"] = media["proxy_url"] = urls[name]


def infer_option_type(value: Any) -> int:
    """The option type of a Python value, for commands the bot never synced."""
    kinds: list[tuple[type | tuple[type, ...], int]] = [
        (bool, 5),
        ((FakeUser, FakeMember), 6),
        (FakeChannel, 7),
        (FakeRole, 8),
        (tuple, 11),
        (float, 10),
        (int, 4),
        (str, 3),
    ]
    for kind, otype in kinds:
        if isinstance(value, kind):
            return otype
    raise TypeError(f"cannot infer an option type for {value!r}")


def submitted_input(kind: int, custom_id: str, value: str | list[str]) -> dict[str, Any]:
    """A modal input as submitted: text inputs carry `value`, selects carry `values`."""
    if kind in SELECT_TYPES:
        return {"type": kind, "custom_id": custom_id, "values": _as_list(value)}
    return {"type": kind, "custom_id": custom_id, "value": value}


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def modal_submission(
    fields: list[ModalField], values: Mapping[str, str | list[str]]
) -> list[dict[str, Any]]:
    """Submission components mirroring the modal; checks unknown, missing and too long values."""
    known = {f.custom_id for f in fields}
    if unknown := set(values) - known:
        raise ValueError(f"modal has no input(s) {sorted(unknown)}; it has {sorted(known)}")
    comps: list[dict[str, Any]] = []
    for f in fields:
        value = values.get(f.custom_id, "" if f.type == 4 else [])
        if f.required and not value:
            raise ValueError(f"modal input {f.custom_id!r} ({f.label}) is required")
        if f.max_length is not None and isinstance(value, str) and len(value) > f.max_length:
            raise ValueError(f"modal input {f.custom_id!r} allows {f.max_length} characters")
        inner = submitted_input(f.type, f.custom_id, value)
        comps.append(
            {"type": 18, "component": inner} if f.in_label else {"type": 1, "components": [inner]}
        )
    return comps
