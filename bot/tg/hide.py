"""`/hide DRAWING_ID` on Telegram (issue 15): a moderator hides a player drawing for good.

Telegram's moderators are a group's administrators, so it works in the group (the config's
admins may also use it in the private chat). The drawing id is on the round card of every
player drawing. The answer is the adapter's usual moderator reply; out of scope (another
community's drawing) is the same "no drawing" as a missing one.
"""

from __future__ import annotations

from typing import Any

from telegram import BotCommand, Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.core.kernel.models import PlayerRef, Reply

COMMANDS: list[BotCommand] = []
MODERATOR_COMMANDS = [BotCommand("hide", "Hide a player drawing for good (its number)")]


class HideHandlers:
    def __init__(self, adapter: Any) -> None:
        self.adapter = adapter
        self.engine = adapter.engine

    async def hide(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Moderators: `/hide DRAWING_ID`."""
        text = " ".join(context.args or [])

        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.drawings.hide_command(ref, text)
            return reply

        await self.adapter.commands.run(update, context, call, moderator=True)


def register(application: Application, adapter: Any) -> None:  # type: ignore[type-arg]
    """The command (new messages only), before the catch-alls."""
    handlers = HideHandlers(adapter)
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("hide", handlers.hide, filters=new))
