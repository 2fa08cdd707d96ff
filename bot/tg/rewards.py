"""Rewards on Telegram: /badges, /points, /streak, and /announce for group administrators.

/profile, /top and /privacy are core commands (`bot.tg.handlers`); the profile's buttons
(points, badges, streak) go through the shared payload handler. Like /profile, these answer
where they were asked.

- `/badges`: badges earned, and the closest ones still to earn with their progress.
- `/points`: the last ledger lines, each with its reason (why an answer earned what it did).
- `/streak`: the streak now, freezes, the day boundary and why a streak ended.
- `/announce` in a group (administrators): this group gets the weekly winners and level-ups;
  `/announce off` stops them.
"""

from __future__ import annotations

from typing import Any

from telegram import BotCommand, Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.core.kernel.models import PlayerRef, Reply

COMMANDS = [
    BotCommand("badges", "Badges earned and how to earn more"),
    BotCommand("points", "Why your recent answers earned what they did"),
    BotCommand("streak", "Your daily streak, freezes and what happened"),
]
MODERATOR_COMMANDS = [
    BotCommand("announce", "Weekly winners and level-ups here (/announce off stops)"),
]
OFF_WORDS = {"off", "stop", "no", "none"}


def announce_on(args: list[str]) -> bool:
    """`/announce` or `/announce on` turn announcements on here; `/announce off` stops them."""
    return not (args and args[0].lower() in OFF_WORDS)


class RewardHandlers:
    def __init__(self, adapter: Any) -> None:
        self.adapter = adapter
        self.engine = adapter.engine

    async def badges(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Badges earned, and the closest ones still to earn."""
        await self.adapter.commands.run(update, context, self.engine.rewards.badges)

    async def points(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The last point lines, each with its reason."""
        await self.adapter.commands.run(update, context, self.engine.rewards.points_history)

    async def streak(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The daily streak, freezes and the streak log."""
        await self.adapter.commands.run(update, context, self.engine.rewards.streak)

    async def announce(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Administrators: announcements in this group (`/announce [off]`)."""
        on = announce_on(context.args or [])

        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.rewards.announce(ref, on)
            return reply

        await self.adapter.commands.run(update, context, call, moderator=True)


def register(application: Application, adapter: Any) -> None:  # type: ignore[type-arg]
    """The reward commands (new messages only), before the catch-alls."""
    handlers = RewardHandlers(adapter)
    new = filters.UpdateType.MESSAGE
    for name in ("badges", "points", "streak", "announce"):
        application.add_handler(CommandHandler(name, getattr(handlers, name), filters=new))
