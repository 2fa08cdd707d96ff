"""Multilabel cards on Discord: the multi-select menu (component type 3) submits once.

The engine's card carries a `Select` (`bot.core.multilabel`); `render.select_menu` renders it
as a string select with custom_id `lq:select:ml` whose option values are codec payloads
(`v1:l:<round>:0:<i>`). One persistent view, registered at start for every message, answers
that custom_id: the press is deferred as an update, the picked values go to
`engine.multilabel.pick` (which stores the selection once through `Play.answer_value`), and its
reply is delivered like a button's. The values are read from the interaction itself, never from
the shared view's item, so concurrent presses cannot see each other's choices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.cogs import errors, render
from bot.cogs.flow import FeatureCog
from bot.core.kernel.errors import LabelQuestError

if TYPE_CHECKING:
    from bot.cogs.bot import LabelQuestBot

FEATURE = "ml"


class MultiSelect(discord.ui.Select[Any]):
    """The persistent stand-in for every multilabel menu (matched by custom_id alone)."""

    def __init__(self, cog: MultilabelCog) -> None:
        super().__init__(custom_id=render.SELECT_PREFIX + FEATURE, options=[])
        self.cog = cog

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        values = [str(v) for v in data.get("values") or []]
        await self.cog.pick(interaction, values)


class MultilabelCog(FeatureCog, name="Multilabel"):
    async def cog_load(self) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(MultiSelect(self))
        self.bot.add_view(view)

    async def pick(self, interaction: discord.Interaction[Any], values: list[str]) -> None:
        """A multilabel menu's selection: stored once, the reply delivered as for a button."""
        with self.bot.tracked():
            try:
                await interaction.response.defer()
                ref = self.bot.player_ref(interaction)
                reply = await self.engine.multilabel.pick(ref, values)
                await render.deliver(interaction, reply, self.bot.binder, component=True)
            except LabelQuestError as exc:
                await errors.report(interaction, self.engine, exc)
            except Exception as exc:
                await errors.apologize(interaction, exc, "multilabel select")


def make_cog(bot: LabelQuestBot) -> commands.Cog:
    return MultilabelCog(bot)
