"""The locate canvas on Discord (issue 17): a locate card's "📦 Open the canvas" button
(payload `o:<round>`) answers privately with a link button to the canvas,
`<public_url>/locate?token=...`: signed, single use, short lived (`[web] draw_link_minutes`)
and bound to the player and that round (`engine.locate.link`).

Without `[web] public_url` the answer says plainly that the canvas is not set up; a player
who has not consented is sent to consent first and no link is stored. The link is in a
button only, never in the message text, so Discord fetches no preview of it.
"""

from __future__ import annotations

from typing import Any

import discord
from discord.ext import commands

from bot.cogs import errors
from bot.cogs.flow import FeatureCog
from bot.core.kernel import codec
from bot.core.kernel.errors import LabelQuestError
from bot.core.locate import texts


def link_view(url: str) -> discord.ui.View:
    """One link button (Discord opens the URL, no interaction comes back)."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(style=discord.ButtonStyle.link, url=url, label=texts.OPEN_CANVAS)
    )
    return view


class LocateCog(FeatureCog, name="Locate"):
    def __init__(self, bot: Any) -> None:
        super().__init__(bot)
        bot.click_hooks["o"] = self.open_canvas

    async def open_canvas(self, interaction: discord.Interaction[Any], payload: str) -> None:
        """The canvas button: a private link to the canvas for this player and round."""
        web = self.bot.settings.web
        with self.bot.tracked():
            await interaction.response.defer(ephemeral=True, thinking=True)
            try:
                round_id = codec.decode(payload).args[0]
                ref = self.bot.player_ref(interaction)
                link = await self.engine.locate.link(
                    ref, round_id, public_url=web.public_url, minutes=web.draw_link_minutes
                )
            except LabelQuestError as exc:
                await errors.report(interaction, self.engine, exc)
                return
            await interaction.followup.send(link.text, view=link_view(link.url), ephemeral=True)


def make_cog(bot: Any) -> commands.Cog:
    return LocateCog(bot)
