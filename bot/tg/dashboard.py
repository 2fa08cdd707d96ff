"""`/dashboard` on Telegram: a one-time sign-in link to the web dashboard.

- In a group, the link goes to the person in PRIVATE (never to the group); the group is told
  it was sent. If the bot cannot write to them (they never started it, or blocked it), the
  group is told to open a private chat with the bot first, without the link. An anonymous
  administrator (posting as the group) is asked to send it as themselves.
- In a private chat the link is answered there (bot admins only: a moderator's scope is the
  group they send it in).
- Link previews are off: Telegram must not fetch the link (it would be harmless, the page
  asks for a click, but there is no reason to).
- Who may get one, and the refusal otherwise, is the engine's (`engine.signin`); without
  `[web] public_url` the answer says the dashboard is not set up.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.core.kernel.errors import LabelQuestError
from bot.core.kernel.models import Reply
from bot.tg.errors import deep_link
from bot.tg.refs import is_private, player_ref
from bot.tg.render import Link

log = logging.getLogger(__name__)

COMMANDS: list[BotCommand] = []
MODERATOR_COMMANDS = [BotCommand("dashboard", "A sign-in link to the web dashboard")]
SENT_PRIVATELY = "I sent you a sign-in link to the dashboard in our private chat."
START_PRIVATE = (
    "I can't message you privately yet: open a private chat with me (tap below, then Start), "
    "then send /dashboard here again."
)
ANONYMOUS = (
    "A sign-in link is personal: send /dashboard as yourself, not as the group (turn off "
    "'Remain anonymous' for a moment)."
)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def register(application: Application, adapter: Any) -> None:  # type: ignore[type-arg]
    """`/dashboard` (new messages only)."""
    feature = DashboardCommand(adapter)
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("dashboard", feature.dashboard, filters=new))


class DashboardCommand:
    def __init__(self, adapter: Any) -> None:
        self.engine = adapter.engine
        self.renderer = adapter.renderer
        self.moderators = adapter.moderators
        self.web = adapter.web_settings

    async def dashboard(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A sign-in link, privately (see the module docstring)."""
        message, chat, user = (
            update.effective_message,
            update.effective_chat,
            update.effective_user,
        )
        if message is None or chat is None or user is None:
            return
        bot = context.bot
        group = not is_private(chat)
        reply_to = message.message_id if group else None
        if group and message.sender_chat is not None:
            await self.renderer.send(bot, chat.id, Reply(ANONYMOUS), reply_to=reply_to)
            return
        is_mod = group and await self.moderators.check(bot, update)
        ref = player_ref(user, chat, moderator=is_mod)
        try:
            link = await self.engine.signin.dashboard_link(
                ref, public_url=self.web.public_url, minutes=self.web.login_link_minutes
            )
        except LabelQuestError as err:
            await self.renderer.send(bot, chat.id, Reply(err.message), reply_to=reply_to)
            return
        try:
            await bot.send_message(user.id, link.reply.text, link_preview_options=NO_PREVIEW)
        except TelegramError as exc:
            if not group:
                raise
            log.info("cannot send a sign-in link to %s privately: %s", user.id, exc)
            start = Link("Open private chat", deep_link(bot.username, "dashboard"))
            await self.renderer.send(
                bot, chat.id, Reply(START_PRIVATE), reply_to=reply_to, link=start
            )
            return
        if group:
            await self.renderer.send(bot, chat.id, Reply(SENT_PRIVATELY), reply_to=reply_to)
