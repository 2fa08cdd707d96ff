"""The world of the Discord fake as plain data: permission and intent bits, snowflakes,
users, roles, channels, members and guilds, each turned into the JSON shape Discord sends
(snowflakes as strings, full objects)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
CREATE_INSTANT_INVITE = 1 << 0
ADMINISTRATOR = 1 << 3
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_EXTERNAL_EMOJIS = 1 << 18
CHANGE_NICKNAME = 1 << 26
MANAGE_ROLES = 1 << 28
USE_APPLICATION_COMMANDS = 1 << 31
ALL_PERMISSIONS = (1 << 51) - 1
EVERYONE_DEFAULT = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
)
BOT_DEFAULT = EVERYONE_DEFAULT | MANAGE_MESSAGES | MANAGE_ROLES

# Gateway intents; the privileged ones must be allowed for the app or IDENTIFY is closed 4014.
INTENT_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_PRESENCES = 1 << 8
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = {
    "members": INTENT_MEMBERS,
    "presences": INTENT_PRESENCES,
    "message_content": INTENT_MESSAGE_CONTENT,
}

# Message flags.
SUPPRESS_EMBEDS = 1 << 2
EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_NOTIFICATIONS = 1 << 12
IS_COMPONENTS_V2 = 1 << 15

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
SELECT_TYPES = (3, 5, 6, 7, 8)


class ApiError(Exception):
    """An error answer of the REST API: HTTP status, JSON error code and message."""

    def __init__(self, status: int, code: int, message: str, path: str | None = None) -> None:
        super().__init__(f"{status} {code} {message} {path or ''}".strip())
        self.status, self.code, self.message, self.path = status, code, message, path

    def body(self) -> dict[str, Any]:
        """The JSON body Discord sends; a form error nests `_errors` under its field path."""
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.path is None:
            return body
        field_path, _, text = self.path.partition(": ")
        errors: dict[str, Any] = {"_errors": [{"code": "BASE_TYPE_INVALID", "message": text}]}
        for part in reversed(field_path.split(".")):
            errors = {part: errors}
        body["message"], body["errors"] = "Invalid Form Body", errors
        return body


def form_error(path: str, text: str) -> ApiError:
    """A 400 / 50035 "Invalid Form Body" error about one field (`a.0.b`)."""
    return ApiError(400, 50035, "Invalid Form Body", f"{path}: {text}")


def now_iso() -> str:
    """An ISO-8601 timestamp as Discord writes them."""
    return datetime.now(UTC).isoformat()


def shard_of(guild_id: int, num_shards: int) -> int:
    """The shard whose session receives a guild's events (Discord's documented formula)."""
    return (guild_id >> 22) % num_shards


class Snowflakes:
    """Monotonic snowflake ids: milliseconds since the Discord epoch shifted left by 22 bits."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        stamp = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(stamp, self._last + 1)
        return self._last

    def next_on_shard(self, shard_id: int, num_shards: int) -> int:
        """The next id whose guild would live on `shard_id` of `num_shards` (a later
        millisecond when needed)."""
        snowflake = self.next()
        step = (shard_id - shard_of(snowflake, num_shards)) % num_shards
        if step:
            self._last = ((snowflake >> 22) + step) << 22
        return self._last


@dataclass(eq=False)
class FakeUser:
    """A Discord user (or the bot itself)."""

    id: int
    name: str
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": None if self.bot else self.name,
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }


@dataclass(eq=False)
class FakeRole:
    """A guild role; the @everyone role has the guild's id."""

    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    bot_id: int | None = None

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.bot_id is not None,
            "mentionable": False,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass(eq=False)
class FakeChannel:
    """A guild text channel (type 0) or a DM channel (type 1, with `recipient`)."""

    id: int
    name: str
    type: int = 0
    guild_id: int | None = None
    position: int = 0
    recipient: FakeUser | None = None

    @property
    def is_dm(self) -> bool:
        return self.type == 1

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def payload(self) -> dict[str, Any]:
        if self.recipient is not None:
            return {
                "id": str(self.id),
                "type": 1,
                "recipients": [self.recipient.payload()],
                "last_message_id": None,
                "flags": 0,
            }
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None,
            "flags": 0,
        }


@dataclass(eq=False)
class FakeMember:
    """A user's membership of one guild."""

    user: FakeUser
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    joined_at: str = field(default_factory=now_iso)

    def payload(self, *, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "nick": None,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in self.role_ids],
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass(eq=False)
class FakeGuild:
    """A guild with its roles, text channels and members (the bot is always a member)."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)

    def member(self, user_id: int) -> FakeMember:
        try:
            return self.members[user_id]
        except KeyError:
            raise ApiError(404, 10007, "Unknown Member") from None

    def permissions_of(self, user_id: int) -> int:
        """Guild permissions: the OR of @everyone and the member's roles; owner/admin get all."""
        member = self.member(user_id)
        value = self.roles[self.id].permissions
        for role_id in member.role_ids:
            value |= self.roles[role_id].permissions
        if user_id == self.owner_id or value & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return value

    def top_position(self, user_id: int) -> int:
        return max((self.roles[r].position for r in self.member(user_id).role_ids), default=0)

    def payload(self) -> dict[str, Any]:
        """The GUILD_CREATE shape (also served by GET guilds/{id})."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "features": [],
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "max_members": 500000,
            "application_id": None,
            "joined_at": now_iso(),
            "large": False,
            "unavailable": False,
            "lazy": True,
            "member_count": len(self.members),
            "roles": [r.payload() for r in self.roles.values()],
            "channels": [c.payload() for c in self.channels.values()],
            "members": [m.payload() for m in self.members.values()],
            "emojis": [],
            "stickers": [],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
