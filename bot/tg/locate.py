"""The locate canvas on Telegram (issue 17): the canvas as a Mini App.

- A locate card's "📦 Open the canvas" (payload `o:<round>`) in a private chat answers with an
  inline `web_app` button opening `<public_url>/locate?round=<round>`; Telegram hands the page
  its signed initData (validated by the web side, `bot.core.access.webapp`).
- In a group a `web_app` button is not allowed (Telegram answers 400 BUTTON_TYPE_INVALID), so
  the press opens the private chat with `/start locate` (a deep link), where the button opens
  the canvas on the player's own locate task (`engine.locate.task` reserves it).
- Without `[web] public_url` the answer says plainly that the canvas is not set up; a player
  who has not consented gets the consent text first (`engine.locate.ready`).
"""

from __future__ import annotations

from typing import Any

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
    WebAppInfo,
)
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.core.kernel import codec
from bot.core.kernel.errors import LabelQuestError, NotConsented
from bot.core.kernel.models import PlayerRef, Reply
from bot.core.locate import texts
from bot.core.locate.cases import canvas_url
from bot.tg.buttons import answer
from bot.tg.errors import deep_link
from bot.tg.refs import is_private, player_ref

COMMANDS: list[BotCommand] = []
MODERATOR_COMMANDS: list[BotCommand] = []
START_ARG = "locate"
PATTERN = r"^v1:o:[0-9a-z]{1,13}$"


def register(application: Application, adapter: Any) -> None:  # type: ignore[type-arg]
    """The canvas button, and `/start locate` (before the general `/start`)."""
    feature = LocateCanvas(adapter)
    application.add_handler(CallbackQueryHandler(feature.press, pattern=PATTERN))
    start = filters.Regex(rf"^/start(@\w+)?\s+{START_ARG}\b")
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("start", feature.start, filters=new & start))


def canvas_markup(public_url: str, round_id: int | None) -> InlineKeyboardMarkup:
    """The Mini App button (private chats only)."""
    url = canvas_url(public_url, round_id=round_id)
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.OPEN_CANVAS, web_app=WebAppInfo(url))]]
    )


class LocateCanvas:
    def __init__(self, adapter: Any) -> None:
        self.engine = adapter.engine
        self.renderer = adapter.renderer
        self.web = adapter.web_settings

    async def _offer(self, bot: Bot, chat_id: int, ref: PlayerRef, round_id: int | None) -> None:
        """The Mini App button, once the engine says the canvas may open."""
        try:
            await self.engine.locate.ready(ref, round_id, public_url=self.web.public_url)
        except NotConsented:
            await self.renderer.send(bot, chat_id, self.engine.players.consent_prompt())
            return
        except LabelQuestError as err:
            await self.renderer.send(bot, chat_id, Reply(err.message))
            return
        markup = canvas_markup(self.web.public_url, round_id)
        await bot.send_message(chat_id, texts.OPEN_PAGE, reply_markup=markup)

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The canvas button: the Mini App in private, the private chat from a group."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        chat = query.message.chat if query.message is not None else None
        if not is_private(chat):
            url = deep_link(context.bot.username, START_ARG)
            await answer(query, texts.IN_PRIVATE, url=url)
            return
        await answer(query)
        ref = player_ref(query.from_user, chat)
        round_id = codec.decode(query.data).args[0]
        await self._offer(context.bot, query.from_user.id, ref, round_id)

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`/start locate` (the group's deep link): the canvas on the player's own task."""
        message, chat, user = (
            update.effective_message,
            update.effective_chat,
            update.effective_user,
        )
        if message is None or chat is None or user is None or not is_private(chat):
            return
        await self._offer(context.bot, chat.id, player_ref(user, chat), None)
