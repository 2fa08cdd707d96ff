"""Loopback fake of Discord (REST, gateway, CDN) for end-to-end tests with discord.py.

`FakeDiscord` is assembled in `server`; the rules it enforces are listed there. Tests import
from this package: the fake, what users and the bot leave behind (messages, attachments,
interactions) and the permission bits.
"""

from __future__ import annotations

from tests.support.fakes.discord.client import discord_fake, patch_discord_endpoints, running_bot
from tests.support.fakes.discord.files import UserFile
from tests.support.fakes.discord.interactions import FakeInteraction
from tests.support.fakes.discord.messages import ButtonInfo, StoredAttachment, StoredMessage
from tests.support.fakes.discord.models import (
    ADMINISTRATOR,
    EVERYONE_DEFAULT,
    MANAGE_ROLES,
    SEND_MESSAGES,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
)
from tests.support.fakes.discord.server import FakeDiscord
from tests.support.fakes.discord.state import Call

__all__ = [
    "ADMINISTRATOR",
    "EVERYONE_DEFAULT",
    "MANAGE_ROLES",
    "SEND_MESSAGES",
    "ButtonInfo",
    "Call",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeInteraction",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "StoredAttachment",
    "StoredMessage",
    "UserFile",
    "discord_fake",
    "patch_discord_endpoints",
    "running_bot",
]
