"""Reply -> Telegram: sendMessage / sendPhoto / sendAnimation / sendDocument and edits.

Rules (Bot API limits): text at most 4096 characters, a caption at most 1024 (a longer text
goes out as its own message after the picture, carrying the keyboard), a toast at most 200.
Plain text only (`parse_mode=None`): player names are arbitrary and never escaped wrong.
Media with a `cache_key` is uploaded once; Telegram's `file_id` is kept in a bounded LRU and
reused (an id Telegram rejects is dropped and the bytes uploaded again). A reply with a
`round_id` is bound to the message carrying its keyboard, so it can be edited later.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaAnimation,
    InputMediaDocument,
    InputMediaPhoto,
    Message,
    ReplyParameters,
)
from telegram.error import BadRequest

from bot.core.kernel.models import Media, Reply
from bot.delivery import Binder, MessageRef, clip

log = logging.getLogger(__name__)

TEXT_MAX = 4096
CAPTION_MAX = 1024
TOAST_MAX = 200


def not_modified(exc: BadRequest) -> bool:
    """Telegram refuses an edit that changes nothing; for us that edit is simply done."""
    return "not modified" in exc.message.lower()


@dataclass(frozen=True, slots=True)
class Link:
    """A URL button (deep links into the private chat); the neutral Reply has none."""

    label: str
    url: str


ExtraRows = Callable[[Bot, int, Reply], list[list[InlineKeyboardButton]]]
"""Buttons a feature adds under a reply's own (`Renderer.extra`, e.g. /draw's on doodle
cards): given the bot, the chat id and the reply, the rows to append (often none)."""


def keyboard(
    reply: Reply,
    link: Link | None = None,
    extra: list[list[InlineKeyboardButton]] | None = None,
) -> InlineKeyboardMarkup | None:
    toggles = reply.select.toggles if reply.select is not None else ()  # a multi-select
    rows = [
        [InlineKeyboardButton(c.label, callback_data=c.payload) for c in row]
        for row in (*toggles, *reply.choices)
        if row
    ]
    if link is not None:
        rows.append([InlineKeyboardButton(link.label, url=link.url)])
    rows += extra or []
    return InlineKeyboardMarkup(rows) if rows else None


def _file_id(message: Message) -> str | None:
    if message.photo:
        return message.photo[-1].file_id
    if message.animation is not None:
        return message.animation.file_id
    if message.document is not None:
        return message.document.file_id
    return None


def has_media(message: Message) -> bool:
    return bool(message.photo) or message.animation is not None or message.document is not None


class Renderer:
    def __init__(self, binder: Binder, cache_size: int = 4096) -> None:
        self.binder = binder
        self.cache_size = cache_size
        self._file_ids: OrderedDict[str, str] = OrderedDict()
        self.extra: ExtraRows | None = None
        """Rows a feature appends to every keyboard it renders (sent and edited alike)."""

    def _extra(self, bot: Bot, chat_id: int, reply: Reply) -> list[list[InlineKeyboardButton]]:
        return [] if self.extra is None else self.extra(bot, chat_id, reply)

    # -- sending ----------------------------------------------------------------------------

    async def send_all(
        self, bot: Bot, chat_id: int, replies: list[Reply], *, reply_to: int | None = None
    ) -> None:
        for reply in replies:
            await self.send(bot, chat_id, reply, reply_to=reply_to)
            reply_to = None

    async def send(
        self,
        bot: Bot,
        chat_id: int,
        reply: Reply,
        *,
        reply_to: int | None = None,
        link: Link | None = None,
    ) -> Message | None:
        """Send one reply; returns the message carrying its keyboard (bound to its round)."""
        markup = keyboard(reply, link, self._extra(bot, chat_id, reply))
        quote = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        card: Message | None = None
        text = clip(reply.text, TEXT_MAX)
        if reply.media is not None:
            fits = len(text) <= CAPTION_MAX
            card = await self._send_media(
                bot,
                chat_id,
                reply.media,
                caption=text if fits else None,
                markup=markup if fits else None,
                quote=quote,
            )
            if not fits:
                card = await bot.send_message(chat_id, text, reply_markup=markup)
        elif text.strip():
            card = await bot.send_message(
                chat_id, text, reply_markup=markup, reply_parameters=quote
            )
        for attachment in reply.files:
            await self._send_media(
                bot, chat_id, attachment, caption=None, markup=None, quote=None if card else quote
            )
        if card is not None and reply.round_id is not None:
            ref = str(MessageRef(chat_id, card.message_id))
            await self.binder.bind_round_message(reply.round_id, ref)
        return card

    async def _send_media(
        self,
        bot: Bot,
        chat_id: int,
        media: Media,
        *,
        caption: str | None,
        markup: InlineKeyboardMarkup | None,
        quote: ReplyParameters | None,
    ) -> Message:
        send: dict[str, Callable[..., Awaitable[Message]]] = {
            "photo": bot.send_photo,
            "animation": bot.send_animation,
            "document": bot.send_document,
        }
        method = send.get(media.kind, bot.send_document)

        async def call(payload: Any, filename: str | None) -> Message:
            return await method(
                chat_id,
                payload,
                caption=caption,
                reply_markup=markup,
                reply_parameters=quote,
                filename=filename,
            )

        return await self._with_cache(media, call)

    async def _with_cache(
        self, media: Media, call: Callable[[Any, str | None], Awaitable[Message]]
    ) -> Message:
        """Send by cached file_id when we have one; upload (and remember the id) otherwise."""
        known = self._file_ids.get(media.cache_key) if media.cache_key else None
        if known is not None:
            try:
                return await call(known, None)
            except BadRequest as exc:
                if not_modified(exc):
                    raise
                log.info(
                    "cached file id for %s refused (%s); uploading again",
                    media.cache_key,
                    exc.message,
                )
                self._file_ids.pop(media.cache_key or "", None)
        sent = await call(media.data, _filename(media))
        file_id = _file_id(sent)
        if media.cache_key and file_id:
            self._file_ids[media.cache_key] = file_id
            self._file_ids.move_to_end(media.cache_key)
            while len(self._file_ids) > self.cache_size:
                self._file_ids.popitem(last=False)
        return sent

    # -- editing ----------------------------------------------------------------------------

    async def replace(self, bot: Bot, message: Message, reply: Reply) -> None:
        """Edit `message` in place: its text or caption; the keyboard is the reply's (none
        if it has no choices); its picture stays unless the reply brings a new one."""
        chat_id, message_id = message.chat_id, message.message_id
        if reply.media is not None and not has_media(message):
            await self.send(bot, chat_id, reply)  # a text message cannot take a picture
            return
        if reply.media is not None:
            await self._edit_media(bot, chat_id, message_id, reply)
        else:
            await self.edit(bot, chat_id, message_id, reply, caption=has_media(message))

    async def edit(
        self, bot: Bot, chat_id: int, message_id: int, reply: Reply, *, caption: bool
    ) -> None:
        """Edit the text (or the caption) and keyboard of a message; a no-op edit is fine.
        If the message turns out to be of the other kind, the other edit is used."""
        markup = keyboard(reply, extra=self._extra(bot, chat_id, reply))
        try:
            await self._edit_once(bot, chat_id, message_id, reply.text, markup, caption)
        except BadRequest as exc:
            if not_modified(exc):
                return
            if "there is no" not in exc.message.lower():
                raise
            try:
                await self._edit_once(bot, chat_id, message_id, reply.text, markup, not caption)
            except BadRequest as again:
                if not not_modified(again):
                    raise

    @staticmethod
    async def _edit_once(
        bot: Bot,
        chat_id: int,
        message_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None,
        caption: bool,
    ) -> None:
        if caption:
            await bot.edit_message_caption(
                chat_id, message_id, caption=clip(text, CAPTION_MAX), reply_markup=markup
            )
        else:
            await bot.edit_message_text(
                clip(text, TEXT_MAX), chat_id, message_id, reply_markup=markup
            )

    async def _edit_media(self, bot: Bot, chat_id: int, message_id: int, reply: Reply) -> None:
        assert reply.media is not None
        media = reply.media
        kinds = {"photo": InputMediaPhoto, "animation": InputMediaAnimation}
        wrap = kinds.get(media.kind, InputMediaDocument)
        caption = clip(reply.text, CAPTION_MAX)

        async def call(payload: Any, filename: str | None) -> Message:
            sent = await bot.edit_message_media(
                wrap(payload, caption=caption, filename=filename),
                chat_id,
                message_id,
                reply_markup=keyboard(reply, extra=self._extra(bot, chat_id, reply)),
            )
            assert isinstance(sent, Message)
            return sent

        try:
            await self._with_cache(media, call)
        except BadRequest as exc:
            if not not_modified(exc):
                raise


def _filename(media: Media) -> str:
    if media.kind == "animation" and not media.filename.lower().endswith(".gif"):
        return media.filename + ".gif"
    return media.filename
