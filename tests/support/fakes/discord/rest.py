"""The REST API of the Discord fake under `/api/v10`: authentication, failure injection, the
request plumbing (JSON or multipart bodies, JSON answers with the exact content type), and
the identity, command, channel and guild routes."""

from __future__ import annotations

import http
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import BodyPartReader, web

from tests.support.fakes.discord.messages import StoredMessage, Upload
from tests.support.fakes.discord.models import (
    ADD_REACTIONS,
    ATTACH_FILES,
    MANAGE_MESSAGES,
    MANAGE_ROLES,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    ApiError,
    FakeChannel,
    FakeMember,
    form_error,
)
from tests.support.fakes.discord.payloads import validate_message
from tests.support.fakes.discord.state import API_PREFIX, Call, DiscordState, Json, _Failure


class Rest(DiscordState):
    """Bot routes (`Authorization: Bot <token>`) and the plumbing every route shares."""

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
        return {"url": self.gateway_url, "shards": self.shards, "session_start_limit": limit}

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
        for slash commands, at most 25 options. Ids stay stable for the same name;
        `default_member_permissions` comes back as a string, as Discord returns it."""
        name, kind = str(cmd.get("name", "")), int(cmd.get("type", 1))
        if (kind == 1 and not re.fullmatch(r"[-_\w]{1,32}", name)) or name != name.lower():
            raise form_error(f"{index}.name", f"Invalid command name {name!r}.")
        if kind == 1 and not 1 <= len(cmd.get("description", "")) <= 100:
            raise form_error(f"{index}.description", "Must be between 1 and 100 in length.")
        if len(cmd.get("options", [])) > 25:
            raise form_error(f"{index}.options", "Must be 25 or fewer in length.")
        old = next((c for c in pool if c["name"] == name and c["type"] == kind), None)
        perms = cmd.get("default_member_permissions")  # sent as an int, stored as a string
        return {
            "nsfw": False,
            "options": [],
            **cmd,
            "default_member_permissions": None if perms is None else str(int(perms)),
            "id": old["id"] if old else str(self.ids.next()),
            "application_id": str(self.app_id),
            "version": str(self.ids.next()),
            "type": kind,
            **({"guild_id": gid} if gid else {}),
        }

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
