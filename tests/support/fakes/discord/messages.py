"""Messages of the Discord fake: uploads, attachments (served on the fake CDN), buttons and
modal fields, and the message store by channel and message id."""

from __future__ import annotations

import copy
import io
import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.support.fakes.discord.models import (
    ATTACHMENT_SIZE_LIMIT,
    EPHEMERAL,
    IS_COMPONENTS_V2,
    LOADING,
    SUPPRESS_EMBEDS,
    ApiError,
    FakeChannel,
    FakeUser,
    Snowflakes,
    form_error,
    now_iso,
)


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
    declared_size: int | None = None  # a size a test claims without allocating it

    @property
    def size(self) -> int:
        return len(self.data) if self.declared_size is None else self.declared_size

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
