"""Player commands: /start, /help, /profile, /mydata, /privacy, /forget.

Each is one engine use case; every answer is private (ephemeral) to the player.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.cogs.flow import FeatureCog
from bot.core.kernel.models import PlayerRef, Reply


class PlayersCog(FeatureCog, name="Players"):
    @app_commands.command(
        name="start", description="Welcome, and what LabelQuest stores about you"
    )
    async def start_command(self, interaction: discord.Interaction[Any]) -> None:
        await self.run(interaction, self.engine.players.start)

    @app_commands.command(name="help", description="What LabelQuest can do, and how points work")
    async def help_command(self, interaction: discord.Interaction[Any]) -> None:
        async def show_help(ref: PlayerRef) -> Reply:
            return self.engine.players.help(ref)

        await self.run(interaction, show_help)

    @app_commands.command(name="profile", description="Your points, rank and accuracy")
    async def profile_command(self, interaction: discord.Interaction[Any]) -> None:
        await self.run(interaction, self.engine.boards.profile)

    @app_commands.command(name="mydata", description="Everything stored about you, as a file")
    async def mydata_command(self, interaction: discord.Interaction[Any]) -> None:
        await self.run(interaction, self.engine.players.my_data)

    @app_commands.command(name="privacy", description="Hide from leaderboards, streak reminders")
    @app_commands.describe(
        hide="Hide me from public leaderboards (I keep playing)",
        reminders="Send me streak reminders by direct message",
    )
    async def privacy_command(
        self,
        interaction: discord.Interaction[Any],
        hide: bool | None = None,
        reminders: bool | None = None,
    ) -> None:
        async def privacy(ref: PlayerRef) -> Reply:
            return await self.engine.players.privacy(ref, hide=hide, reminders=reminders)

        await self.run(interaction, privacy)

    @app_commands.command(name="forget", description="Delete everything stored about you")
    async def forget_command(self, interaction: discord.Interaction[Any]) -> None:
        await self.run(interaction, self.engine.players.forget)
