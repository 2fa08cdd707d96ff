"""Errors -> what the player sees, and what the log keeps.

- A domain error (`bot.core.kernel.errors.LabelQuestError`) is the player's business: its
  `.message` is sent privately (ephemeral). `NotConsented` sends the consent prompt instead,
  whose buttons work like any other. Nothing is logged above INFO.
- An app-command check that fails (e.g. a guild-only command) gets a short private note.
- Anything else is a bug: logged ONCE at ERROR on this module's logger with the context
  (interaction id and type, command or button payload, user, channel, guild), and the player
  gets `texts.APOLOGY`. If even that cannot be sent (the interaction expired), a WARNING
  says so; the bot stays connected either way.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.cogs import render
from bot.core.engine import Engine
from bot.core.kernel import texts
from bot.core.kernel.errors import LabelQuestError, NotConsented
from bot.core.kernel.models import Reply

log = logging.getLogger(__name__)

NOT_HERE = "This command can't be used here."
UNKNOWN_INTERACTION = 10062


def describe(interaction: discord.Interaction[Any], where: str) -> str:
    """One line of context for the log (ids only: no names, no message text)."""
    return (
        f"{where} (interaction {interaction.id}, type {interaction.type.name}, "
        f"user {interaction.user.id}, channel {interaction.channel_id}, "
        f"guild {interaction.guild_id})"
    )


async def report(
    interaction: discord.Interaction[Any], engine: Engine, exc: LabelQuestError
) -> None:
    """Show a domain error privately."""
    log.info("%s: %s", describe(interaction, exc.key), exc.message)
    reply = (
        engine.players.consent_prompt()
        if isinstance(exc, NotConsented)
        else Reply(exc.message, ephemeral=True)
    )
    await _send(interaction, reply)


async def apologize(
    interaction: discord.Interaction[Any], error: BaseException, where: str
) -> None:
    """Log an unexpected exception once and give the player the short apology. An
    interaction Discord no longer knows (10062: not acknowledged within 3 s, e.g. a stalled
    event loop) cannot be answered at all: a WARNING."""
    if isinstance(error, discord.NotFound) and error.code == UNKNOWN_INTERACTION:
        log.warning("%s: expired before it was acknowledged", describe(interaction, where))
        return
    log.error("unexpected error in %s", describe(interaction, where), exc_info=error)
    await _send(interaction, Reply(texts.APOLOGY, ephemeral=True))


async def on_app_command_error(
    interaction: discord.Interaction[Any], error: app_commands.AppCommandError, engine: Engine
) -> None:
    """`CommandTree.on_error`: what escaped a slash command."""
    cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(cause, LabelQuestError):
        await report(interaction, engine, cause)
    elif isinstance(cause, app_commands.CheckFailure):
        await _send(interaction, Reply(NOT_HERE, ephemeral=True))
    else:
        name = interaction.command.qualified_name if interaction.command else "?"
        await apologize(interaction, cause, f"/{name}")


async def _send(interaction: discord.Interaction[Any], reply: Reply) -> None:
    try:
        await render.send_private(interaction, reply)
    except discord.HTTPException as exc:
        log.warning("%s: could not tell the player (%s)", describe(interaction, "reply"), exc)
