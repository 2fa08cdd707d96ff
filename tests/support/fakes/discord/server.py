"""Loopback fake of Discord's REST API, gateway and CDN, for end-to-end tests with discord.py.

One aiohttp app on 127.0.0.1 (port 0) serves REST under `/api/v10`, the gateway websocket at
`/gateway/` and a CDN at `/cdn`. The real discord.py 2.7 client runs against it once
`patch_discord_endpoints(fake)` has redirected `Route.BASE`, `DiscordWebSocket.DEFAULT_GATEWAY`
and `Asset.BASE` (docs/platforms.md A.4). Rules the fake enforces the way Discord does:

- JSON answers carry `Content-Type: application/json` exactly; gateway frames are TEXT only.
- Bot routes need `Authorization: Bot <token>` (401); interaction and webhook routes need the
  interaction's id and token (10062 / 10015); a second acknowledgement is 400 / 40060; an
  acknowledgement later than `ack_deadline` seconds (3 s, like Discord) is 404 / 10062.
- IDENTIFY asking for a privileged intent missing from `allowed_intents` is closed with 4014.
- The first followup after a "thinking" defer (type 5) fills the loading message instead of
  posting a new one and keeps the defer's ephemeral flag, as Discord documents.
- Messages are checked against Discord's limits (`discord_payloads.validate_message`).

Test side: build the world (`user`, `add_guild`, `add_channel`, `add_role`, `add_member`,
`dm_channel`) before the bot connects, run the bot with `running_bot`, act as users (`slash`,
`click`, `submit_modal`, `send_message_event`, `dispatch`), then await what the bot did
(`FakeInteraction.wait_done`, `wait_followups`, `wait_for_call`, `wait_until`) and read it
(`messages`, `channel_messages`, `interactions`, `calls`, `global_commands`). No sleeps needed.
"""

from __future__ import annotations

import asyncio
import base64
import http
import json
import mimetypes
import re
import secrets
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest_asyncio
import yarl
from aiohttp import BodyPartReader, WSMsgType, web

from tests.fakes.discord_payloads import (
    ADD_REACTIONS,
    ATTACH_FILES,
    ATTACHMENT_SIZE_LIMIT,
    BOT_DEFAULT,
    EPHEMERAL,
    EVERYONE_DEFAULT,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGES,
    INTENT_MESSAGE_CONTENT,
    LOADING,
    MANAGE_MESSAGES,
    MANAGE_ROLES,
    PRIVILEGED_INTENTS,
    READ_MESSAGE_HISTORY,
    SELECT_TYPES,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    ApiError,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    MessageStore,
    ModalField,
    Snowflakes,
    StoredAttachment,
    StoredMessage,
    Upload,
    form_error,
    infer_option_type,
    modal_fields,
    modal_submission,
    submitted_input,
    validate_message,
    validate_modal,
)

with warnings.catch_warnings():
    # discord.py imports the stdlib `audioop` (deprecated in 3.11, gone in 3.13); the suite
    # turns warnings into errors, so the import is kept quiet here.
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord

