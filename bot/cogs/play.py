"""Play commands: /play (a private solo session) and /round (moderators post a round here).

A solo card is private: an embed with the item's image attached and the answer buttons;
answering replaces it with the feedback and the next card follows (see `render.deliver`).
A round card is a public channel message (not an interaction response, whose token dies
after 15 minutes) bound to its round, so `bot.delivery.RoundEditor` can edit it: the answer
count while open, the result when it closes.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.cogs import errors, render
from bot.cogs.flow import FeatureCog, moderator_command
from bot.core.kernel.errors import LabelQuestError
from bot.core.kernel.models import Reply

log = logging.getLogger(__name__)

ROUND_POSTED = "✅ Round posted. Votes stay private until it closes."
CANNOT_POST = (
    "I can't post in this channel. Give me View Channel, Send Messages, Embed Links and "
    "Attach Files here, then try /round again."
)


class PlayCog(FeatureCog, name="Play"):
    @app_commands.command(name="play", description="A solo session: one task after another")
    async def play_command(self, interaction: discord.Interaction[Any]) -> None:
        await self.run(interaction, self.engine.play.next_task)

    @app_commands.command(name="round", description="Moderators: post a round in this channel")
    @app_commands.describe(campaign="Campaign name (default: the active one)")
    @app_commands.guild_only()
    @moderator_command
    async def round_command(
        self, interaction: discord.Interaction[Any], campaign: str | None = None
    ) -> None:
        with self.bot.tracked():
            await interaction.response.defer(ephemeral=True, thinking=True)
            ref = self.bot.player_ref(interaction)
            try:
                card = await self.engine.play.post_round(ref, campaign)
            except LabelQuestError as exc:
                await errors.report(interaction, self.engine, exc)
                return
            await self._post(interaction, card)

    async def _post(self, interaction: discord.Interaction[Any], card: Reply) -> None:
        channel_id = interaction.channel_id
        assert channel_id is not None  # guild-only command
        channel: discord.abc.Messageable
        if isinstance(interaction.channel, discord.abc.Messageable):
            channel = interaction.channel
        else:
            channel = self.bot.get_partial_messageable(channel_id, guild_id=interaction.guild_id)
        try:
            await render.post_in_channel(channel, channel_id, card, self.bot.binder)
        except discord.Forbidden as exc:
            log.warning("cannot post round %s in channel %s: %s", card.round_id, channel_id, exc)
            if card.round_id is not None:
                await self.engine.play.close_round(card.round_id)
            await render.followup(interaction, Reply(CANNOT_POST), ephemeral=True)
            return
        await render.followup(interaction, Reply(ROUND_POSTED), ephemeral=True)
