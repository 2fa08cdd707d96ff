"""Commands: one tiny handler each; `Commands.run` decodes, calls the engine, renders.

Where replies go: in a private chat, there. In a group, as a reply to the command, except
what is personal (/play, /mydata, /privacy, /forget): the group gets a button that opens the
private chat with `/start <command>`, which continues there. A round card is posted
without quoting the command that asked for it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import ContextTypes

from bot.core.engine import Engine
from bot.core.kernel.errors import LabelQuestError, NotConsented
from bot.core.kernel.models import PlayerRef, Reply
from bot.core.rewards.boards import SCOPES, WINDOWS
from bot.tg.errors import consent_link, deep_link
from bot.tg.refs import Moderators, is_private, player_ref
from bot.tg.render import Link, Renderer

log = logging.getLogger(__name__)

Call = Callable[[PlayerRef], Awaitable[Reply]]

PRIVATE_ONLY = "That one is just between us: tap below to continue in our private chat."
UNKNOWN_COMMAND = "I don't know that command yet. /help lists what I can do."


def top_args(args: list[str]) -> tuple[str, str, str | None]:
    """`/top [community|global|campaign] [all|week|today] [campaign name]`, in any order;
    a bare campaign name means scope `campaign`."""
    scope, window, rest = "", "all", []
    for word in args:
        low = word.lower()
        if not scope and low in SCOPES:
            scope = low
        elif low in WINDOWS:
            window = low
        else:
            rest.append(word)
    name = " ".join(rest) or None
    return scope or ("campaign" if name else "community"), window, name


class Commands:
    def __init__(self, engine: Engine, renderer: Renderer, moderators: Moderators) -> None:
        self.engine = engine
        self.renderer = renderer
        self.moderators = moderators

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Welcome and consent; `/start play` (etc.) continues a deep link from a group."""
        arg = context.args[0].lower() if context.args else ""
        calls: dict[str, Call] = {
            "play": self.engine.play.next_task,
            "mydata": self.engine.players.my_data,
            "privacy": self.engine.players.privacy,
            "forget": self.engine.players.forget,
            "contribute": self.engine.capture.start,
        }
        if arg in calls:
            await self.run(update, context, calls[arg], private=arg)
        else:
            await self.run(update, context, self.engine.players.start)

    async def play(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A solo session in the private chat: one task after another."""
        await self.run(update, context, self.engine.play.next_task, private="play")

    async def round(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Moderators: post a round of the (named or first active) campaign in this group."""
        name = " ".join(context.args or []) or None
        await self.run(
            update,
            context,
            lambda ref: self.engine.play.post_round(ref, name),
            moderator=True,
            quote=False,
        )

    async def profile(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Your points, rank and accuracy."""
        await self.run(update, context, self.engine.boards.profile)

    async def top(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Leaderboards: `/top [community|global|campaign] [all|week|today] [campaign]`."""
        scope, window, name = top_args(context.args or [])
        await self.run(
            update, context, lambda ref: self.engine.boards.leaderboard(ref, scope, window, name)
        )

    async def forget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Delete everything stored about you (asks to confirm)."""
        await self.run(update, context, self.engine.players.forget, private="forget")

    async def mydata(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Everything stored about you, as a summary and a JSON file."""
        await self.run(update, context, self.engine.players.my_data, private="mydata")

    async def privacy(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Hide from public leaderboards; streak reminders."""
        await self.run(update, context, self.engine.players.privacy, private="privacy")

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The commands, and how points work (moderators see theirs too)."""

        async def call(ref: PlayerRef) -> Reply:
            return self.engine.players.help(ref)

        await self.run(update, context, call, moderator=True)

    async def unknown(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A command we do not have (private chats only: in groups it may be another bot's)."""
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, UNKNOWN_COMMAND)

    # -- the one call shape ------------------------------------------------------------------

    async def run(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        call: Call,
        *,
        private: str | None = None,
        moderator: bool = False,
        quote: bool = True,
    ) -> None:
        """Decode the update, call the engine once, render its reply (or its refusal)."""
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
        if group and private is not None:
            link = Link("Open private chat", deep_link(bot.username, private))
            await self.renderer.send(
                bot, chat.id, Reply(PRIVATE_ONLY), reply_to=reply_to, link=link
            )
            return
        is_mod = moderator and group and await self.moderators.check(bot, update)
        ref = player_ref(user, chat, moderator=is_mod)
        try:
            reply = await call(ref)
        except NotConsented as err:
            if group:
                await self.renderer.send(
                    bot,
                    chat.id,
                    Reply(err.message),
                    reply_to=reply_to,
                    link=consent_link(bot.username),
                )
            else:
                await self.renderer.send(bot, chat.id, self.engine.players.consent_prompt())
            return
        except LabelQuestError as err:
            await self.renderer.send(bot, chat.id, Reply(err.message), reply_to=reply_to)
            return
        await self.renderer.send_all(
            bot, chat.id, reply.chain(), reply_to=reply_to if quote else None
        )
