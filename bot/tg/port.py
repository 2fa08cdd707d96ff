"""Telegram's port for the delivery layer (`bot.delivery.ChatPort`): send, DM, edit.

Rules: a group post and a private message are the same call (a private chat's id is the
user's id); a player who never started the bot, or blocked it, is refused (`Forbidden`, a
`TelegramError`). A round-card edit changes the caption of a picture card (else the text)
and the keyboard; the picture stays. Every call passes the adapter's rate limiter, which
retries what Telegram asks to retry and paces group edits.
"""

from __future__ import annotations

from telegram import Bot
from telegram.error import TelegramError

from bot.core.kernel.models import Reply
from bot.delivery import MessageRef
from bot.tg.refs import PLATFORM
from bot.tg.render import TOAST_MAX, Renderer


class TelegramPort:
    platform = PLATFORM
    toast_limit = TOAST_MAX
    refusals: tuple[type[BaseException], ...] = (TelegramError,)

    def __init__(self, bot: Bot, renderer: Renderer) -> None:
        self.bot = bot
        self.renderer = renderer

    async def send(self, channel_id: int, reply: Reply) -> None:
        await self.renderer.send(self.bot, channel_id, reply)

    async def send_private(self, user_id: int, reply: Reply) -> None:
        await self.renderer.send(self.bot, user_id, reply)

    async def edit(self, ref: MessageRef, card: Reply) -> None:
        await self.renderer.edit(
            self.bot, ref.channel, ref.message, card, caption=card.media is not None
        )
