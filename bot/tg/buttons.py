"""Buttons: every callback query is answered, exactly once.

Our payloads (`codec.PATTERN`) go to `engine.handle_button`; anything else gets a toast
saying the button is not ours. What the presser sees:

- private chat: the toast carries the reply's `notice`; a `replace` reply edits the message
  the button was on (solo cards, consent, forget), the others are sent after it.
- group: nothing personal is posted in the group, and no shared message is edited. An
  ephemeral (or `replace`) reply becomes the toast: its `notice`, or its text cut to 200
  characters. One that cannot fit a toast (a new task card with buttons or a picture) goes to
  the presser's private chat; if they never started the bot, the toast links there instead.
  Only public replies are posted in the group.
- a domain error is a toast; `NotConsented` leads to consent (the prompt in a private chat,
  a toast opening the private chat with `/start consent` in a group).
"""

from __future__ import annotations

import logging

from telegram import Bot, CallbackQuery, Chat, Message, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.core.engine import Engine
from bot.core.kernel.codec import decode
from bot.core.kernel.errors import LabelQuestError, NotConsented, UnknownPayload
from bot.core.kernel.models import Reply
from bot.delivery import clip
from bot.tg.errors import CONSENT_TOAST, deep_link, toast_for
from bot.tg.refs import Moderators, is_private, player_ref
from bot.tg.render import TOAST_MAX, Renderer

log = logging.getLogger(__name__)

SENT_PRIVATELY = "I sent it to our private chat."
OPEN_PRIVATE = "Tap to continue in our private chat."
MODERATOR_ACTIONS = ("v1:r:",)  # review buttons check the presser's rights


async def answer(query: CallbackQuery, text: str | None = None, *, url: str | None = None) -> None:
    """Answer the query; one Telegram no longer takes (too old: the work was slow) is only
    logged, so the rest of the reply is still rendered."""
    try:
        await query.answer(text, url=url)
    except BadRequest as exc:
        log.warning("callback %s could not be answered: %s", query.id, exc.message)


def toastable(reply: Reply) -> bool:
    """Fits a toast: no picture or file, and no buttons, unless it is a `replace` (its
    buttons belonged to an edit of a message the group shares, which we do not make)."""
    return reply.media is None and not reply.files and (not reply.choices or reply.replace)


def said_by_toast(reply: Reply) -> bool:
    """The toast said it all: the notice is the whole text, uncut, and nothing else comes."""
    return reply.notice == reply.text and len(reply.text) <= TOAST_MAX and toastable(reply)


class Buttons:
    def __init__(self, engine: Engine, renderer: Renderer, moderators: Moderators) -> None:
        self.engine = engine
        self.renderer = renderer
        self.moderators = moderators

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One of our buttons: the engine decides what it means."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        chat = query.message.chat if query.message is not None else None
        message = query.message if isinstance(query.message, Message) else None
        moderator = query.data.startswith(MODERATOR_ACTIONS) and await self.moderators.check(
            context.bot, update
        )
        ref = player_ref(query.from_user, chat, moderator=moderator)
        try:
            reply = await self.engine.handle_button(ref, query.data)
        except LabelQuestError as err:
            await self.refuse(context.bot, query, chat, err)
            return
        if is_private(chat):
            await self.in_private(context.bot, query, message, reply)
        else:
            assert chat is not None
            await self.in_group(context.bot, query, chat, reply)

    async def stale(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button that is not ours, or from a version we no longer read: say so."""
        query = update.callback_query
        if query is None:
            return
        try:
            decode(query.data or "")
            text = "That button no longer works."
        except UnknownPayload as err:
            text = err.message
        await answer(query, clip(text, TOAST_MAX))

    # -- rendering ---------------------------------------------------------------------------

    async def in_private(
        self, bot: Bot, query: CallbackQuery, message: Message | None, reply: Reply
    ) -> None:
        replies = reply.chain()
        first = replies[0]
        await answer(query, clip(first.notice, TOAST_MAX) if first.notice else None)
        if said_by_toast(first):
            replies = replies[1:]
        chat_id = query.from_user.id if message is None else message.chat_id
        for r in replies:
            if r.replace and message is not None:
                await self.renderer.replace(bot, message, r)
            else:
                await self.renderer.send(bot, chat_id, r)

    async def in_group(self, bot: Bot, query: CallbackQuery, chat: Chat, reply: Reply) -> None:
        toast: str | None = None
        url: str | None = None
        for r in reply.chain():
            if r.replace and r.select is not None and isinstance(query.message, Message):
                # a multi-select toggle: the keyboard carries the selection, so the card
                # the group shares is edited in place (docs/multilabel.md)
                await self.renderer.replace(bot, query.message, r)
            elif not (r.ephemeral or r.replace):
                await self.renderer.send(bot, chat.id, r)
            elif toastable(r):
                toast = toast or r.notice or clip(r.text, TOAST_MAX)
            elif await self.privately(bot, query.from_user.id, r):
                toast = toast or r.notice or SENT_PRIVATELY
            else:
                toast, url = OPEN_PRIVATE, deep_link(bot.username, "play")
        await answer(query, clip(toast, TOAST_MAX) if toast else None, url=url)

    async def privately(self, bot: Bot, user_id: int, reply: Reply) -> bool:
        """Send to the presser's private chat; False if they never started the bot."""
        try:
            await self.renderer.send(bot, user_id, reply)
        except (Forbidden, BadRequest) as exc:
            log.info("no private chat with %s: %s", user_id, exc)
            return False
        return True

    async def refuse(
        self, bot: Bot, query: CallbackQuery, chat: Chat | None, err: LabelQuestError
    ) -> None:
        if not isinstance(err, NotConsented):
            await answer(query, toast_for(err))
        elif is_private(chat):
            await answer(query, toast_for(err))
            await self.renderer.send(bot, query.from_user.id, self.engine.players.consent_prompt())
        else:
            await answer(query, CONSENT_TOAST, url=deep_link(bot.username, "consent"))
