"""/top: leaderboards by scope (this server, everyone, one campaign) and time window.

The board is public in the channel (it is meant to be seen); in a DM it is private anyway.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.cogs.flow import FeatureCog
from bot.core.kernel.models import PlayerRef, Reply

SCOPES = [
    app_commands.Choice(name="this server", value="community"),
    app_commands.Choice(name="everyone", value="global"),
    app_commands.Choice(name="one campaign", value="campaign"),
]
WINDOWS = [
    app_commands.Choice(name="all time", value="all"),
    app_commands.Choice(name="this week", value="week"),
    app_commands.Choice(name="today", value="today"),
]


class BoardsCog(FeatureCog, name="Boards"):
    @app_commands.command(
        name="top", description="Leaderboards: this server, everyone or a campaign"
    )
    @app_commands.describe(
        scope="Whose points: this server (default), everyone, or one campaign",
        window="Which points: all time (default), this week, or today",
        campaign="Campaign name, for scope 'one campaign' (default: the active one)",
    )
    @app_commands.choices(scope=SCOPES, window=WINDOWS)
    async def top_command(
        self,
        interaction: discord.Interaction[Any],
        scope: str = "community",
        window: str = "all",
        campaign: str | None = None,
    ) -> None:
        async def board(ref: PlayerRef) -> Reply:
            return await self.engine.boards.leaderboard(ref, scope, window, campaign)

        await self.run(interaction, board, ephemeral=False)
