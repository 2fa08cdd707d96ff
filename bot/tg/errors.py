"""Errors, the Telegram way.

Domain errors (`LabelQuestError`) are expected: the player sees their message, in a toast
for a button press or as a reply to a command. `NotConsented` leads to consent instead: in a
private chat the consent text itself is sent; in a group the toast (or a URL button) opens
the private chat with `/start consent`. Anything else reaches `on_error`, PTB's error
handler: logged ONCE at ERROR with the update's context, the player gets `texts.APOLOGY`, and
polling goes on. A user who blocked the bot (`Forbidden`) is a warning, not an error.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.core.kernel import texts
from bot.core.kernel.errors import LabelQuestError
from bot.delivery import clip
from bot.tg.refs import is_private
from bot.tg.render import TOAST_MAX, Link

log = logging.getLogger(__name__)

CONSENT_TOAST = "First, a quick yes to what I store: tap to open our private chat."


def deep_link(bot_username: str | None, start: str) -> str:
    """`https://t.me/<bot>?start=<arg>`: opens the private chat and sends `/start <arg>`."""
    return f"https://t.me/{bot_username or ''}?start={start}"


def consent_link(bot_username: str | None) -> Link:
    return Link("Open private chat", deep_link(bot_username, "consent"))


def toast_for(err: LabelQuestError) -> str:
    return clip(err.message, TOAST_MAX)


def describe(update: object) -> str:
    """Who did what, for the log: update id, user id, chat id and the command or payload."""
    if not isinstance(update, Update):
        return f"non-update {type(update).__name__}"
    what = "update"
    if update.callback_query is not None:
        what = f"button {update.callback_query.data!r}"
    elif update.effective_message is not None and update.effective_message.text:
        what = repr(update.effective_message.text.split(maxsplit=1)[0])
    user = update.effective_user.id if update.effective_user else None
    chat = update.effective_chat.id if update.effective_chat else None
    return f"{what} (update {update.update_id}, user {user}, chat {chat})"


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log an unexpected exception once, with context, and apologise to the player."""
    err = context.error
    if isinstance(err, Forbidden):
        log.warning("Telegram refused to deliver for %s: %s", describe(update), err)
        return
    log.error("unexpected error while handling %s", describe(update), exc_info=err)
    if isinstance(update, Update):
        await apologize(update, context)


async def apologize(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A toast for a button press (or a message if the press was already answered)."""
    query, chat = update.callback_query, update.effective_chat
    try:
        if query is not None:
            try:
                await query.answer(texts.APOLOGY, show_alert=True)
                return
            except TelegramError:
                if not is_private(chat):
                    return  # already answered; nothing private left to say it with
        if chat is not None:
            await context.bot.send_message(chat.id, texts.APOLOGY)
    except TelegramError as exc:
        log.warning("could not apologise for %s: %s", describe(update), exc)
