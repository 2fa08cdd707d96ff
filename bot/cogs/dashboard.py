"""`/dashboard` on Discord: a one-time sign-in link to the web dashboard, answered
ephemerally (only the person who asked sees it).

The link is written `<url>` so Discord shows no embed for it (it does not fetch a preview).
Who may get one (moderators in a server of their community, bot admins anywhere), the
refusal otherwise and the "not set up" answer without `[web] public_url` are the engine's
(`engine.signin`). Like the other moderator commands it is shown by default to members with
Manage Server; the engine checks every call.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.flow import FeatureCog, moderator_command
from bot.core.kernel.models import PlayerRef, Reply


class DashboardCog(FeatureCog, name="Dashboard"):
    @app_commands.command(name="dashboard", description="A sign-in link to the web dashboard")
    @moderator_command
    async def dashboard(self, interaction: discord.Interaction[Any]) -> None:
        web = self.bot.settings.web

        async def call(ref: PlayerRef) -> Reply:
            link = await self.engine.signin.dashboard_link(
                ref, public_url=web.public_url, minutes=web.login_link_minutes
            )
            return Reply(link.reply.text.replace(link.url, f"<{link.url}>"), ephemeral=True)

        await self.run(interaction, call)


def make_cog(bot: Any) -> commands.Cog:
    return DashboardCog(bot)