API_PREFIX = "/api/v10"
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
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
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class FakeInteraction:
    """One interaction the fake dispatched and everything the bot did with it.

    `response_type` is the acknowledgement (4 message, 5 thinking, 6 deferred update,
    7 update message, 8 autocomplete, 9 modal); `original` is the CURRENT state of the
    original response (for components after 6/7: the clicked message); `followups` are the
    followup messages in order; `modal` is the modal the bot opened (callback type 9).
    """

    def __init__(
        self,
        fake: FakeDiscord,
        payload: dict[str, Any],
        user: FakeUser,
        channel: FakeChannel,
        message_id: str | None,
    ) -> None:
        self.fake, self.payload, self.user, self.channel = fake, payload, user, channel
        self.id: str = payload["id"]
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.message_id = message_id
        self.dispatched_at = asyncio.get_running_loop().time()
        self.response_type: int | None = None
        self.response_data: dict[str, Any] | None = None
        self.original_id: str | None = None
        self.followup_ids: list[str] = []
        self.modal: dict[str, Any] | None = None
        self.choices: list[dict[str, Any]] | None = None
        self.expired = False

    def __repr__(self) -> str:
        return f"<FakeInteraction {self.id} type={self.type} response={self.response_type}>"

    @property
    def original(self) -> StoredMessage | None:
        return None if self.original_id is None else self.fake.store.get(self.original_id)

    @property
    def followups(self) -> list[StoredMessage]:
        return [self.fake.store.get(mid) for mid in self.followup_ids]

    @property
    def ephemeral(self) -> bool:
        """Whether the original response is only visible to the user (flag 64)."""
        return self.original is not None and self.original.ephemeral

    def modal_fields(self) -> list[ModalField]:
        if self.modal is None:
            raise LookupError(f"{self!r} opened no modal")
        return modal_fields(self.modal)

    def _answered(self) -> bool:
        if self.response_type is None:
            return False
        original = self.original
        return not (self.response_type == 5 and original is not None and original.loading)

    async def wait_done(self, timeout: float = 5.0) -> FakeInteraction:  # noqa: ASYNC109
        """Wait until the user sees an answer: acknowledged, and no longer "thinking"."""
        await self.fake.wait_until(self._answered, timeout, f"an answer to {self!r}")
        return self

    async def wait_followups(
        self,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[StoredMessage]:
        """Wait until the bot has sent `count` followups; returns them all."""
        await self.fake.wait_until(
            lambda: len(self.followup_ids) >= count, timeout, f"{count} followup(s) to {self!r}"
        )
        return self.followups


class FakeDiscord:
    """The fake Discord: world set-up, event injection and observation for tests."""

    def __init__(
        self,
        *,
        token: str = "ODk2.fake.bot-token",
        bot_name: str = "LabelQuest",
        allowed_intents: Iterable[str] = (),
        ack_deadline: float | None = 3.0,
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
        self._connections: list[_Connection] = []
        self._resumable: dict[str, int] = {}
        self._waiters: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []
        self._failures: list[_Failure] = []
        self._taken: set[int] = set()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

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
    ) -> FakeGuild:
        """A guild with @everyone, the bot's managed role, the bot and the owner as members."""
        owner = owner or self.owner
        guild = FakeGuild(self.ids.next(), name, owner.id)
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

    async def wait_connected(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until a client has identified and received READY."""
        await self.wait_until(self._live, timeout, "a gateway IDENTIFY")

    @property
    def connected(self) -> int:
        """How many clients are identified (or resumed) on the gateway right now."""
        return len(self._live())

    async def reconnect(self) -> None:
        """Send op 7 RECONNECT: discord.py reconnects to `resume_gateway_url` and RESUMEs."""
        for conn in self._live():
            await self._send(conn, {"op": 7, "d": None})

    def _live(self) -> list[_Connection]:
        return [c for c in self._connections if c.session_id is not None and not c.ws.closed]

    # ---------------------------------------------------------------- failure injection

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int = 429,
        *,
        retry_after: float = 0.05,
        is_global: bool = False,
        via: bool = True,
        code: int | None = None,
        message: str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` matching calls with an error instead of serving them.

        429 sends `{"retry_after", "global"}` and a `Via` header, which discord.py needs in
        order to retry (`via=False` looks like a Cloudflare ban: discord.py raises at once).
        Other statuses send `{"code", "message"}` (403 defaults to 50013 Missing Permissions).
        Method "*" matches any method.
        """
        headers: dict[str, str] = {}
        if status == 429:
            body: dict[str, Any] = {
                "message": message or "You are being rate limited.",
                "retry_after": retry_after,
                "global": is_global,
                "code": code or 0,
            }
            headers["X-RateLimit-Scope"] = "global" if is_global else "user"
            if via:
                headers["Via"] = "1.1 google"
        else:
            default_code, default_text = {403: (50013, "Missing Permissions")}.get(
                status, (0, f"{status}: {http.HTTPStatus(status).phrase}")
            )
            body = {
                "message": message or default_text,
                "code": default_code if code is None else code,
            }
        self._failures.append(
            _Failure(method.upper(), re.compile(path_regex), status, body, headers, times)
        )

    def _take_failure(self, call: Call) -> _Failure | None:
        for failure in self._failures:
            if failure.method in ("*", call.method) and failure.pattern.search(call.path):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    # ---------------------------------------------------------------- gateway

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(compress=False, timeout=2.0)
        await ws.prepare(request)
        conn = _Connection(ws)
        self._connections.append(conn)
        try:
            await self._send(conn, {"op": 10, "d": {"heartbeat_interval": 41250}})
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_frame(conn, json.loads(msg.data))
        finally:
            self._connections.remove(conn)
            self._notify()
        return ws

    async def _send(self, conn: _Connection, frame: dict[str, Any]) -> None:
        frame.setdefault("s", None)
        frame.setdefault("t", None)
        async with conn.lock:
            if frame["op"] == 0:
                conn.seq += 1
                frame["s"] = conn.seq
            if not conn.ws.closed:
                await conn.ws.send_str(json.dumps(frame))

    async def _send_event(self, conn: _Connection, name: str, data: Any) -> None:
        await self._send(conn, {"op": 0, "t": name, "d": data})

    async def _on_frame(self, conn: _Connection, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d") or {}
        if op == 1:
            await self._send(conn, {"op": 11, "d": None})
        elif op == 2:
            await self._identify(conn, data)
        elif op == 6:
            await self._resume(conn, data)
        elif op == 8:
            guild = self.guilds[int(data["guild_id"])]
            chunk = {
                "guild_id": str(guild.id),
                "members": [m.payload() for m in guild.members.values()],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [],
                "nonce": data.get("nonce"),
            }
            await self._send_event(conn, "GUILD_MEMBERS_CHUNK", chunk)
        self._notify()

    async def _identify(self, conn: _Connection, data: dict[str, Any]) -> None:
        self.identifies.append(data)
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(data.get("intents", 0))
        denied = [n for n, bit in PRIVILEGED_INTENTS.items() if intents & bit]
        if set(denied) - self.allowed_intents:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        conn.intents, conn.session_id = intents, secrets.token_hex(16)
        self._resumable[conn.session_id] = intents
        ready = {
            "v": 10,
            "user": {**self.bot_user.payload(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
            "session_id": conn.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.app_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "_trace": ["fake-discord"],
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await self._send_event(conn, "READY", ready)
        for guild in self.guilds.values():
            await self._send_event(conn, "GUILD_CREATE", guild.payload())

    async def _resume(self, conn: _Connection, data: dict[str, Any]) -> None:
        self.resumes.append(data)
        session_id = data.get("session_id")
        if data.get("token") != self.token or session_id not in self._resumable:
            await self._send(conn, {"op": 9, "d": False})
            return
        conn.session_id, conn.intents = session_id, self._resumable[session_id]
        conn.seq = int(data.get("seq") or 0)
        await self._send_event(conn, "RESUMED", {"_trace": ["fake-discord"]})

    async def dispatch(self, event: str, data: Any, *, intent: int = 0) -> None:
        """Send a gateway event to every connected client (that has `intent`, if given)."""
        conns = [c for c in self._live() if not intent or c.intents & intent]
        if not intent and not conns:
            raise RuntimeError(f"cannot dispatch {event}: no bot is connected to the gateway")
        for conn in conns:
            await self._send_event(conn, event, data)

    async def sync_guild(self, guild: FakeGuild) -> None:
        """Re-send GUILD_CREATE so a connected bot sees channels/members added after READY."""
        await self.dispatch("GUILD_CREATE", guild.payload())

    async def _echo(self, event: str, msg: StoredMessage) -> None:
        """Discord echoes the bot's own (non-ephemeral) messages on the gateway."""
        if msg.ephemeral:
            return
        guild_id = msg.data.get("guild_id")
        intent = INTENT_GUILD_MESSAGES if guild_id else INTENT_DIRECT_MESSAGES
        if event == "MESSAGE_DELETE":
            payload: dict[str, Any] = {"id": msg.id, "channel_id": msg.channel_id}
            if guild_id:
                payload["guild_id"] = guild_id
        else:
            payload = msg.payload()
            if guild_id:
                member = self.guilds[int(guild_id)].members.get(int(msg.author_id))
                if member is not None:
                    payload["member"] = member.payload(with_user=False)
        await self.dispatch(event, payload, intent=intent)

    # ---------------------------------------------------------------- events from users

    async def send_message_event(
        self, user: FakeUser, channel: FakeChannel, content: str
    ) -> StoredMessage:
        """A user posts `content`: stored, then MESSAGE_CREATE to clients with the messages
        intent. Without the message-content intent the content arrives blank, unless the
        message is a DM or mentions the bot (Discord's rule)."""
        guild = self._guild_of(channel)
        member = self._member(guild, user)
        ids = [int(m) for m in re.findall(r"<@!?(\d+)>", content)]
        mentioned = [self.users[i] for i in ids if i in self.users]
        mentions = [u.payload() for u in mentioned]
        for entry, u in zip(mentions, mentioned, strict=True):
            if guild is not None and u.id in guild.members:
                entry["member"] = guild.members[u.id].payload(with_user=False)
        msg = self.store.create(channel, user, {"content": content}, [], mentions=mentions)
        payload = msg.payload()
        if member is not None:
            payload["member"] = member.payload(with_user=False)
        readable = channel.is_dm or self.bot_user in mentioned
        blank = {**payload, "content": "", "embeds": [], "attachments": [], "components": []}
        intent = INTENT_DIRECT_MESSAGES if channel.is_dm else INTENT_GUILD_MESSAGES
        for conn in self._live():
            if conn.intents & intent:
                visible = readable or conn.intents & INTENT_MESSAGE_CONTENT
                await self._send_event(conn, "MESSAGE_CREATE", payload if visible else blank)
        return msg

    async def slash(
        self,
        user: FakeUser,
        channel_or_dm: FakeChannel,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None = None,
        subcommand: str | None = None,
    ) -> FakeInteraction:
        """The user runs `/name [subcommand] options...` (INTERACTION_CREATE type 2).

        `subcommand` is "sub" or "group sub". A dict of options is typed from the synced
        command when there is one (else from the Python values): FakeUser/FakeMember ->
        user, FakeChannel -> channel, FakeRole -> role, (filename, bytes) -> attachment,
        bool, int, float, str. A list is sent as-is.
        """
        guild = self._guild_of(channel_or_dm)
        cmd = self.command(name, guild)
        if cmd is not None and cmd.get("contexts") is not None:
            context = 0 if guild else 1
            if context not in cmd["contexts"]:
                raise ValueError(f"/{name} is not available in context {context}")
        resolved: dict[str, dict[str, Any]] = {}
        opts = self._options(cmd, name, options, subcommand, guild, resolved)
        data: dict[str, Any] = {
            "id": cmd["id"] if cmd else str(self.ids.next()),
            "name": name,
            "type": 1,
            "options": opts,
        }
        if cmd is not None and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        if resolved:
            data["resolved"] = resolved
        return await self._interact(2, user, channel_or_dm, data)

    async def click(
        self,
        user: FakeUser,
        message: StoredMessage | int | str,
        custom_id: str,
        *,
        values: list[str] | None = None,
    ) -> FakeInteraction:
        """The user clicks the component `custom_id` of a message (or picks select `values`)."""
        msg = message if isinstance(message, StoredMessage) else self.store.get(message)
        if msg.deleted:
            raise ValueError(f"message {msg.id} was deleted")
        if msg.visible_to not in (None, user.id):
            raise ValueError(f"ephemeral message {msg.id} is not visible to {user.name}")
        comp = msg.component(custom_id)
        if comp.get("disabled"):
            raise ValueError(f"component {comp.get('label') or custom_id!r} is disabled")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": comp["type"]}
        if comp["type"] in SELECT_TYPES:
            data["values"] = list(values or [])
        return await self._interact(3, user, self._channel(msg.channel_id), data, msg)

    async def submit_modal(
        self,
        user: FakeUser,
        channel: FakeChannel | None,
        custom_id: str,
        values: Mapping[str, str | list[str]],
        message: StoredMessage | None = None,
    ) -> FakeInteraction:
        """The user submits modal `custom_id` (INTERACTION_CREATE type 5).

        When the bot opened that modal for this user, the submission mirrors its layout
        (Label or ActionRow), the values are checked against its inputs, and channel and
        message default to those of the opening interaction.
        """
        opener = next(
            (
                ix
                for ix in reversed(self.interactions.values())
                if ix.modal is not None
                and ix.modal.get("custom_id") == custom_id
                and ix.user is user
            ),
            None,
        )
        if opener is None:
            rows = [[submitted_input(4, k, v)] for k, v in values.items()]
            comps = [{"type": 1, "components": row} for row in rows]
        else:
            comps = modal_submission(opener.modal_fields(), values)
            channel = channel or opener.channel
            if message is None and opener.message_id is not None:
                message = self.store.get(opener.message_id)
        if channel is None:
            raise ValueError(f"no channel given and no opened modal {custom_id!r} for {user.name}")
        data = {"custom_id": custom_id, "components": comps}
        return await self._interact(5, user, channel, data, message)

    async def _interact(
        self,
        kind: int,
        user: FakeUser,
        channel: FakeChannel,
        data: dict[str, Any],
        message: StoredMessage | None = None,
    ) -> FakeInteraction:
        guild = self._guild_of(channel)
        member = self._member(guild, user)
        payload: dict[str, Any] = {
            "id": str(self.ids.next()),
            "application_id": str(self.app_id),
            "type": kind,
            "data": data,
            "token": "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48),
            "version": 1,
            "locale": "en-US",
            "app_permissions": str(self._bot_permissions(channel)),
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild.id) if guild else "0"},
            "context": 0 if guild else 1,
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "channel": channel.payload(),
            "channel_id": str(channel.id),
        }
        if guild is not None and member is not None:
            perms = str(guild.permissions_of(user.id))
            payload.update(guild_id=str(guild.id), guild_locale="en-US")
            payload["guild"] = {"id": str(guild.id), "locale": "en-US", "features": []}
            payload["member"] = {**member.payload(), "permissions": perms}
            payload["channel"]["permissions"] = perms
        else:
            payload["user"] = user.payload()
        if message is not None:
            payload["message"] = message.payload()
        ix = FakeInteraction(self, payload, user, channel, message.id if message else None)
        self.interactions[ix.id] = ix
        await self.dispatch("INTERACTION_CREATE", payload)
        return ix

    def _options(
        self,
        cmd: dict[str, Any] | None,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None,
        subcommand: str | None,
        guild: FakeGuild | None,
        resolved: dict[str, dict[str, Any]],
    ) -> list[dict[str, Any]]:
        path = subcommand.split() if subcommand else []
        defs: list[dict[str, Any]] | None = cmd.get("options", []) if cmd else None
        for part in path:
            if defs is None:
                continue
            sub = next((d for d in defs if d["name"] == part and d["type"] in (1, 2)), None)
            if sub is None:
                raise ValueError(f"/{name} has no subcommand {part!r}")
            defs = sub.get("options", [])
        if isinstance(options, list):
            leaf = options
        else:
            leaf = [
                self._option(name, k, v, defs, guild, resolved) for k, v in (options or {}).items()
            ]
            required = {d["name"] for d in defs or [] if d.get("required")}
            if missing := required - set(options or {}):
                raise ValueError(f"/{name} needs option(s) {sorted(missing)}")
        for depth, part in enumerate(reversed(path)):
            leaf = [{"name": part, "type": 1 if depth == 0 else 2, "options": leaf}]
        return leaf

    def _option(
        self,
        command: str,
        name: str,
        value: Any,
        defs: list[dict[str, Any]] | None,
        guild: FakeGuild | None,
        resolved: dict[str, dict[str, Any]],
    ) -> dict[str, Any]:
        if defs is None:
            otype = infer_option_type(value)
        else:
            spec = next((d for d in defs if d["name"] == name), None)
            if spec is None:
                known = [d["name"] for d in defs]
                raise ValueError(f"/{command} has no option {name!r}; it has {known}")
            otype = spec["type"]
        if isinstance(value, FakeMember):
            value = value.user
        if isinstance(value, FakeUser):
            resolved.setdefault("users", {})[str(value.id)] = value.payload()
            if guild is not None and value.id in guild.members:
                member = guild.members[value.id].payload(with_user=False)
                member["permissions"] = str(guild.permissions_of(value.id))
                resolved.setdefault("members", {})[str(value.id)] = member
            value = str(value.id)
        elif isinstance(value, FakeChannel):
            entry = {**value.payload(), "permissions": str(ALL_VIEW)}
            resolved.setdefault("channels", {})[str(value.id)] = entry
            value = str(value.id)
        elif isinstance(value, FakeRole):
            resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            value = str(value.id)
        elif otype == 11:
            filename, data = value
            att = StoredAttachment(str(self.ids.next()), filename, "", data, "")
            att.url = f"{self.cdn_base}/ephemeral-attachments/{self.app_id}/{att.id}/{filename}"
            att.content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            self.option_files[att.id] = att
            resolved.setdefault("attachments", {})[att.id] = att.payload()
            value = att.id
        return {"name": name, "type": otype, "value": value}

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

    def _endpoint(
        self, handler: Handler, auth: bool
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def serve(request: web.Request) -> web.Response:
            path = request.path.removeprefix(API_PREFIX)
            call = Call(request.method, path, dict(request.query))
            self.calls.append(call)
            headers: dict[str, str] = {}
            try:
                await _read_body(request, call)
                if auth and request.headers.get("Authorization") != f"Bot {self.token}":
                    raise ApiError(401, 0, "401: Unauthorized")
                failure = self._take_failure(call)
                if failure is not None:
                    status, body, headers = failure.status, failure.body, failure.headers
                else:
                    body = await handler(request, call)
                    status = 200 if body is not None else 204
            except ApiError as exc:
                status, body = exc.status, exc.body()
            except Exception as exc:  # a request the fake cannot parse: fail fast, not a 500
                # (discord.py would retry a 500 five times with growing sleeps)
                text = f"fake Discord could not handle {call!r}: {exc!r}"
                status, body = 400, {"code": 50035, "message": text}
            call.status, call.response = status, body
            self._notify()
            if body is None:
                return web.Response(status=status, headers=headers)
            return web.Response(
                status=status,
                body=json.dumps(body).encode(),
                content_type="application/json",
                headers=headers,
            )

        return serve

    async def _not_found(self, request: web.Request, call: Call) -> Json:
        raise ApiError(404, 0, "404: Not Found")

    async def _cdn(self, request: web.Request) -> web.Response:
        parts = request.match_info["tail"].split("/")
        if parts[0] in ("attachments", "ephemeral-attachments") and len(parts) >= 3:
            att = self.store.attachment(parts[2]) or self.option_files.get(parts[2])
            if att is None:
                raise web.HTTPNotFound()
            return web.Response(body=att.data, content_type=att.content_type)
        return web.Response(body=PNG_1X1, content_type="image/png")

    # ---------------------------------------------------------------- REST: identity, commands

    async def _me(self, request: web.Request, call: Call) -> Json:
        return {**self.bot_user.payload(), "verified": True, "mfa_enabled": False, "email": None}

    async def _get_user(self, request: web.Request, call: Call) -> Json:
        user = self.users.get(int(request.match_info["uid"]))
        if user is None:
            raise ApiError(404, 10013, "Unknown User")
        return user.payload()

    async def _create_dm(self, request: web.Request, call: Call) -> Json:
        user = self.users.get(int((call.json or {}).get("recipient_id", 0)))
        if user is None:
            raise ApiError(404, 10013, "Unknown User")
        return self.dm_channel(user).payload()

    async def _app_info(self, request: web.Request, call: Call) -> Json:
        return {
            "id": str(self.app_id),
            "name": self.bot_user.name,
            "description": "",
            "summary": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.owner.payload(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "rpc_origins": [],
            "bot": self.bot_user.payload(),
            "interactions_endpoint_url": None,
            "approximate_guild_count": len(self.guilds),
        }

    async def _gateway_info(self, request: web.Request, call: Call) -> Json:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    async def _commands(self, request: web.Request, call: Call) -> Json:
        if request.match_info["app"] != str(self.app_id):
            raise ApiError(404, 10002, "Unknown Application")
        gid = request.match_info.get("gid")
        if gid is not None:
            self._guild(gid)
        pool = self.guild_commands.setdefault(int(gid), []) if gid else self.global_commands
        if call.method == "GET":
            return pool
        if call.method == "PUT":
            body = call.json or []
            if len(body) > 100:
                raise form_error("", "Must be 100 or fewer in length.")
            pool[:] = [self._register(c, i, gid, pool) for i, c in enumerate(body)]
            return pool
        if call.method == "POST":
            cmd = self._register(call.json or {}, 0, gid, pool)
            pool[:] = [c for c in pool if c["name"] != cmd["name"]] + [cmd]
            return cmd
        raise ApiError(405, 0, "405: Method Not Allowed")

    def _register(
        self, cmd: dict[str, Any], index: int, gid: str | None, pool: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Discord's checks on a command: a 1-32 char lowercase name, a 1-100 char description
        for slash commands, at most 25 options. Ids stay stable for the same name."""
        name, kind = str(cmd.get("name", "")), int(cmd.get("type", 1))
        if (kind == 1 and not re.fullmatch(r"[-_\w]{1,32}", name)) or name != name.lower():
            raise form_error(f"{index}.name", f"Invalid command name {name!r}.")
        if kind == 1 and not 1 <= len(cmd.get("description", "")) <= 100:
            raise form_error(f"{index}.description", "Must be between 1 and 100 in length.")
        if len(cmd.get("options", [])) > 25:
            raise form_error(f"{index}.options", "Must be 25 or fewer in length.")
        old = next((c for c in pool if c["name"] == name and c["type"] == kind), None)
        return {
            "default_member_permissions": None,
            "nsfw": False,
            "options": [],
            **cmd,
            "id": old["id"] if old else str(self.ids.next()),
            "application_id": str(self.app_id),
            "version": str(self.ids.next()),
            "type": kind,
            **({"guild_id": gid} if gid else {}),
        }

    # ---------------------------------------------------------------- REST: interactions

    async def _callback(self, request: web.Request, call: Call) -> Json:
        ix = self.interactions.get(request.match_info["iid"])
        if ix is None or ix.token != request.match_info["token"]:
            raise ApiError(404, 10062, "Unknown interaction")
        if ix.response_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        late = asyncio.get_running_loop().time() - ix.dispatched_at
        if self.ack_deadline is not None and late > self.ack_deadline:
            ix.expired = True
            raise ApiError(404, 10062, "Unknown interaction")
        body = call.json or {}
        kind, data = int(body.get("type", 0)), body.get("data") or {}
        message = await self._acknowledge(ix, kind, data, call.uploads)
        ix.response_type, ix.response_data = kind, data
        result: dict[str, Any] = {"interaction": {"id": ix.id, "type": ix.type}}
        if ix.original_id is not None and kind in (4, 5, 6, 7):
            result["interaction"].update(
                response_message_id=ix.original_id,
                response_message_loading=kind == 5,
                response_message_ephemeral=ix.ephemeral,
            )
        if message is not None:
            result["resource"] = {"type": kind, "message": message.payload()}
        return result

    async def _acknowledge(
        self, ix: FakeInteraction, kind: int, data: dict[str, Any], uploads: list[Upload]
    ) -> StoredMessage | None:
        if kind == 4:
            validate_message(data, files=len(uploads))
            return await self._respond_message(ix, data, uploads, original=True)
        if kind == 5:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            return await self._respond_message(ix, {"flags": flags}, [], original=True)
        if kind in (6, 7):
            if ix.message_id is None:
                raise ApiError(400, 40004, f"Callback type {kind} needs a component interaction")
            ix.original_id = ix.message_id
            if kind == 6:
                return None
            msg = self.store.get(ix.message_id)
            validate_message(data, files=len(uploads), edit=True)
            self.store.edit(msg, data, uploads)
            await self._echo("MESSAGE_UPDATE", msg)
            return msg
        if kind == 8 and ix.type == 4:
            ix.choices = list(data.get("choices", []))
            return None
        if kind == 9 and ix.type in (2, 3):
            validate_modal(data)
            ix.modal = data
            return None
        raise form_error(
            "type", f"Callback type {kind} is not valid for interaction type {ix.type}"
        )

    async def _respond_message(
        self, ix: FakeInteraction, body: dict[str, Any], uploads: list[Upload], original: bool
    ) -> StoredMessage:
        metadata: dict[str, Any] = {
            "id": ix.id,
            "type": ix.type,
            "user": ix.user.payload(),
            "authorizing_integration_owners": ix.payload["authorizing_integration_owners"],
        }
        if ix.message_id is not None:
            metadata["interacted_message_id"] = ix.message_id
        msg = self.store.create(
            ix.channel,
            self.bot_user,
            body,
            uploads,
            type=20 if ix.type == 2 and original else 0,
            webhook_id=str(self.app_id),
            application_id=str(self.app_id),
            interaction_metadata=metadata,
        )
        if msg.ephemeral:
            msg.visible_to = ix.user.id
        if original:
            ix.original_id = msg.id
        await self._echo("MESSAGE_CREATE", msg)
        return msg

    def _hook_interaction(self, request: web.Request) -> FakeInteraction:
        token = request.match_info["token"]
        ix = next((i for i in self.interactions.values() if i.token == token), None)
        valid = ix is not None and request.match_info["app"] == str(self.app_id)
        if ix is None or not valid or ix.response_type is None:
            raise ApiError(404, 10015, "Unknown Webhook")
        return ix

    async def _followup(self, request: web.Request, call: Call) -> Json:
        ix = self._hook_interaction(request)
        body = call.json or {}
        validate_message(body, files=len(call.uploads))
        original = ix.original
        if ix.response_type == 5 and original is not None and original.loading:
            self.store.edit(
                original, {k: v for k, v in body.items() if k != "flags"}, call.uploads
            )
            await self._echo("MESSAGE_UPDATE", original)
            msg = original
        else:
            msg = await self._respond_message(ix, body, call.uploads, original=False)
        ix.followup_ids.append(msg.id)
        return msg.payload() if call.query.get("wait") in ("1", "true", "True") else None

    async def _webhook_message(self, request: web.Request, call: Call) -> Json:
        ix = self._hook_interaction(request)
        mid = request.match_info["mid"]
        msg_id = ix.original_id if mid == "@original" else mid
        if msg_id is None or (msg_id != ix.original_id and msg_id not in ix.followup_ids):
            raise ApiError(404, 10008, "Unknown Message")
        msg = self.store.get(msg_id)
        if msg.deleted:
            raise ApiError(404, 10008, "Unknown Message")
        return await self._message_verb(msg, call)

    async def _message_verb(self, msg: StoredMessage, call: Call) -> Json:
        if call.method == "GET":
            return msg.payload()
        if call.method == "PATCH":
            validate_message(call.json or {}, files=len(call.uploads), edit=True)
            self.store.edit(msg, call.json or {}, call.uploads)
            await self._echo("MESSAGE_UPDATE", msg)
            return msg.payload()
        if call.method == "DELETE":
            msg.deleted = True
            await self._echo("MESSAGE_DELETE", msg)
            return None
        raise ApiError(405, 0, "405: Method Not Allowed")

    # ---------------------------------------------------------------- REST: channels, guilds

    async def _get_channel(self, request: web.Request, call: Call) -> Json:
        return self._channel(request.match_info["cid"]).payload()

    async def _channel_messages(self, request: web.Request, call: Call) -> Json:
        channel = self._channel(request.match_info["cid"])
        if call.method == "GET":
            self._require(channel, VIEW_CHANNEL | READ_MESSAGE_HISTORY)
            msgs = [m for m in reversed(self.channel_messages(channel))]
            if "before" in call.query:
                msgs = [m for m in msgs if int(m.id) < int(call.query["before"])]
            if "after" in call.query:
                msgs = [m for m in msgs if int(m.id) > int(call.query["after"])]
            return [m.payload() for m in msgs[: int(call.query.get("limit", 50))]]
        if call.method != "POST":
            raise ApiError(405, 0, "405: Method Not Allowed")
        body = call.json or {}
        self._require(
            channel, VIEW_CHANNEL | SEND_MESSAGES | (ATTACH_FILES if call.uploads else 0)
        )
        validate_message(body, files=len(call.uploads))
        extra: dict[str, Any] = {}
        if ref := body.get("message_reference"):
            target = self._visible(channel, str(ref["message_id"]))
            extra = {
                "type": 19,
                "message_reference": {"type": 0, "message_id": target.id, **_where(target)},
                "referenced_message": target.payload(),
            }
        msg = self.store.create(channel, self.bot_user, body, call.uploads, **extra)
        await self._echo("MESSAGE_CREATE", msg)
        return msg.payload()

    def _visible(self, channel: FakeChannel, message_id: str) -> StoredMessage:
        msg = self.store.get(message_id)
        if msg.channel_id != str(channel.id) or msg.deleted or msg.ephemeral:
            raise ApiError(404, 10008, "Unknown Message")
        return msg

    async def _channel_message(self, request: web.Request, call: Call) -> Json:
        channel = self._channel(request.match_info["cid"])
        msg = self._visible(channel, request.match_info["mid"])
        mine = msg.author_id == str(self.bot_user.id)
        if call.method == "PATCH" and not mine:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        if call.method == "DELETE" and not mine:
            self._require(channel, MANAGE_MESSAGES)
        return await self._message_verb(msg, call)

    async def _typing(self, request: web.Request, call: Call) -> Json:
        self._channel(request.match_info["cid"])
        return None

    async def _react(self, request: web.Request, call: Call) -> Json:
        channel = self._channel(request.match_info["cid"])
        msg = self._visible(channel, request.match_info["mid"])
        users = msg.reactions.setdefault(request.match_info["emoji"], set())
        if call.method == "PUT":
            self._require(channel, ADD_REACTIONS | READ_MESSAGE_HISTORY)
            users.add(self.bot_user.id)
        elif call.method == "DELETE":
            users.discard(self.bot_user.id)
        else:
            raise ApiError(405, 0, "405: Method Not Allowed")
        return None

    async def _get_guild(self, request: web.Request, call: Call) -> Json:
        data = self._guild(request.match_info["gid"]).payload()
        for key in ("channels", "members", "threads", "presences", "voice_states"):
            data.pop(key)
        return data

    async def _guild_channels(self, request: web.Request, call: Call) -> Json:
        return [c.payload() for c in self._guild(request.match_info["gid"]).channels.values()]

    async def _guild_roles(self, request: web.Request, call: Call) -> Json:
        return [r.payload() for r in self._guild(request.match_info["gid"]).roles.values()]

    async def _guild_members(self, request: web.Request, call: Call) -> Json:
        guild = self._guild(request.match_info["gid"])
        if "members" not in self.allowed_intents:
            raise ApiError(403, 50001, "Missing Access")
        after = int(call.query.get("after", 0))
        members = sorted((m for m in guild.members.values() if m.user.id > after), key=_uid)
        return [m.payload() for m in members[: int(call.query.get("limit", 1))]]

    async def _guild_member(self, request: web.Request, call: Call) -> Json:
        guild = self._guild(request.match_info["gid"])
        return guild.member(int(request.match_info["uid"])).payload()

    async def _member_role(self, request: web.Request, call: Call) -> Json:
        guild = self._guild(request.match_info["gid"])
        member = guild.member(int(request.match_info["uid"]))
        role = guild.roles.get(int(request.match_info["rid"]))
        if role is None:
            raise ApiError(404, 10011, "Unknown Role")
        bot_id = self.bot_user.id
        can_manage = guild.permissions_of(bot_id) & MANAGE_ROLES
        if not can_manage or role.position >= guild.top_position(bot_id):
            raise ApiError(403, 50013, "Missing Permissions")
        if call.method == "PUT" and role.id not in member.role_ids:
            member.role_ids.append(role.id)
        elif call.method == "DELETE" and role.id in member.role_ids:
            member.role_ids.remove(role.id)
        elif call.method not in ("PUT", "DELETE"):
            raise ApiError(405, 0, "405: Method Not Allowed")
        return None


Handler = Callable[[web.Request, Call], Awaitable[Json]]
ALL_VIEW = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY


async def _read_body(request: web.Request, call: Call) -> None:
    """Parse a JSON body, or a multipart body (`payload_json` + `files[n]` parts)."""
    if request.content_type == "multipart/form-data":
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                call.json = json.loads(await part.text())
            elif part.filename is not None:
                ctype = part.headers.get("Content-Type", "application/octet-stream")
                data = bytes(await part.read())
                call.uploads.append(Upload(part.name or "", part.filename, ctype, data))
        return
    raw = await request.read()
    if raw:
        try:
            call.json = json.loads(raw)
        except ValueError:
            raise ApiError(400, 50109, "The request body contains invalid JSON.") from None


def _where(msg: StoredMessage) -> dict[str, str]:
    where = {"channel_id": msg.channel_id}
    if "guild_id" in msg.data:
        where["guild_id"] = msg.data["guild_id"]
    return where


def _uid(member: FakeMember) -> int:
    return member.user.id


# -------------------------------------------------------------------- fixtures and bot runner


@contextmanager
def patch_discord_endpoints(fake: FakeDiscord) -> Iterator[FakeDiscord]:
    """Point discord.py's REST, gateway and CDN class attributes at the fake; restore after.

    They are process-global (platforms.md A.2). Never call `discord.http._set_api_version`:
    it resets `Route.BASE`.
    """
    route, ws, asset = discord.http.Route, discord.gateway.DiscordWebSocket, discord.asset.Asset
    saved = (route.BASE, ws.DEFAULT_GATEWAY, asset.BASE)
    route.BASE, asset.BASE = fake.api_base, fake.cdn_base
    ws.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield fake
    finally:
        route.BASE, ws.DEFAULT_GATEWAY, asset.BASE = saved


@pytest_asyncio.fixture
async def discord_fake() -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord with discord.py's endpoints patched to it for the test."""
    fake = await FakeDiscord().start()
    try:
        with patch_discord_endpoints(fake):
            yield fake
    finally:
        await fake.stop()


async def _race(
    task: asyncio.Task[None],
    aw: Awaitable[Any],
    timeout: float,  # noqa: ASYNC109
    what: str,
) -> None:
    waiter = asyncio.ensure_future(aw)
    done, _ = await asyncio.wait(
        {task, waiter}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
    )
    if waiter in done:
        waiter.result()
        return
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    if task in done:
        task.result()
        raise RuntimeError(f"bot.start() returned before {what}")
    raise TimeoutError(f"the bot did not reach {what} within {timeout} s")


@asynccontextmanager
async def running_bot(
    bot: discord.Client,
    fake: FakeDiscord,
    *,
    timeout: float = 5.0,  # noqa: ASYNC109
) -> AsyncIterator[asyncio.Task[None]]:
    """Run `bot.start(fake.token)` as a task until `on_ready`; on exit `await bot.close()` and
    re-raise whatever ended the task (a gateway parser's KeyError ends it silently otherwise).
    Pass `guild_ready_timeout=0.05` to the bot, or every start takes 2 s."""
    task = asyncio.create_task(bot.start(fake.token), name="discord-bot")
    try:
        await _race(task, fake.wait_connected(timeout), timeout, "the gateway READY")
        await _race(task, bot.wait_until_ready(), timeout, "on_ready")
        yield task
        await _settle(timeout)
    finally:
        await bot.close()
        await asyncio.wait_for(asyncio.shield(task), timeout)


_HANDLER_TASKS = ("CommandTree-invoker", "discord-ui-", "discord.py: ")


async def _settle(timeout: float) -> None:  # noqa: ASYNC109
    """Let running command, view and event handlers finish before closing: a followup still
    in flight when the fake stops would fail with ServerDisconnectedError and be logged."""
    here = asyncio.current_task()
    busy = [
        t
        for t in asyncio.all_tasks()
        if t is not here
        and t.get_name().startswith(_HANDLER_TASKS)
        and "timeout" not in t.get_name()
    ]
    if busy:
        await asyncio.wait(busy, timeout=timeout)
