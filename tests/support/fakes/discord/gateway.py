"""The gateway of the Discord fake: one websocket per client at `/gateway/` (TEXT frames only),
HELLO, heartbeats, IDENTIFY (a privileged intent missing from `allowed_intents` closes with
4014), RESUME, member chunks, and dispatch of events to the clients that have the intent.

Sharding as Discord documents it: IDENTIFY carries `shard: [shard_id, num_shards]` (absent
means [0, 1]); an id outside 0..num_shards-1 closes with 4010 (Invalid shard); while
`require_sharding` is set, fewer shards than the recommended `shards` (or none) close with
4011 (Sharding required). A guild's events
(GUILD_CREATE, MESSAGE_*, INTERACTION_CREATE) go only to the sessions of shard
`(guild_id >> 22) % num_shards`; events without a guild (DMs) only to shard 0. Any number of
sessions of the bot may be connected at once (one per shard, from one or more processes).
With `identify_spacing` set, an IDENTIFY sooner than that after the previous one is answered
with op 9 (invalid session, not resumable), as Discord answers IDENTIFYs beyond its
`max_concurrency` per 5 seconds; `refused_identifies` counts them."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any

from aiohttp import WSMsgType, web

from tests.support.fakes.discord.messages import StoredMessage
from tests.support.fakes.discord.models import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGES,
    PRIVILEGED_INTENTS,
    FakeGuild,
    shard_of,
)
from tests.support.fakes.discord.state import DiscordState, _Connection

#: Events whose payload is the guild itself (its id is `id`, not `guild_id`).
GUILD_EVENTS = ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE")


class Gateway(DiscordState):
    """The websocket side of the fake."""

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

    @property
    def sessions(self) -> list[tuple[int, int]]:
        """The `[shard_id, num_shards]` of every live session, sorted."""
        return sorted(c.shard for c in self._live())

    def _routed(self, guild_id: int | str | None) -> list[_Connection]:
        """The live sessions that receive an event of `guild_id` (None: a DM, shard 0)."""
        live = self._live()
        if guild_id is None:
            return [c for c in live if c.shard[0] == 0]
        return [c for c in live if shard_of(int(guild_id), c.shard[1]) == c.shard[0]]

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
        now = asyncio.get_running_loop().time()
        last = self.identified_at[-1] if self.identified_at else None
        if self.identify_spacing and last is not None and now - last < self.identify_spacing:
            self.refused_identifies += 1  # Discord: too many IDENTIFYs -> invalid session
            await self._send(conn, {"op": 9, "d": False})
            return
        self.identified_at.append(now)
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(data.get("intents", 0))
        denied = [n for n, bit in PRIVILEGED_INTENTS.items() if intents & bit]
        if set(denied) - self.allowed_intents:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard = await self._shard_of_identify(conn, data)
        if shard is None:
            return
        conn.intents, conn.shard = intents, shard
        conn.session_id = secrets.token_hex(16)
        self._resumable[conn.session_id] = (intents, shard)
        mine = [g for g in self.guilds.values() if shard_of(g.id, shard[1]) == shard[0]]
        ready = {
            "v": 10,
            "user": {**self.bot_user.payload(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in mine],
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
        for guild in mine:
            await self._send_event(conn, "GUILD_CREATE", guild.payload())

    async def _shard_of_identify(
        self, conn: _Connection, data: dict[str, Any]
    ) -> tuple[int, int] | None:
        """The session's [shard_id, num_shards], or None after closing it: 4010 for an
        invalid shard; 4011 with `require_sharding` when the session would hold more guilds
        than Discord allows (fewer shards than the recommended `shards`, or none)."""
        shard = data.get("shard", [0, 1])
        valid = isinstance(shard, list) and len(shard) == 2 and all(type(n) is int for n in shard)
        if not valid or not 0 <= shard[0] < shard[1]:
            await conn.ws.close(code=4010, message=b"Invalid shard.")
            return None
        if self.require_sharding and shard[1] < self.shards:
            await conn.ws.close(code=4011, message=b"Sharding required.")
            return None
        return (shard[0], shard[1])

    async def _resume(self, conn: _Connection, data: dict[str, Any]) -> None:
        self.resumes.append(data)
        session_id = data.get("session_id")
        if data.get("token") != self.token or session_id not in self._resumable:
            await self._send(conn, {"op": 9, "d": False})
            return
        conn.session_id = session_id
        conn.intents, conn.shard = self._resumable[session_id]
        conn.seq = int(data.get("seq") or 0)
        await self._send_event(conn, "RESUMED", {"_trace": ["fake-discord"]})

    async def dispatch(self, event: str, data: Any, *, intent: int = 0) -> None:
        """Send a gateway event to the sessions of its guild's shard (shard 0 without a
        guild) that have `intent`, if given."""
        guild_id = data.get("id") if event in GUILD_EVENTS else data.get("guild_id")
        conns = [c for c in self._routed(guild_id) if not intent or c.intents & intent]
        if not intent and not conns:
            where = f"guild {guild_id}" if guild_id else "DMs (shard 0)"
            raise RuntimeError(
                f"cannot dispatch {event}: no bot session serves {where} on the gateway"
            )
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
