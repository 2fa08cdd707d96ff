"""Moderator tools on Discord: /review, /standing and /report.

Moderators are members with Manage Server or the `[discord] moderator_role` (config admins
anywhere). Every answer is private (ephemeral): the review card shows one item of the queue
with a button per label, Back / Skip / Make gold, and each press edits that card in place;
the standing card carries a Reset button; the report is text.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.flow import FeatureCog, moderator_command
from bot.core.kernel.models import PlayerRef, Reply


class ReviewCog(FeatureCog, name="Review"):
    @app_commands.command(
        name="review", description="Moderators: items the crowd could not decide"
    )
    @app_commands.describe(campaign="Campaign to start with (default: every one you moderate)")
    @moderator_command
    async def review_command(
        self, interaction: discord.Interaction[Any], campaign: str | None = None
    ) -> None:
        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.review.review(ref, campaign)
            return reply

        await self.run(interaction, call)

    @app_commands.command(name="standing", description="Moderators: a player's standing")
    @app_commands.describe(user="The player")
    @moderator_command
    async def standing_command(
        self, interaction: discord.Interaction[Any], user: discord.User
    ) -> None:
        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.review.standing(ref, str(user.id), user.display_name)
            return reply

        await self.run(interaction, call)

    @app_commands.command(name="report", description="Moderators: a campaign's quality report")
    @app_commands.describe(campaign="Campaign name (default: the active one)")
    @moderator_command
    async def report_command(
        self, interaction: discord.Interaction[Any], campaign: str | None = None
    ) -> None:
        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.review.quality_report(ref, campaign)
            return reply

        await self.run(interaction, call)


def make_cog(bot: Any) -> commands.Cog:
    return ReviewCog(bot)
