"""Rewards on Discord: /badges, /points, /streak, and /announce for moderators.

/profile, /privacy (`players`) and /top (`boards`) are core cogs; the profile's buttons
(points, badges, streak) go through the shared payload button. Every answer here is private
(ephemeral).

- `/badges`: badges earned, and the closest ones still to earn with their progress.
- `/points`: the last ledger lines, each with its reason (why an answer earned what it did).
- `/streak`: the streak now, freezes, the day boundary and why a streak ended.
- `/announce [off]` (Manage Server or the moderator role): this channel gets the weekly
  winners and level-ups of the server; `off: True` stops them.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.flow import FeatureCog, moderator_command
from bot.core.kernel.models import PlayerRef, Reply


class RewardsCog(FeatureCog, name="Rewards"):
    @app_commands.command(name="badges", description="Badges earned and how to earn more")
    async def badges_command(self, interaction: discord.Interaction[Any]) -> None:
        await self.run(interaction, self.engine.rewards.badges)

    @app_commands.command(
        name="points", description="Why your recent answers earned what they did"
    )
    async def points_command(self, interaction: discord.Interaction[Any]) -> None:
        await self.run(interaction, self.engine.rewards.points_history)

    @app_commands.command(name="streak", description="Your daily streak, freezes, what happened")
    async def streak_command(self, interaction: discord.Interaction[Any]) -> None:
        await self.run(interaction, self.engine.rewards.streak)

    @app_commands.command(
        name="announce", description="Moderators: weekly winners and level-ups in this channel"
    )
    @app_commands.describe(off="Stop announcements in this server instead")
    @moderator_command
    async def announce_command(
        self, interaction: discord.Interaction[Any], off: bool = False
    ) -> None:
        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.rewards.announce(ref, not off)
            return reply

        await self.run(interaction, call)


def make_cog(bot: Any) -> commands.Cog:
    return RewardsCog(bot)
