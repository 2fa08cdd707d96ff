"""Moderator tools on Telegram: /review, /standing, /report and their buttons.

Telegram's moderators are a group's administrators, so these work in the group (the config's
admins may also use them in the private chat). The review card and the standing card are
working cards of the moderator who asked: posted in the group as a reply to the command,
and edited in place when a moderator presses one of their buttons (the vote split is no
secret any more: an item in review takes no new answers). Anyone else pressing them gets a
plain refusal as a toast.

- `/review [campaign]`: one item of the review queue at a time.
- `/standing` as a reply to a player's message, or `/standing <numeric user id>`.
- `/report [campaign]`: the campaign quality report.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import BotCommand, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.core.kernel.errors import LabelQuestError
from bot.core.kernel.models import PlayerRef, Reply
from bot.delivery import clip
from bot.tg.buttons import answer
from bot.tg.refs import player_ref
from bot.tg.render import TOAST_MAX

log = logging.getLogger(__name__)

COMMANDS: list[BotCommand] = []
MODERATOR_COMMANDS = [
    BotCommand("review", "Items the crowd could not decide"),
    BotCommand("standing", "A player's standing (reply to their message)"),
    BotCommand("report", "Quality report of a campaign"),
]
# Review buttons, and the standing operations ("s0".."sz") of the shared `m` action.
BUTTONS = re.compile(r"^v1:(?:r:[0-9a-z]{1,13}:[0-9a-z]{1,13}|m:[0-9a-z]{1,13}:s[0-9a-z])$")


def standing_target(message: Message | None, args: list[str]) -> tuple[str | None, str | None]:
    """(user id, name) of the player asked about: the author of the message replied to, or a
    numeric user id given as the argument; (None, None) when neither is there."""
    replied = message.reply_to_message if message is not None else None
    if replied is not None and replied.from_user is not None:
        user = replied.from_user
        return str(user.id), user.full_name or user.username or str(user.id)
    if args and args[0].lstrip("-").isdigit():
        return args[0], None
    return None, None


class ReviewHandlers:
    def __init__(self, adapter: Any) -> None:
        self.adapter = adapter
        self.engine = adapter.engine

    async def review(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Moderators: the review queue, one item at a time (`/review [campaign]`)."""
        name = " ".join(context.args or []) or None

        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.review.review(ref, name)
            return reply

        await self.adapter.commands.run(update, context, call, moderator=True)

    async def standing(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Moderators: a player's standing; reply to their message or give their user id."""
        target, name = standing_target(update.effective_message, context.args or [])

        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.review.standing(ref, target, name)
            return reply

        await self.adapter.commands.run(update, context, call, moderator=True)

    async def report(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Moderators: the quality report (`/report [campaign]`)."""
        name = " ".join(context.args or []) or None

        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.review.quality_report(ref, name)
            return reply

        await self.adapter.commands.run(update, context, call, moderator=True)

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A review or standing button: only moderators; the card is edited in place."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        chat = query.message.chat if query.message is not None else None
        message = query.message if isinstance(query.message, Message) else None
        moderator = await self.adapter.moderators.check(context.bot, update)
        ref = player_ref(query.from_user, chat, moderator=moderator)
        try:
            reply = await self.engine.handle_button(ref, query.data)
        except LabelQuestError as err:
            await self.adapter.buttons.refuse(context.bot, query, chat, err)
            return
        replies = reply.chain()
        await answer(query, clip(replies[0].notice, TOAST_MAX) if replies[0].notice else None)
        chat_id = query.from_user.id if chat is None else chat.id
        for r in replies:
            if r.replace and message is not None:
                await self.adapter.renderer.replace(context.bot, message, r)
            else:
                await self.adapter.renderer.send(context.bot, chat_id, r)


def register(application: Application, adapter: Any) -> None:  # type: ignore[type-arg]
    """Commands (new messages only) and the moderator buttons, before the catch-alls."""
    handlers = ReviewHandlers(adapter)
    new = filters.UpdateType.MESSAGE
    for name in ("review", "standing", "report"):
        application.add_handler(CommandHandler(name, getattr(handlers, name), filters=new))
    application.add_handler(CallbackQueryHandler(handlers.press, pattern=BUTTONS))
