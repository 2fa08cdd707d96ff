"""Telegram test helpers for campaigns: an App with admins and campaign settings, and users
who upload documents (with a caption command, or replying to another document)."""

from __future__ import annotations

import copy
import mimetypes
import time
from typing import Any

from bot.app import App
from tests.fakes.tg_factory import FakeMessage, JSONDict, UploadedFile, text_entities
from tests.support import settings_for
from tests.tg.world import World

ADMIN_ID = 1


async def start(world: World, *, real_scheduler: bool = False, **sections: dict[str, Any]) -> App:
    """`World.start` with `[admins] telegram = ["1"]` and extra sections; with
    `real_scheduler` the App runs its APScheduler (every `[scheduler] tick_seconds`) instead
    of leaving the ticks to the test."""
    options = {"base_url": world.fake.base_url, "base_file_url": world.fake.base_file_url,
               "edit_interval": 0.05}  # fmt: skip
    settings = settings_for(world.db, telegram=options, admins={"telegram": [str(ADMIN_ID)]},
                            **sections)  # fmt: skip
    world.app = App(settings, clock=world.clock, environ={"TELEGRAM_TOKEN": world.fake.token},
                    scheduler=real_scheduler)  # fmt: skip
    await world.app.start()
    await world.fake.wait_for_call("getUpdates", include_consumed=True)
    return world.app


async def upload(
    world: World,
    chat: JSONDict,
    user: JSONDict,
    filename: str,
    data: bytes,
    caption: str | None = None,
    reply_to: int | None = None,
) -> int:
    """The user sends a document (optionally captioned, optionally as a reply); returns its
    message id."""
    fake = world.fake
    mime = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    stored = fake._new_file(UploadedFile(filename, mime, data), "document", mime)
    payload: JSONDict = {
        "message_id": fake.next_message_id(chat["id"]),
        "from": user,
        "chat": chat,
        "date": int(time.time()),
        **fake._media_json("document", stored),
    }
    if caption is not None:
        payload["caption"] = caption
        if entities := text_entities(caption):
            payload["caption_entities"] = entities
    if reply_to is not None:
        payload["reply_to_message"] = copy.deepcopy(fake.message(chat["id"], reply_to).payload)
    fake.store(FakeMessage(copy.deepcopy(payload), "document", False, stored))
    await fake.push_update({"message": payload})
    return int(payload["message_id"])
