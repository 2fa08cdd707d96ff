"""Typed answers on Discord (transcribe, translate): the ✍️ Answer button opens a modal.

A modal must be the first answer to a click, so the button (payload action `t`) is handled
before the usual deferred click flow, through the bot's `click_hooks`, and answers nothing
else on that interaction. Its one text field allows the campaign's `max_chars`. The
submission is deferred at once, then `engine.play.answer_text(ref, text, round_id=...)`
stores it; on a solo card the card is replaced by the verdict and the next card follows, on
a channel round the feedback is private (ephemeral).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.cogs import errors, render
from bot.cogs.flow import FeatureCog
from bot.core.kernel import codec
from bot.core.kernel.errors import LabelQuestError

if TYPE_CHECKING:
    from bot.cogs.bot import LabelQuestBot

log = logging.getLogger(__name__)

MODAL_TITLE = "Your answer"
FIELD_LABEL = "Type what you read"
DISCORD_MAX = 4000  # the longest text input Discord allows


class AnswerModal(discord.ui.Modal):
    """One text field; submitting it is a typed answer to round `round_id`."""

    def __init__(self, cog: TypedCog, round_id: int, max_length: int) -> None:
        super().__init__(title=MODAL_TITLE, custom_id=f"lq:answer:{round_id}", timeout=900)
        self.cog = cog
        self.round_id = round_id
        self.text: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
            label=FIELD_LABEL,
            style=discord.TextStyle.paragraph,
            max_length=min(max_length, DISCORD_MAX),
        )
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await self.cog.answer_in(interaction, self.text.value, self.round_id)

    async def on_error(  # type: ignore[override]  # a Modal's hook takes no item
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await errors.apologize(interaction, error, f"answer modal {self.custom_id!r}")


class TypedCog(FeatureCog, name="Typed"):
    def __init__(self, bot: LabelQuestBot) -> None:
        super().__init__(bot)
        bot.click_hooks["t"] = self.open_modal

    async def open_modal(self, interaction: discord.Interaction[Any], payload: str) -> None:
        """The Answer button: open the modal at once (no defer before a modal)."""
        with self.bot.tracked():
            try:
                round_id = codec.decode(payload).args[0]
                limit = await self.engine.play.answer_limit(round_id)
                await interaction.response.send_modal(AnswerModal(self, round_id, limit))
            except LabelQuestError as exc:
                await errors.report(interaction, self.engine, exc)
            except Exception as exc:
                await errors.apologize(interaction, exc, f"button {payload!r}")

    async def answer_in(
        self, interaction: discord.Interaction[Any], text: str, round_id: int
    ) -> None:
        """Defer (an update of the card the button is on), answer, render the reply."""
        with self.bot.tracked():
            try:
                await interaction.response.defer()
                ref = self.bot.player_ref(interaction)
                reply = await self.engine.play.answer_text(ref, text, round_id=round_id)
                await render.deliver(interaction, reply, self.bot.binder, component=True)
            except LabelQuestError as exc:
                await errors.report(interaction, self.engine, exc)


def make_cog(bot: LabelQuestBot) -> commands.Cog:
    return TypedCog(bot)
