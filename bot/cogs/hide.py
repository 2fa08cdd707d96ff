"""`/hide` on Discord (issue 15): a moderator hides a player drawing for good.

Moderators are members with Manage Server or the `[discord] moderator_role` (config admins
anywhere). The drawing id is on the round card of every player drawing; the answer is
private (ephemeral); another server's drawing is the same "no drawing" as a missing one.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.flow import FeatureCog, moderator_command
from bot.core.kernel.models import PlayerRef, Reply


class HideCog(FeatureCog, name="Hide"):
    @app_commands.command(name="hide", description="Moderators: hide a player drawing for good")
    @app_commands.describe(drawing="The drawing's number, shown on its round card")
    @moderator_command
    async def hide_command(self, interaction: discord.Interaction[Any], drawing: int) -> None:
        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.drawings.hide_command(ref, str(drawing))
            return reply

        await self.run(interaction, call)


def make_cog(bot: Any) -> commands.Cog:
    return HideCog(bot)
