"""Users acting on the Discord fake: slash commands, component clicks, modal submissions and
plain messages, dispatched on the gateway; `FakeInteraction` records what the bot did with
each interaction."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from tests.support.fakes.discord.files import UserFile, user_attachment
from tests.support.fakes.discord.messages import ModalField, StoredMessage
from tests.support.fakes.discord.models import (
    ATTACHMENT_SIZE_LIMIT,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGES,
    INTENT_MESSAGE_CONTENT,
    READ_MESSAGE_HISTORY,
    SELECT_TYPES,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
)
from tests.support.fakes.discord.payloads import (
    infer_option_type,
    modal_fields,
    modal_submission,
    submitted_input,
)
from tests.support.fakes.discord.state import DiscordState


class FakeInteraction:
    """One interaction the fake dispatched and everything the bot did with it.

    `response_type` is the acknowledgement (4 message, 5 thinking, 6 deferred update,
    7 update message, 8 autocomplete, 9 modal); `original` is the CURRENT state of the
    original response (for components after 6/7: the clicked message); `followups` are the
    followup messages in order; `modal` is the modal the bot opened (callback type 9).
    """

    def __init__(
        self,
        fake: DiscordState,
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


class UserActions(DiscordState):
    """Events from users: INTERACTION_CREATE (slash, click, modal) and MESSAGE_CREATE."""

    # ---------------------------------------------------------------- events from users

    async def send_message_event(
        self,
        user: FakeUser,
        channel: FakeChannel,
        content: str,
        attachments: Sequence[UserFile | tuple[str, bytes]] = (),
    ) -> StoredMessage:
        """A user posts `content` (with `attachments`, served on the fake CDN): stored, then
        MESSAGE_CREATE to clients with the messages intent. Without the message-content intent
        the content and attachments arrive blank, unless the message is a DM or mentions the
        bot (Discord's rule)."""
        guild = self._guild_of(channel)
        member = self._member(guild, user)
        ids = [int(m) for m in re.findall(r"<@!?(\d+)>", content)]
        mentioned = [self.users[i] for i in ids if i in self.users]
        mentions = [u.payload() for u in mentioned]
        for entry, u in zip(mentions, mentioned, strict=True):
            if guild is not None and u.id in guild.members:
                entry["member"] = guild.members[u.id].payload(with_user=False)
        msg = self.store.create(channel, user, {"content": content}, [], mentions=mentions)
        url_base = f"{self.cdn_base}/attachments/{channel.id}"
        msg.attachments = [user_attachment(self.ids.next(), f, url_base) for f in attachments]
        payload = msg.payload()
        if member is not None:
            payload["member"] = member.payload(with_user=False)
        readable = channel.is_dm or self.bot_user in mentioned
        blank = {**payload, "content": "", "embeds": [], "attachments": [], "components": []}
        intent = INTENT_DIRECT_MESSAGES if channel.is_dm else INTENT_GUILD_MESSAGES
        for conn in self._routed(None if guild is None else guild.id):
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
        user, FakeChannel -> channel, FakeRole -> role, UserFile or (filename, bytes) ->
        attachment,
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

    async def press(
        self,
        user: FakeUser,
        message: StoredMessage | int | str,
        custom_id: str,
        *,
        component_type: int = 2,
        values: list[str] | None = None,
    ) -> FakeInteraction:
        """A component interaction with ANY `custom_id` and component type on `message`,
        whether or not the message carries that component: what a client holding a stale
        message (another bot version) or a forged request delivers. Real Discord relays it
        like any click; the bot must still answer it within 3 s."""
        msg = message if isinstance(message, StoredMessage) else self.store.get(message)
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if component_type in SELECT_TYPES:
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
            url_base = f"{self.cdn_base}/ephemeral-attachments/{self.app_id}"
            att = user_attachment(self.ids.next(), value, url_base)
            self.option_files[att.id] = att
            resolved.setdefault("attachments", {})[att.id] = att.payload()
            value = att.id
        return {"name": name, "type": otype, "value": value}


ALL_VIEW = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY
