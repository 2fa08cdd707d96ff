"""Typed answers on Telegram (transcribe, translate): `/answer TEXT`, replies to a task card,
and, in the private chat, plain text for the open typed task.

- `/answer TEXT` answers the card it replies to, else the player's newest typed task here
  (the solo task in the private chat, the newest typed round in a group); `/answer` alone gets
  the usage line.
- A text reply to one of the bot's messages answers it when that message is a typed task card
  (solo or round). Handlers here run in an earlier handler group than quick-draw's: a reply
  to a doodle card, or to anything that is no typed card, is left to the later handlers (it
  stays a doodle guess), and a handled reply stops there (`ApplicationHandlerStop`).
- In the private chat a plain text message answers the player's open typed solo task when
  there is one; otherwise it is left alone.
- In a group the feedback goes to the player's private chat (answers stay independent); only
  when that chat is closed does the bot answer in the group, quoting the message.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from telegram import BotCommand, Message, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.core.kernel.errors import LabelQuestError, NotConsented, NotFound
from bot.core.kernel.models import Reply
from bot.delivery import MessageRef
from bot.tg.errors import consent_link
from bot.tg.refs import is_private, player_ref

if TYPE_CHECKING:
    from bot.tg.app import TelegramAdapter

log = logging.getLogger(__name__)

COMMANDS = [BotCommand("answer", "Type your answer to a task (or reply to its card)")]
MODERATOR_COMMANDS: list[BotCommand] = []
EARLY = -2
"""The handler group of typed replies and private text: before quick-draw's (group 0), and a
group of its own (PTB runs only the first matching handler of each group, so a message these
handlers leave alone still reaches the handlers of every later group)."""


class _RepliesToBot(filters.MessageFilter):
    """Messages that reply to one of the bot's own messages."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return bool(
            replied is not None
            and replied.from_user is not None
            and replied.from_user.id == message.get_bot().id
        )


def _replied_ref(message: Message) -> str | None:
    """The platform reference of the bot message this message replies to, if any."""
    replied = message.reply_to_message
    if (
        replied is None
        or replied.from_user is None
        or replied.from_user.id != message.get_bot().id
    ):
        return None
    return str(MessageRef(message.chat_id, replied.message_id))


class TypedHandlers:
    def __init__(self, adapter: TelegramAdapter) -> None:
        self.engine = adapter.engine
        self.renderer = adapter.renderer

    async def answer_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`/answer TEXT`: the replied card's answer, else the newest typed task here."""
        message = update.effective_message
        if message is None:
            return
        text = " ".join(context.args or [])
        await self._answer(update, context, text, _replied_ref(message), quiet=False)

    async def reply_answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text reply to the bot: an answer when the replied message is a typed card."""
        message = update.effective_message
        if message is None:
            return
        ref = _replied_ref(message)
        if await self._answer(update, context, message.text or "", ref, quiet=True):
            raise ApplicationHandlerStop

    async def private_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Plain text in the private chat: the answer to the open typed solo task, if any."""
        message = update.effective_message
        if message is None:
            return
        if await self._answer(update, context, message.text or "", None, quiet=True):
            raise ApplicationHandlerStop

    async def _answer(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        text: str,
        round_message: str | None,
        *,
        quiet: bool,
    ) -> bool:
        """Answer; False (nothing said) when `quiet` and there is no typed task to answer."""
        message, chat, user = (
            update.effective_message,
            update.effective_chat,
            update.effective_user,
        )
        if message is None or chat is None or user is None:
            return False
        bot = context.bot
        ref = player_ref(user, chat)
        try:
            reply = await self.engine.play.answer_text(ref, text, message_ref=round_message)
        except NotFound as err:
            if quiet:
                return False
            reply = Reply(err.message, ephemeral=True)
        except NotConsented as err:
            if quiet and round_message is None:
                return False  # plain private text from a stranger: not ours to answer
            await self.renderer.send(
                bot,
                chat.id,
                Reply(err.message),
                reply_to=message.message_id,
                link=consent_link(bot.username),
            )
            return True
        except LabelQuestError as err:
            reply = Reply(err.message, ephemeral=True)
        if is_private(chat):
            await self.renderer.send_all(bot, chat.id, reply.chain())
        elif not await self._privately(context, user.id, reply):
            await self.renderer.send(bot, chat.id, Reply(reply.text), reply_to=message.message_id)
        return True

    async def _privately(self, context: ContextTypes.DEFAULT_TYPE, user_id: int, r: Reply) -> bool:
        try:
            await self.renderer.send_all(context.bot, user_id, r.chain())
        except (Forbidden, BadRequest) as exc:
            log.info("no private chat with %s for answer feedback: %s", user_id, exc)
            return False
        return True


def register(application: Application[Any, Any, Any, Any, Any, Any], adapter: Any) -> None:
    """`/answer`, typed replies to the bot (before quick-draw's), private plain text."""
    typed = TypedHandlers(adapter)
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("answer", typed.answer_command, filters=new))
    texts = new & filters.TEXT & ~filters.COMMAND
    replies = texts & _RepliesToBot()
    application.add_handler(MessageHandler(replies, typed.reply_answer), group=EARLY)
    plain = texts & filters.ChatType.PRIVATE & ~filters.REPLY
    application.add_handler(MessageHandler(plain, typed.private_text), group=EARLY)
