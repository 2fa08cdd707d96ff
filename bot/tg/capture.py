"""Photo contributions on Telegram (issue 16, `capture` campaigns).

- `/contribute [campaign]`: the engine asks the three photo consents (its own buttons) or
  shows the prompt of a capture campaign. In a group the answer is a button that opens the
  private chat with `/start contribute`, which continues there.
- A photo sent in the private chat: Telegram delivers it as several sizes (`PhotoSize`,
  smallest first); the largest whose `file_size` is within the engine's `max_bytes` is
  downloaded and contributed as `photo.jpg`, `image/jpeg` (Telegram re-encodes photos as JPEG).
  When even the smallest is larger, the player is told the limit and nothing is downloaded.
- A file (document) sent in the private chat, unless its caption is a `/campaign` command
  (campaign uploads, `bot/tg/campaigns.py`): refused before downloading when its declared
  size is over the limit, else downloaded and contributed with its own name and mime type; a
  file that is not an image reaches the engine, which refuses it with its clear message.
- Photos and files in groups are ignored: no reply (the group is not spammed; Telegram's
  privacy mode does not even deliver them).

Telegram lets bots download at most 20 MB (getFile), so the limit is the smaller of the two.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from telegram import BotCommand, PhotoSize, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.core.capture import texts
from bot.core.capture.cases import MB
from bot.core.kernel.errors import InvalidInput
from bot.core.kernel.models import PlayerRef, Reply
from bot.tg.campaigns import BOT_DOWNLOAD_MAX, CAPTION

log = logging.getLogger(__name__)

COMMANDS = [BotCommand("contribute", "Send a photo for a capture campaign (private chat)")]
MODERATOR_COMMANDS: list[BotCommand] = []

PHOTO_NAME = "photo.jpg"
PHOTO_MIME = "image/jpeg"
NOT_DOWNLOADED = "I could not download your photo from Telegram ({error}). Please send it again."


def too_big(size: int, limit: int) -> InvalidInput:
    """The engine's own refusal of a photo over the limit, before anything is downloaded."""
    return InvalidInput(
        texts.PHOTO_TOO_BIG, size_mb=f"{size / MB:.1f}", limit_mb=f"{limit / MB:g}"
    )


def best_size(sizes: Sequence[PhotoSize], limit: int) -> PhotoSize:
    """The largest rendition within `limit` bytes (an unknown size counts as fitting: the
    download is checked again); InvalidInput naming the limit when none fits."""
    fitting = [p for p in sizes if p.file_size is None or p.file_size <= limit]
    if not fitting:
        raise too_big(min(p.file_size or 0 for p in sizes), limit)
    return max(fitting, key=lambda p: p.width * p.height)


class CaptureHandlers:
    def __init__(self, adapter: Any) -> None:
        self.adapter = adapter
        self.engine = adapter.engine

    @property
    def limit(self) -> int:
        return min(int(self.engine.capture.max_bytes), BOT_DOWNLOAD_MAX)

    async def contribute(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`/contribute [campaign]`: the consents, or a capture campaign's prompt."""
        campaign = " ".join(context.args or []) or None

        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.capture.start(ref, campaign)
            return reply

        await self.adapter.commands.run(update, context, call, private="contribute")

    async def photo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A photo in the private chat: its largest size within the limit, contributed."""
        message = update.effective_message
        if message is None or not message.photo:
            return
        sizes = message.photo

        async def call(ref: PlayerRef) -> Reply:
            chosen = best_size(sizes, self.limit)
            data = await self.download(context, chosen.file_id)
            reply: Reply = await self.engine.capture.contribute(ref, data, PHOTO_NAME, PHOTO_MIME)
            return reply

        await self.adapter.commands.run(update, context, call)

    async def document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A file in the private chat: size checked, downloaded, handed to the engine."""
        message = update.effective_message
        if message is None or message.document is None:
            return
        doc = message.document

        async def call(ref: PlayerRef) -> Reply:
            if doc.file_size is not None and doc.file_size > self.limit:
                raise too_big(doc.file_size, self.limit)
            data = await self.download(context, doc.file_id)
            name = doc.file_name or "upload"
            reply: Reply = await self.engine.capture.contribute(ref, data, name, doc.mime_type)
            return reply

        await self.adapter.commands.run(update, context, call)

    async def download(self, context: ContextTypes.DEFAULT_TYPE, file_id: str) -> bytes:
        """The file's bytes (getFile, then the file route); InvalidInput when Telegram refuses
        or the bytes turn out larger than the limit."""
        try:
            tg_file = await context.bot.get_file(file_id)
            if tg_file.file_size is not None and tg_file.file_size > self.limit:
                raise too_big(tg_file.file_size, self.limit)
            data = bytes(await tg_file.download_as_bytearray())
        except TelegramError as exc:
            log.warning("could not download contributed file %s: %s", file_id, exc)
            raise InvalidInput(NOT_DOWNLOADED, error=exc.message) from None
        if len(data) > self.limit:
            raise too_big(len(data), self.limit)
        return data


def register(application: Application, adapter: Any) -> None:  # type: ignore[type-arg]
    """`/contribute`; photos and files in private chats (not `/campaign` uploads)."""
    handlers = CaptureHandlers(adapter)
    new = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE & new
    application.add_handler(CommandHandler("contribute", handlers.contribute, filters=new))
    application.add_handler(MessageHandler(private & filters.PHOTO, handlers.photo))
    files = private & filters.Document.ALL & ~filters.CaptionRegex(CAPTION)
    application.add_handler(MessageHandler(files, handlers.document))
