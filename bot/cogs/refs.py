"""Interaction -> the engine's neutral references (who acts, where, with what rights).

- PlayerRef: platform "discord", external_id the user id as a string, display_name the
  member's display name (server nickname, else global name, else username).
- ChannelRef: a guild channel is Kind.GROUP with its guild as CommunityRef; a DM is
  Kind.PRIVATE with no community.
- Moderator: the Manage Server permission in the channel (`interaction.permissions`), or
  membership of the role named by `[discord] moderator_role` (case-sensitive, as Discord
  shows it). Never a moderator in DMs.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef

PLATFORM = "discord"
DM_NAME = "direct messages"


def player_ref(interaction: discord.Interaction[Any], moderator_role: str = "") -> PlayerRef:
    user = interaction.user
    return PlayerRef(
        platform=PLATFORM,
        external_id=str(user.id),
        display_name=user.display_name,
        channel=channel_ref(interaction),
        is_moderator=is_moderator(interaction, moderator_role),
    )


def channel_ref(interaction: discord.Interaction[Any]) -> ChannelRef | None:
    channel_id = interaction.channel_id
    if channel_id is None:
        return None
    if interaction.guild_id is None:
        return ChannelRef(PLATFORM, str(channel_id), DM_NAME, Kind.PRIVATE)
    guild = interaction.guild
    guild_name = guild.name if guild is not None else f"server {interaction.guild_id}"
    channel_name = getattr(interaction.channel, "name", None) or f"channel {channel_id}"
    community = CommunityRef(PLATFORM, str(interaction.guild_id), guild_name)
    return ChannelRef(PLATFORM, str(channel_id), channel_name, Kind.GROUP, community)


def is_moderator(interaction: discord.Interaction[Any], moderator_role: str = "") -> bool:
    if interaction.guild_id is None:
        return False
    if interaction.permissions.manage_guild:
        return True
    user = interaction.user
    if moderator_role and isinstance(user, discord.Member):
        return any(role.name == moderator_role for role in user.roles)
    return False
