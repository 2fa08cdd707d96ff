"""People sending photos and files to the bot, the way Telegram delivers them.

Rules copied from the Bot API (https://core.telegram.org/bots/api#photosize, #document,
#getfile):

- A photo sent as a photo is re-encoded by Telegram (JPEG, metadata dropped) and arrives as
  `message.photo`: several `PhotoSize`s, smallest first, each its own file (`file_id`,
  `file_unique_id`, `width`, `height`, `file_size`). The fake makes the thumbnails Telegram
  makes (longest side 90, 320, 800, 1280 when smaller than the picture) and the full size,
  capped at 2560 px.
- A file sent as a file arrives as `message.document` (`file_name`, `mime_type`, `file_size`)
  with its bytes untouched (EXIF and all).
- A caption is at most 1024 characters; its commands and mentions are `caption_entities`.
- `getFile` answers `file_path` and `file_size` for any of these files, and refuses a file
  over 20 MB ("file is too big"); the bytes are served at `/file/bot<token>/<file_path>`.
  Every download is recorded in `downloads` (the file paths, in order).
- Privacy mode treats a caption like a text: a group photo without a command or a mention of
  the bot is not delivered.

`declared_size` / `declared_sizes` make a file claim a size its test bytes do not have (a 30 MB
photo without allocating 30 MB): the message, getFile and the 20 MB rule all use it.
"""

from __future__ import annotations

import copy
import io
import mimetypes
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageOps

from tests.support.fakes.telegram.payloads import FakeMessage, JSONDict, StoredFile, text_entities

if TYPE_CHECKING:
    from tests.support.fakes.telegram.fake import ChatRef

THUMB_SIDES = (90, 320, 800, 1280)
FULL_SIDE = 2560
JPEG_QUALITY = 87
CAPTION_MAX = 1024


def reencode(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    """The picture fitted within `side` x `side`, as a metadata-free JPEG, and its size."""
    picture = ImageOps.exif_transpose(image).convert("RGB")
    picture.thumbnail((side, side))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=JPEG_QUALITY)
    return out.getvalue(), picture.width, picture.height


def photo_renditions(data: bytes) -> list[tuple[bytes, int, int]]:
    """What Telegram keeps of a photo: the thumbnails smaller than it, then the full size."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        longest = max(image.size)
        sides = [s for s in THUMB_SIDES if s < longest]
        return [reencode(image, side) for side in (*sides, min(longest, FULL_SIDE))]


class UserMedia:
    """`send_photo` and `send_document` for `FakeTelegram` (a mixin over its state)."""

    files: dict[str, StoredFile]
    downloads: list[str]
    _file_counter: int
    token: str

    def _user_file(
        self, kind: str, data: bytes, mime: str, name: str, declared: int | None
    ) -> StoredFile:
        self._file_counter += 1
        n = self._file_counter
        suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
        file_id, path = f"{kind}-in-{n}-{self.token[-6:]}", f"{kind}s/file_{n}{suffix}"
        stored = StoredFile(file_id, f"uin{n}", path, data, mime, name, declared)
        self.files[stored.file_id] = stored
        return stored

    async def send_photo(
        self,
        chat: ChatRef,
        user: JSONDict,
        data: bytes,
        caption: str | None = None,
        *,
        declared_sizes: Sequence[int] | None = None,
    ) -> JSONDict | None:
        """The user sends `data` (an image) as a photo; returns the message, or None if privacy
        mode keeps it from the bot. `declared_sizes`: the file_size of each PhotoSize, smallest
        first (as many as the photo has)."""
        renditions = photo_renditions(data)
        if declared_sizes is not None and len(declared_sizes) != len(renditions):
            raise ValueError(
                f"this photo has {len(renditions)} sizes;"
                f" declared_sizes gives {len(declared_sizes)}"
            )
        sizes, files = [], []
        for i, (jpeg, width, height) in enumerate(renditions):
            declared = None if declared_sizes is None else int(declared_sizes[i])
            stored = self._user_file("photo", jpeg, "image/jpeg", f"photo_{i}.jpg", declared)
            files.append(stored)
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": width,
                    "height": height,
                    "file_size": stored.size,
                }
            )
        return await self._user_media(chat, user, "photo", {"photo": sizes}, files[-1], caption)

    async def send_document(
        self,
        chat: ChatRef,
        user: JSONDict,
        filename: str,
        data: bytes,
        caption: str | None = None,
        *,
        mime_type: str | None = None,
        declared_size: int | None = None,
        reply_to: int | None = None,
    ) -> JSONDict | None:
        """The user sends `data` as a file named `filename` (bytes untouched); the mime type is
        guessed from the name unless given. Returns the message, or None if not delivered."""
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self._user_file("document", data, mime, filename, declared_size)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": filename,
            "mime_type": mime,
            "file_size": stored.size,
        }
        return await self._user_media(
            chat, user, "document", {"document": document}, stored, caption, reply_to
        )

    async def _user_media(
        self,
        chat: ChatRef,
        user: JSONDict,
        kind: str,
        content: JSONDict,
        stored: StoredFile,
        caption: str | None,
        reply_to: int | None = None,
    ) -> JSONDict | None:
        fake: Any = self
        chat_json = fake.chats[fake._chat_id(chat)]
        payload: JSONDict = {
            "message_id": fake.next_message_id(chat_json["id"]),
            "from": user,
            "chat": chat_json,
            "date": int(time.time()),
            **content,
        }
        if caption:
            if len(caption) > CAPTION_MAX:
                raise ValueError(f"a caption is at most {CAPTION_MAX} characters")
            payload["caption"] = caption
            if entities := text_entities(caption):
                payload["caption_entities"] = entities
        if reply_to is not None:
            replied = fake.message(chat_json["id"], reply_to).payload
            payload["reply_to_message"] = copy.deepcopy(replied)
        fake.store(FakeMessage(copy.deepcopy(payload), kind, False, stored))
        as_text = {
            **payload,
            "text": caption or "",
            "entities": payload.get("caption_entities", []),
        }
        if not fake._delivered(as_text):
            return None
        await fake.push_update({"message": payload})
        return payload
