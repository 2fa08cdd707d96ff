"""`/draw` on Discord: an ephemeral reply (only the player sees it) with a link button to the
drawing page, `<public_url>/draw?token=...` (issue 15).

The token is signed, single-use, short-lived (`[web] draw_link_minutes`) and bound to the
player (`engine.draw_links`): the page uses it once, when it asks for its word. Without
`[web] public_url` the answer says plainly that drawing is not set up; a player who has not
consented is sent to consent first and no link is stored (the shared error reporting does
both). The link is in a button only, never in the message text, so Discord fetches no
preview of it.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs import errors
from bot.cogs.flow import FeatureCog
from bot.core.kernel.errors import LabelQuestError

DRAW_BUTTON = "Draw"


def link_view(url: str) -> discord.ui.View:
    """One link button (ButtonStyle.link: Discord opens the URL, no interaction comes back)."""
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(style=discord.ButtonStyle.link, url=url, label=DRAW_BUTTON))
    return view


class DrawCog(FeatureCog, name="Draw"):
    @app_commands.command(name="draw", description="Draw a word; the crowd guesses it")
    async def draw(self, interaction: discord.Interaction[Any]) -> None:
        web = self.bot.settings.web
        with self.bot.tracked():
            await interaction.response.defer(ephemeral=True, thinking=True)
            ref = self.bot.player_ref(interaction)
            try:
                link = await self.engine.draw_links.link(
                    ref, public_url=web.public_url, minutes=web.draw_link_minutes
                )
            except LabelQuestError as exc:
                await errors.report(interaction, self.engine, exc)
                return
            await interaction.followup.send(
                link.reply.text, view=link_view(link.url), ephemeral=True
            )


def make_cog(bot: Any) -> commands.Cog:
    return DrawCog(bot)
