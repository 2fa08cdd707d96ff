"""The one shape of every interaction: acknowledge, decode, call the engine once, render.

Acknowledge first, so Discord's 3-second rule holds however long the engine takes:
- a slash command is deferred "thinking" (ephemeral unless the command's answer is public,
  like /top), and its answer fills that deferred message;
- a button press is deferred as an update (type 6): nothing changes until the engine has
  answered, then the clicked card is edited and/or private followups are sent.
Domain errors are shown privately; anything unexpected is apologised for and logged once
(see `errors`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs import errors, render
from bot.core.kernel.errors import LabelQuestError
from bot.core.kernel.models import PlayerRef, Reply

if TYPE_CHECKING:
    from bot.cogs.bot import LabelQuestBot

UseCase = Callable[[PlayerRef], Awaitable[Reply]]

#: Moderator and admin commands are shown by default only to members with Manage Server
#: (`default_member_permissions`, Discord's convention; server admins can change who sees
#: them in Server Settings > Integrations). It only hides them: the engine checks every call.
MODERATOR_PERMISSIONS = discord.Permissions(manage_guild=True)
moderator_command = app_commands.default_permissions(manage_guild=True)


class FeatureCog(commands.Cog):
    """Base of the feature cogs: access to the bot and engine, and the command flow."""

    def __init__(self, bot: LabelQuestBot) -> None:
        self.bot = bot
        self.engine = bot.engine

    async def run(
        self, interaction: discord.Interaction[Any], use_case: UseCase, *, ephemeral: bool = True
    ) -> None:
        """Defer, call `use_case(ref)`, render its reply (or its domain error)."""
        with self.bot.tracked():
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
            ref = self.bot.player_ref(interaction)
            try:
                reply = await use_case(ref)
            except LabelQuestError as exc:
                await errors.report(interaction, self.engine, exc)
                return
            await render.deliver(interaction, reply, self.bot.binder, component=False)


async def run_click(
    bot: LabelQuestBot, interaction: discord.Interaction[Any], payload: str
) -> None:
    """A button press: the engine's `handle_button(ref, payload)` and its reply."""
    with bot.tracked():
        try:
            await interaction.response.defer()
            ref = bot.player_ref(interaction)
            reply = await bot.engine.handle_button(ref, payload)
            await render.deliver(interaction, reply, bot.binder, component=True)
        except LabelQuestError as exc:
            await errors.report(interaction, bot.engine, exc)
        except Exception as exc:
            await errors.apologize(interaction, exc, f"button {payload!r}")
