"""`/languages` on Telegram (issue 16): the languages a player speaks, for translate tasks.

`/languages de en` sets them, `/languages` shows them, `/languages none` clears them. Only a
consented player's are stored (the engine refuses the others, storing nothing)."""

from __future__ import annotations

from typing import Any

from telegram import BotCommand, Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.core.kernel.models import PlayerRef, Reply

COMMANDS = [BotCommand("languages", "Languages you speak (for translation tasks)")]
MODERATOR_COMMANDS: list[BotCommand] = []


class LanguagesHandlers:
    def __init__(self, adapter: Any) -> None:
        self.adapter = adapter
        self.engine = adapter.engine

    async def languages(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`/languages [codes | none]`."""
        text = " ".join(context.args or [])

        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.languages.command(ref, text)
            return reply

        await self.adapter.commands.run(update, context, call)


def register(application: Application, adapter: Any) -> None:  # type: ignore[type-arg]
    """The command (new messages only), before the catch-alls."""
    handlers = LanguagesHandlers(adapter)
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("languages", handlers.languages, filters=new))
