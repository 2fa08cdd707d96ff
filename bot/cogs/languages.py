"""`/languages` on Discord (issue 16): the languages a player speaks, for translate tasks.

`/languages codes:"de en"` sets them, `/languages` shows them, `codes:none` clears them;
the answer is private (ephemeral). Only a consented player's are stored."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.flow import FeatureCog
from bot.core.kernel.models import PlayerRef, Reply


class LanguagesCog(FeatureCog, name="Languages"):
    @app_commands.command(
        name="languages", description="Languages you speak (for translation tasks)"
    )
    @app_commands.describe(codes='Language codes, e.g. "de en"; "none" clears them')
    async def languages_command(
        self, interaction: discord.Interaction[Any], codes: str | None = None
    ) -> None:
        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.languages.command(ref, codes or "")
            return reply

        await self.run(interaction, call)


def make_cog(bot: Any) -> commands.Cog:
    return LanguagesCog(bot)
