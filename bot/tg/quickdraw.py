"""Quick-draw on Telegram: guesses in groups, solo doodle series in the private chat.

- A guess is a reply to the round's doodle, or `/guess <word>`: both reach the bot with
  privacy mode on (replies to the bot and commands always do). The feedback ("close!",
  points) is private: it goes to the player's private chat. Only when that chat is closed
  (the player blocked the bot) does the bot answer in the group instead, quoting the guess;
  the round card itself shows who got it, not the word.
- A rate-limited guess, and a reply to a bot message that is no doodle round, are ignored.
- `/doodle` starts a solo series in the private chat; in a group it links there
  (`/start doodle`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from telegram import BotCommand, Message, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.core.kernel.errors import LabelQuestError, NotConsented, NotFound, RateLimited
from bot.core.kernel.models import Reply
from bot.delivery import MessageRef
from bot.tg.errors import consent_link
from bot.tg.refs import is_private, player_ref

if TYPE_CHECKING:
    from bot.tg.app import TelegramAdapter

log = logging.getLogger(__name__)

COMMANDS = [
    BotCommand("doodle", "Quick-draw: guess a quick series of doodles"),
    BotCommand("guess", "Guess the doodle of the round in this group"),
]
MODERATOR_COMMANDS: list[BotCommand] = []


class _RepliesToBot(filters.MessageFilter):
    """Group text messages that reply to one of the bot's own messages."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return bool(
            replied is not None
            and replied.from_user is not None
            and replied.from_user.id == message.get_bot().id
        )


class QuickdrawHandlers:
    def __init__(self, adapter: TelegramAdapter) -> None:
        self.adapter = adapter
        self.engine = adapter.engine
        self.renderer = adapter.renderer

    async def doodle(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A solo series of doodles (in the private chat; a group gets a link there)."""
        name = " ".join(context.args or []) or None
        await self.adapter.commands.run(
            update,
            context,
            lambda ref: self.engine.quickdraw.doodle_series(ref, name),
            private="doodle",
        )

    async def start_doodle(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`/start doodle`: the group's link to a solo series lands here."""
        await self.adapter.commands.run(update, context, self.engine.quickdraw.doodle_series)

    async def guess_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`/guess <word>`: a guess for the newest doodle round of this group."""
        await self._guess(update, context, " ".join(context.args or []), None)

    async def reply_guess(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A reply to the bot: a guess when the replied-to message is a doodle round."""
        message = update.effective_message
        if message is None or message.reply_to_message is None:
            return
        ref = str(MessageRef(message.chat_id, message.reply_to_message.message_id))
        await self._guess(update, context, message.text or "", ref)

    async def _guess(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        text: str,
        round_message: str | None,
    ) -> None:
        message, chat, user = (
            update.effective_message,
            update.effective_chat,
            update.effective_user,
        )
        if message is None or chat is None or user is None:
            return
        bot = context.bot
        ref = player_ref(user, chat)
        try:
            reply = await self.engine.quickdraw.guess(
                ref, text, message_ref=round_message, public=True
            )
        except RateLimited:
            return  # silently, as scribble.rs does: answering a spammer costs messages
        except NotFound:
            if round_message is not None:
                return  # a reply to some other message of ours: not a guess
            reply = Reply(
                "No doodle round is running here. A moderator can start one with /round."
            )
        except NotConsented as err:
            await self.renderer.send(
                bot,
                chat.id,
                Reply(err.message),
                reply_to=message.message_id,
                link=consent_link(bot.username),
            )
            return
        except LabelQuestError as err:
            reply = Reply(err.message, ephemeral=True)
        if is_private(chat):
            await self.renderer.send(bot, chat.id, reply)
        elif not await self._privately(context, user.id, reply):
            await self.renderer.send(bot, chat.id, Reply(reply.text), reply_to=message.message_id)

    async def _privately(self, context: ContextTypes.DEFAULT_TYPE, user_id: int, r: Reply) -> bool:
        try:
            await self.renderer.send(context.bot, user_id, r)
        except (Forbidden, BadRequest) as exc:
            log.info("no private chat with %s for guess feedback: %s", user_id, exc)
            return False
        return True


def register(application: Application[Any, Any, Any, Any, Any, Any], adapter: Any) -> None:
    """`/doodle`, `/start doodle`, `/guess`, and replies to the bot in groups."""
    qd = QuickdrawHandlers(adapter)
    new = filters.UpdateType.MESSAGE
    deep_link = filters.Regex(r"^/start(@\w+)?\s+doodle\s*$")
    application.add_handler(CommandHandler("start", qd.start_doodle, filters=new & deep_link))
    application.add_handler(CommandHandler("doodle", qd.doodle, filters=new))
    application.add_handler(CommandHandler("guess", qd.guess_command, filters=new))
    replies = new & filters.TEXT & ~filters.COMMAND & filters.ChatType.GROUPS & _RepliesToBot()
    application.add_handler(MessageHandler(replies, qd.reply_guess))
