"""`/draw` on Telegram: the drawing page as a Mini App (issue 15).

- In a private chat, `/draw` (and `/start draw`, where the group's deep link lands) answers
  with an inline `web_app` button that opens `<public_url>/draw` as a Mini App; Telegram then
  hands the page its signed initData (validated by the web side, `bot.core.access.webapp`).
  Nothing is stored here: the page asks the web side for the prompt.
- In a group a `web_app` button is not allowed (Telegram answers 400 BUTTON_TYPE_INVALID:
  Mini App buttons work in private chats only), so the group gets a deep link that opens the
  private chat with `/start draw`, where the button is sent.
- Doodle cards carry a Draw button too (`card_rows`, appended by the renderer to sent and
  edited cards alike, only while `[web] public_url` is set): a solo card in the private chat
  gets the Mini App button, a round card in a group a deep link to `/start draw`.
- Without `[web] public_url` the answer says plainly that drawing is not set up; a player who
  has not consented gets the consent text first (`engine.draw_links.ready`).
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
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.core.access.drawlinks import draw_url
from bot.core.kernel.errors import LabelQuestError, NotConsented
from bot.core.kernel.models import Reply
from bot.tg.errors import deep_link
from bot.tg.refs import is_private, player_ref
from bot.tg.render import ExtraRows, Link

COMMANDS = [BotCommand("draw", "Draw a word; the crowd guesses it")]
MODERATOR_COMMANDS: list[BotCommand] = []
DRAW_BUTTON = "✏️ Draw"
DRAW_YOURS = "✏️ Draw your own"
SOLO_PICK = "q"
"""The payload action of a solo doodle card's word buttons (`bot.core.quickdraw.cards`)."""
OPEN_PAGE = (
    "Tap Draw to open the drawing page: you get a word and 20 seconds or so to draw it. "
    "Your strokes and their timing are sent, nothing else about your device."
)
IN_PRIVATE = "Drawing happens in our private chat: tap below, then Draw."
START_ARG = "draw"


def register(application: Application, adapter: Any) -> None:  # type: ignore[type-arg]
    """`/draw`, and `/start draw` (before the general `/start`)."""
    feature = DrawCommand(adapter)
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("draw", feature.draw, filters=new))
    start_draw = filters.Regex(rf"^/start(@\w+)?\s+{START_ARG}\b")
    application.add_handler(CommandHandler("start", feature.draw, filters=new & start_draw))
    if adapter.web_settings.public_url:
        adapter.renderer.extra = card_rows(adapter.web_settings.public_url)


def _is_doodle_card(reply: Reply) -> bool:
    """A doodle round card (it takes guesses) or a solo doodle card (word picks)."""
    if reply.guess_round_id is not None:
        return True
    return any(c.payload.split(":")[1:2] == [SOLO_PICK] for row in reply.choices for c in row)


def card_rows(public_url: str) -> ExtraRows:
    """The Draw button under doodle cards: the Mini App in a private chat (positive chat ids
    are people), a deep link to it from a group (Mini App buttons are private-only)."""

    def rows(bot: Bot, chat_id: int, reply: Reply) -> list[list[InlineKeyboardButton]]:
        if not _is_doodle_card(reply):
            return []
        if chat_id > 0:
            return [[draw_button(public_url)]]
        url = deep_link(bot.username, START_ARG)
        return [[InlineKeyboardButton(DRAW_YOURS, url=url)]]

    return rows


def draw_button(public_url: str) -> InlineKeyboardButton:
    """The Mini App button (private chats only)."""
    return InlineKeyboardButton(DRAW_BUTTON, web_app=WebAppInfo(draw_url(public_url)))


def draw_markup(public_url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[draw_button(public_url)]])


class DrawCommand:
    def __init__(self, adapter: Any) -> None:
        self.engine = adapter.engine
        self.renderer = adapter.renderer
        self.web = adapter.web_settings

    async def draw(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The Mini App button in private; a deep link to it from a group."""
        message, chat, user = (
            update.effective_message,
            update.effective_chat,
            update.effective_user,
        )
        if message is None or chat is None or user is None:
            return
        bot = context.bot
        if not is_private(chat):
            link = Link("Open private chat", deep_link(bot.username, START_ARG))
            reply_to = message.message_id
            await self.renderer.send(bot, chat.id, Reply(IN_PRIVATE), reply_to=reply_to, link=link)
            return
        ref = player_ref(user, chat)
        try:
            await self.engine.draw_links.ready(ref, public_url=self.web.public_url)
        except NotConsented:
            await self.renderer.send(bot, chat.id, self.engine.players.consent_prompt())
            return
        except LabelQuestError as err:
            await self.renderer.send(bot, chat.id, Reply(err.message))
            return
        await bot.send_message(chat.id, OPEN_PAGE, reply_markup=draw_markup(self.web.public_url))
