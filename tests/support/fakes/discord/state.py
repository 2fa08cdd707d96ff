"""Shared state of the Discord fake: the recorded REST calls, gateway connections, the world,
interactions and waiters; waiting for a condition; lookups that answer with Discord's errors."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.support.fakes.discord.messages import (
    MessageStore,
    StoredAttachment,
    StoredMessage,
    Upload,
)
from tests.support.fakes.discord.models import (
    EVERYONE_DEFAULT,
    PRIVILEGED_INTENTS,
    ApiError,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeUser,
    Snowflakes,
)

if TYPE_CHECKING:
    from tests.support.fakes.discord.interactions import FakeInteraction

API_PREFIX = "/api/v10"
Json = Any


@dataclass(eq=False)
class Call:
    """One REST request the fake received; `path` is relative to `api_base`."""

    method: str
    path: str
    query: dict[str, str]
    json: Json = None
    uploads: list[Upload] = field(default_factory=list)
    status: int = 0
    response: Json = None

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status}>"


@dataclass
class _Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int


@dataclass(eq=False)
class _Connection:
    ws: web.WebSocketResponse
    session_id: str | None = None
    seq: int = 0
    intents: int = 0
    shard: tuple[int, int] = (0, 1)  # [shard_id, num_shards] of the IDENTIFY
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class DiscordState:
    """What every part of the fake (gateway, REST, CDN, users) reads and changes."""

    def __init__(
        self,
        *,
        token: str = "ODk2.fake.bot-token",
        bot_name: str = "LabelQuest",
        allowed_intents: Iterable[str] = (),
        ack_deadline: float | None = 3.0,
        shards: int = 1,
        require_sharding: bool = False,
        identify_spacing: float = 0.0,
    ) -> None:
        self.token = token
        self.ids = Snowflakes()
        self.bot_user = FakeUser(self.ids.next(), bot_name, bot=True)
        self.app_id = self.bot_user.id
        self.owner = FakeUser(self.ids.next(), "owner")
        self.allowed_intents: set[str] = set(allowed_intents)
        if unknown := self.allowed_intents - set(PRIVILEGED_INTENTS):
            known = sorted(PRIVILEGED_INTENTS)
            raise ValueError(f"unknown privileged intent(s) {sorted(unknown)}; use {known}")
        self.ack_deadline = ack_deadline
        self.shards = shards  # the count GET /gateway/bot recommends
        # an IDENTIFY with fewer than `shards` shards (or none) gets 4011
        self.require_sharding = require_sharding
        # Discord: one IDENTIFY per 5 s per bot (max_concurrency 1); one sooner than
        # `identify_spacing` after the previous is refused with op 9 (invalid session)
        self.identify_spacing = identify_spacing
        self.identified_at: list[float] = []
        self.refused_identifies = 0
        self.users: dict[int, FakeUser] = {u.id: u for u in (self.bot_user, self.owner)}
        self.guilds: dict[int, FakeGuild] = {}
        self.dm_channels: dict[int, FakeChannel] = {}
        self.store = MessageStore(self.ids, "")
        self.calls: list[Call] = []
        self.interactions: dict[str, FakeInteraction] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.option_files: dict[str, StoredAttachment] = {}
        self.cdn_fetches: list[str] = []  # attachment ids the CDN served, in order
        self._connections: list[_Connection] = []
        self._resumable: dict[str, tuple[int, tuple[int, int]]] = {}
        self._waiters: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []
        self._failures: list[_Failure] = []
        self._taken: set[int] = set()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/gateway/"

    @property
    def cdn_base(self) -> str:
        return self.base_url + "/cdn"

    @property
    def messages(self) -> dict[str, dict[str, StoredMessage]]:
        """Every message by channel id, then message id (both strings)."""
        return self.store.by_channel

    @property
    def command_syncs(self) -> list[Call]:
        """Every PUT of the application's command list (global or per guild) so far."""
        return [c for c in self.calls if c.method == "PUT" and c.path.endswith("/commands")]

    def command(self, name: str, guild: FakeGuild | None = None) -> dict[str, Any] | None:
        """The registered command `name` (guild commands first), as the bot synced it."""
        pools = [self.guild_commands.get(guild.id, [])] if guild else []
        for pool in [*pools, self.global_commands]:
            for cmd in pool:
                if cmd["name"] == name and cmd.get("type", 1) == 1:
                    return cmd
        return None

    def message(self, message_id: int | str) -> StoredMessage:
        return self.store.get(message_id)

    def channel_messages(
        self, channel: FakeChannel, *, include_ephemeral: bool = False
    ) -> list[StoredMessage]:
        """Messages of a channel in order, without deleted ones (and ephemeral ones by default)."""
        return [
            m
            for m in self.store.in_channel(channel.id)
            if not m.deleted and (include_ephemeral or not m.ephemeral)
        ]

    # ---------------------------------------------------------------- waiting

    def _notify(self) -> None:
        for entry in list(self._waiters):
            predicate, fut = entry
            if fut.done():
                self._waiters.remove(entry)
                continue
            try:
                result = predicate()
            except Exception as exc:
                fut.set_exception(exc)
                self._waiters.remove(entry)
                continue
            if result:
                fut.set_result(result)
                self._waiters.remove(entry)

    async def wait_until(
        self,
        predicate: Callable[[], Any],
        timeout: float = 5.0,  # noqa: ASYNC109
        what: str = "a condition",
    ) -> Any:
        """Wait until `predicate()` is truthy (re-checked after every call and gateway frame)."""
        result = predicate()
        if result:
            return result
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        entry = (predicate, fut)
        self._waiters.append(entry)
        try:
            return await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            raise AssertionError(
                f"timed out after {timeout} s waiting for {what}; last calls: {self.calls[-8:]}"
            ) from None
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)

    async def wait_for_call(
        self,
        method: str,
        path_regex: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - the brief's signature; used via wait_for
    ) -> Call:
        """The first finished call matching method, `re.search(path_regex, path)` and predicate
        that no earlier `wait_for_call` returned; calls made before this wait count too."""
        rx = re.compile(path_regex)

        def take() -> Call | None:
            for call in self.calls:
                if id(call) in self._taken or not call.status or call.method != method:
                    continue
                if rx.search(call.path) and (predicate is None or predicate(call)):
                    self._taken.add(id(call))
                    return call
            return None

        result: Call = await self.wait_until(take, timeout, f"{method} {path_regex}")
        return result

    # ---------------------------------------------------------------- lookups

    def _guild_of(self, channel: FakeChannel) -> FakeGuild | None:
        return None if channel.guild_id is None else self.guilds[channel.guild_id]

    def _member(self, guild: FakeGuild | None, user: FakeUser) -> FakeMember | None:
        if guild is None:
            return None
        if user.id not in guild.members:
            raise ValueError(f"{user.name} is not a member of {guild.name}; call add_member()")
        return guild.members[user.id]

    def _channel(self, channel_id: int | str) -> FakeChannel:
        cid = int(channel_id)
        for guild in self.guilds.values():
            if cid in guild.channels:
                return guild.channels[cid]
        for dm in self.dm_channels.values():
            if dm.id == cid:
                return dm
        raise ApiError(404, 10003, "Unknown Channel")

    def _guild(self, guild_id: str) -> FakeGuild:
        try:
            return self.guilds[int(guild_id)]
        except (KeyError, ValueError):
            raise ApiError(404, 10004, "Unknown Guild") from None

    def _bot_permissions(self, channel: FakeChannel) -> int:
        guild = self._guild_of(channel)
        return EVERYONE_DEFAULT if guild is None else guild.permissions_of(self.bot_user.id)

    def _require(self, channel: FakeChannel, needed: int) -> None:
        if self._bot_permissions(channel) & needed != needed:
            raise ApiError(403, 50013, "Missing Permissions")
