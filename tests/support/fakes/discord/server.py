"""Loopback fake of Discord's REST API, gateway and CDN, for end-to-end tests with discord.py.

One aiohttp app on 127.0.0.1 (port 0) serves REST under `/api/v10`, the gateway websocket at
`/gateway/` and a CDN at `/cdn`. The real discord.py 2.7 client runs against it once
`patch_discord_endpoints(fake)` has redirected `Route.BASE`, `DiscordWebSocket.DEFAULT_GATEWAY`
and `Asset.BASE` (shared/docs/platforms.md A.4). Rules the fake enforces the way Discord does:

- JSON answers carry `Content-Type: application/json` exactly; gateway frames are TEXT only.
- Bot routes need `Authorization: Bot <token>` (401); interaction and webhook routes need the
  interaction's id and token (10062 / 10015); a second acknowledgement is 400 / 40060; an
  acknowledgement later than `ack_deadline` seconds (3 s, like Discord) is 404 / 10062.
- IDENTIFY asking for a privileged intent missing from `allowed_intents` is closed with 4014.
- Sharding: `GET /gateway/bot` recommends `shards`; IDENTIFY's `shard: [id, count]` is checked
  (4010 Invalid shard; 4011 Sharding required when `require_sharding` and fewer shards than
  recommended); a guild's events go
  to the session of shard `(guild_id >> 22) % count` only, DM events to shard 0 only; one
  session per shard may be connected at once (`sessions`, `add_guild(shard=...)`).
- The first followup after a "thinking" defer (type 5) fills the loading message instead of
  posting a new one and keeps the defer's ephemeral flag, as Discord documents.
- Messages are checked against Discord's limits (`payloads.validate_message`).

Test side: build the world (`user`, `add_guild`, `add_channel`, `add_role`, `add_member`,
`dm_channel`) before the bot connects, run the bot with `running_bot`, act as users (`slash`,
`click`, `submit_modal`, `send_message_event` with `files.UserFile` attachments, `dispatch`),
then await what the bot did
(`FakeInteraction.wait_done`, `wait_followups`, `wait_for_call`, `wait_until`) and read it
(`messages`, `channel_messages`, `interactions`, `calls`, `global_commands`). No sleeps needed.

The parts: `state` (what everything shares, waiting, lookups), `gateway`, `rest` (bot routes),
`responses` (interaction callbacks and webhooks), `cdn`, `interactions` (what users do),
`models` and `messages` (the world as data), `payloads` (Discord's limits), `client`
(running discord.py against the fake).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web

from tests.support.fakes.discord.cdn import Cdn
from tests.support.fakes.discord.gateway import Gateway
from tests.support.fakes.discord.interactions import UserActions
from tests.support.fakes.discord.models import (
    BOT_DEFAULT,
    EVERYONE_DEFAULT,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
)
from tests.support.fakes.discord.responses import Responses
from tests.support.fakes.discord.rest import Handler, Rest
from tests.support.fakes.discord.state import API_PREFIX


class FakeDiscord(UserActions, Gateway, Responses, Rest, Cdn):
    """The fake Discord: world set-up, event injection and observation for tests."""

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> FakeDiscord:
        app = web.Application()
        self._add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.store.cdn_base = self.cdn_base
        return self

    async def stop(self) -> None:
        for conn in list(self._connections):
            await conn.ws.close(code=1001, message=b"fake stopped")
        for _, fut in self._waiters:
            fut.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ---------------------------------------------------------------- world

    def user(self, name: str, *, bot: bool = False) -> FakeUser:
        user = FakeUser(self.ids.next(), name, bot=bot)
        self.users[user.id] = user
        return user

    def add_guild(
        self,
        name: str,
        *,
        owner: FakeUser | None = None,
        bot_permissions: int = BOT_DEFAULT,
        everyone_permissions: int = EVERYONE_DEFAULT,
        shard: int | None = None,
    ) -> FakeGuild:
        """A guild with @everyone, the bot's managed role, the bot and the owner as members;
        with `shard`, its id puts it on that shard of `self.shards` (`(id >> 22) % shards`)."""
        owner = owner or self.owner
        if shard is not None and not 0 <= shard < self.shards:
            raise ValueError(f"shard {shard} is not one of the fake's {self.shards} shards")
        gid = self.ids.next() if shard is None else self.ids.next_on_shard(shard, self.shards)
        guild = FakeGuild(gid, name, owner.id)
        guild.roles[guild.id] = FakeRole(guild.id, guild.id, "@everyone", everyone_permissions)
        bot_role = FakeRole(self.ids.next(), guild.id, self.bot_user.name, bot_permissions, 1)
        bot_role.bot_id = self.bot_user.id
        guild.roles[bot_role.id] = bot_role
        guild.members[self.bot_user.id] = FakeMember(self.bot_user, guild.id, [bot_role.id])
        guild.members[owner.id] = FakeMember(owner, guild.id)
        self.guilds[guild.id] = guild
        return guild

    def add_channel(self, guild: FakeGuild, name: str) -> FakeChannel:
        channel = FakeChannel(self.ids.next(), name, 0, guild.id, len(guild.channels))
        guild.channels[channel.id] = channel
        return channel

    def add_role(self, guild: FakeGuild, name: str, permissions: int = 0) -> FakeRole:
        """A new role goes just above @everyone, as in Discord, so the bot's role stays above."""
        for role in guild.roles.values():
            if role.position >= 1:
                role.position += 1
        role = FakeRole(self.ids.next(), guild.id, name, permissions, 1)
        guild.roles[role.id] = role
        return role

    def add_member(
        self,
        guild: FakeGuild,
        user: FakeUser,
        *,
        permissions: int = 0,
        roles: Iterable[FakeRole] = (),
    ) -> FakeMember:
        """Make `user` a member; `permissions` become a personal role (Discord has no other)."""
        role_ids = [r.id for r in roles]
        if permissions:
            role_ids.append(self.add_role(guild, f"{user.name} permissions", permissions).id)
        member = FakeMember(user, guild.id, role_ids)
        guild.members[user.id] = member
        return member

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        if user.id not in self.dm_channels:
            self.dm_channels[user.id] = FakeChannel(self.ids.next(), "", 1, None, 0, user)
        return self.dm_channels[user.id]

    # ---------------------------------------------------------------- HTTP plumbing

    def _add_routes(self, app: web.Application) -> None:
        bot, hook = True, False
        routes: list[tuple[str, str, Handler, bool]] = [
            ("GET", "/users/@me", self._me, bot),
            ("POST", "/users/@me/channels", self._create_dm, bot),
            ("GET", "/users/{uid}", self._get_user, bot),
            ("GET", "/oauth2/applications/@me", self._app_info, bot),
            ("GET", "/gateway", self._gateway_info, bot),
            ("GET", "/gateway/bot", self._gateway_info, bot),
            ("*", "/applications/{app}/commands", self._commands, bot),
            ("*", "/applications/{app}/guilds/{gid}/commands", self._commands, bot),
            ("POST", "/interactions/{iid}/{token}/callback", self._callback, hook),
            ("POST", "/webhooks/{app}/{token}", self._followup, hook),
            ("*", "/webhooks/{app}/{token}/messages/{mid}", self._webhook_message, hook),
            ("GET", "/channels/{cid}", self._get_channel, bot),
            ("*", "/channels/{cid}/messages", self._channel_messages, bot),
            ("*", "/channels/{cid}/messages/{mid}", self._channel_message, bot),
            ("POST", "/channels/{cid}/typing", self._typing, bot),
            ("*", "/channels/{cid}/messages/{mid}/reactions/{emoji}/@me", self._react, bot),
            ("GET", "/guilds/{gid}", self._get_guild, bot),
            ("GET", "/guilds/{gid}/channels", self._guild_channels, bot),
            ("GET", "/guilds/{gid}/roles", self._guild_roles, bot),
            ("GET", "/guilds/{gid}/members", self._guild_members, bot),
            ("GET", "/guilds/{gid}/members/{uid}", self._guild_member, bot),
            ("*", "/guilds/{gid}/members/{uid}/roles/{rid}", self._member_role, bot),
            ("*", "/{tail:.*}", self._not_found, bot),
        ]
        for method, path, handler, auth in routes:
            app.router.add_route(method, API_PREFIX + path, self._endpoint(handler, auth))
        app.router.add_get("/gateway/", self._gateway)
        app.router.add_get("/cdn/{tail:.*}", self._cdn)
