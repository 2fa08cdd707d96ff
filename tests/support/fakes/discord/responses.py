"""Interaction responses on the Discord fake's REST API: the callback (one per interaction,
within `ack_deadline` seconds: 3 s like Discord), the followups and the original message
through the interaction's webhook."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from tests.support.fakes.discord.interactions import FakeInteraction
from tests.support.fakes.discord.messages import StoredMessage, Upload
from tests.support.fakes.discord.models import EPHEMERAL, LOADING, ApiError, form_error
from tests.support.fakes.discord.payloads import validate_message, validate_modal
from tests.support.fakes.discord.state import Call, DiscordState, Json


class Responses(DiscordState):
    """Interaction callbacks and webhook followups (routes authorised by the interaction token)."""

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
