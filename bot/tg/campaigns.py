"""Campaigns on Telegram: `/campaign ...` typed as text, files as documents, `/export` and
`/audit` for admins.

- `/campaign <action> ...` (see `bot.core.campaigns.args`) in a group, by its administrators.
  To create a campaign from files, send the file (a .zip of images with labels.csv, a .csv
  of texts, or a Quick, Draw! file) with `/campaign create NAME game=...` as its caption, or
  reply to an uploaded file with that command; a caption-command document that replies to
  another document brings both (a .zip and its labels CSV).
- Files are fetched with getFile only after the engine accepted the request, and only when
  Telegram lets bots download them (20 MB) and `[campaigns] max_upload_mb` allows.
- `/export NAME [csv|jsonl] [answers]` and `/audit [N] [campaign]` answer in the private
  chat only: exports and the log are not for the whole group.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from telegram import BotCommand, Document, Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.core.campaigns.uploads import Upload, check_size
from bot.core.kernel.errors import InvalidInput
from bot.core.kernel.models import PlayerRef, Reply
from bot.tg.refs import is_private

log = logging.getLogger(__name__)

COMMANDS: list[BotCommand] = []
# /export and /audit stay out of the menus: admins are named in the config, not by Telegram.
MODERATOR_COMMANDS = [BotCommand("campaign", "Create, schedule and run campaigns")]
BOT_DOWNLOAD_MAX = 20 * 1024 * 1024  # getFile refuses bigger files
DOCUMENT_MAX = 50 * 1024 * 1024  # sendDocument
PRIVATE_ONLY = "I send that only in our private chat: write me {command} there."
CAPTION = r"^/campaign(@\w+)?(\s|$)"


def register(application: Application, adapter: Any) -> None:  # type: ignore[type-arg]
    """`/campaign`, document captions `/campaign ...`, `/export`, `/audit`."""
    feature = CampaignCommands(adapter)
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("campaign", feature.campaign, filters=new))
    caption = filters.Document.ALL & filters.CaptionRegex(CAPTION) & new
    application.add_handler(MessageHandler(caption, feature.campaign))
    application.add_handler(CommandHandler("export", feature.export, filters=new))
    application.add_handler(CommandHandler("audit", feature.audit, filters=new))


def rest_of(text: str | None) -> str:
    """What follows the command word (quotes kept, unlike `context.args`)."""
    parts = (text or "").split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def export_args(words: Sequence[str]) -> tuple[str, str, bool]:
    """`/export NAME [csv|jsonl] [answers|labels]`, the keywords in any position."""
    fmt, answers, name = "csv", False, []
    for word in words:
        low = word.lower()
        if low in ("csv", "jsonl"):
            fmt = low
        elif low in ("answers", "labels"):
            answers = low == "answers"
        else:
            name.append(word)
    return " ".join(name), fmt, answers


def audit_args(words: Sequence[str]) -> tuple[int, str | None]:
    """`/audit [N] [campaign name]`."""
    if words and words[0].isdigit():
        return int(words[0]), " ".join(words[1:]) or None
    return 20, " ".join(words) or None


class CampaignCommands:
    def __init__(self, adapter: Any) -> None:
        self.adapter = adapter
        self.engine = adapter.engine
        self.commands = adapter.commands

    async def campaign(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Moderators: `/campaign ...` (text, a document's caption, or a reply to one)."""
        message = update.effective_message
        if message is None:
            return
        text = rest_of(message.caption if message.document is not None else message.text)
        documents = [d for d in _documents(message) if d is not None]

        async def fetch() -> list[Upload]:
            return [await self.download(context, d) for d in documents]

        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.campaigns.campaign_command(
                ref, text, fetch if documents else None
            )
            return reply

        await self.commands.run(update, context, call, moderator=True)

    async def download(self, context: ContextTypes.DEFAULT_TYPE, doc: Document) -> Upload:
        name = doc.file_name or "upload"
        limit = min(BOT_DOWNLOAD_MAX, self.engine.settings.campaigns.max_upload_mb * 2**20)
        check_size(name, doc.file_size, limit, "Telegram lets bots download at most 20 MB")
        try:
            file = await context.bot.get_file(doc.file_id)
            data = bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            log.warning("could not download %s (%s): %s", name, doc.file_id, exc)
            raise InvalidInput(f"I could not download {name} from Telegram ({exc}).") from None
        return Upload(name, data)

    async def export(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Admins: a campaign's labels or answers as a file, in the private chat."""
        if await self._group_refused(update, context, "/export"):
            return
        name, fmt, answers = export_args(context.args or [])

        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.campaigns.export_campaign(
                ref, name, fmt, answers=answers, max_bytes=DOCUMENT_MAX
            )
            return reply

        await self.commands.run(update, context, call)

    async def audit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Admins: the newest audit log entries, in the private chat."""
        if await self._group_refused(update, context, "/audit"):
            return
        limit, name = audit_args(context.args or [])

        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.campaigns.audit_log(ref, limit, name)
            return reply

        await self.commands.run(update, context, call)

    async def _group_refused(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, command: str
    ) -> bool:
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None or is_private(chat):
            return False
        await self.adapter.renderer.send(
            context.bot,
            chat.id,
            Reply(PRIVATE_ONLY.format(command=command)),
            reply_to=message.message_id,
        )
        return True


def _documents(message: Message) -> list[Document | None]:
    """The message's own document, then the one it replies to."""
    replied = message.reply_to_message
    return [message.document, replied.document if replied is not None else None]
