"""Test world for the Telegram adapter: the fake, the App over a SQLite file, a ManualClock,
and helpers that act like people in chats (they wait for the bot's answer, never sleep): they
press buttons, and upload documents (with a caption command, or replying to another document)."""

from __future__ import annotations

import copy
import mimetypes
import time
from dataclasses import dataclass, field
from typing import Any

from bot.app import App
from bot.config import Settings
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import PlayerRef
from storage import SqlStore
from storage.rows import CampaignRow
from tests.support.fakes.telegram import Call, CallbackAnswer, FakeMessage, FakeTelegram, JSONDict
from tests.support.fakes.telegram.payloads import UploadedFile, text_entities
from tests.support.seeds import seed_campaign
from tests.support.settings import settings_for

GROUP_ID = -100123
ADMIN_ID = 1


@dataclass
class World:
    fake: FakeTelegram
    db: str
    clock: ManualClock = field(default_factory=ManualClock)
    app: App | None = None

    async def start(self, **telegram: Any) -> App:
        """Start the real App with Telegram pointed at the fake (edit_interval 0.05 s unless
        given): the token comes from the environment, as in production."""
        return await self.launch(settings_for(self.db, telegram=self.telegram_options(**telegram)))

    def telegram_options(self, **telegram: Any) -> dict[str, Any]:
        """The `[telegram]` section that points the App at the fake."""
        return {
            "base_url": self.fake.base_url,
            "base_file_url": self.fake.base_file_url,
            "edit_interval": 0.05,
            **telegram,
        }

    async def launch(self, settings: Settings, *, scheduler: bool = False) -> App:
        """Start the App with `settings`, once it polls the fake for updates (in webhook mode
        it never polls: the App is ready once started)."""
        self.app = App(
            settings,
            clock=self.clock,
            environ={"TELEGRAM_TOKEN": self.fake.token},
            scheduler=scheduler,
        )
        await self.app.start()
        if settings.telegram.mode == "polling":
            await self.fake.wait_for_call("getUpdates", include_consumed=True)
        return self.app

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
            self.app = None

    async def restart(self, **telegram: Any) -> App:
        await self.stop()
        return await self.start(**telegram)

    @property
    def engine(self) -> Engine:
        assert self.app is not None and self.app.engine is not None
        return self.app.engine

    @property
    def store(self) -> SqlStore:
        assert self.app is not None and self.app.store is not None
        return self.app.store

    async def campaign(self, **kwargs: Any) -> CampaignRow:
        return await seed_campaign(self.store, now=self.clock.now(), **kwargs)

    async def count(self, table: str) -> int:
        async with self.store.db.read() as conn:
            return int(await conn.fetchval(f"SELECT COUNT(*) FROM {table}"))

    # -- people ---------------------------------------------------------------------------

    def person(self, user_id: int, name: str) -> JSONDict:
        user = self.fake.user(user_id, name)
        self.fake.private_chat(user)
        return user

    def group(self) -> JSONDict:
        return self.fake.group(GROUP_ID, "Labelers")

    async def consented(self, user: JSONDict, chat: JSONDict | None = None) -> None:
        """Consent behind the scenes (the consent flow itself has its own tests)."""
        await self.engine.players.consent(self.ref(user, chat), True)

    def ref(self, user: JSONDict, chat: JSONDict | None = None) -> PlayerRef:
        from bot.core.kernel.models import ChannelRef, CommunityRef, Kind

        if chat is None or chat["type"] == "private":
            return PlayerRef("telegram", str(user["id"]), user["first_name"])
        community = CommunityRef("telegram", str(chat["id"]), chat["title"])
        channel = ChannelRef("telegram", str(chat["id"]), chat["title"], Kind.GROUP, community)
        return PlayerRef("telegram", str(user["id"]), user["first_name"], channel)

    # -- waiting for the bot ----------------------------------------------------------------

    async def sent(self, chat_id: int, method: str = "sendMessage", text: str = "") -> FakeMessage:
        """The next message the bot sent to `chat_id` (text or caption containing `text`);
        refused attempts (injected failures) are skipped."""
        call = await self.fake.wait_for_call(method, lambda c: c.ok and _to(c, chat_id, text))
        return self.fake.message(chat_id, call.result["message_id"])

    async def edited(
        self, chat_id: int, message_id: int, text: str, method: str = "editMessageText"
    ) -> FakeMessage:
        """Wait until the message's current text or caption contains `text`."""

        def hit(c: Call) -> bool:
            return (
                c.ok
                and c.params.get("message_id") == message_id
                and text in str(c.params.get("text") or c.params.get("caption") or "")
            )

        await self.fake.wait_for_call(method, hit, include_consumed=True)
        return self.fake.message(chat_id, message_id)

    async def press(
        self, chat: JSONDict, user: JSONDict, message: FakeMessage, label: str
    ) -> CallbackAnswer:
        """Press the button labelled `label` and return the toast."""
        data = button(message, label)
        query_id = await self.fake.press(chat, user, message.message_id, data)
        return await self.fake.wait_for_answer(query_id)


def _to(call: Call, chat_id: int, text: str) -> bool:
    shown = str(call.params.get("text") or call.params.get("caption") or "")
    return call.params.get("chat_id") == chat_id and text in shown


def button(message: FakeMessage, label: str) -> str:
    """The callback_data of the button whose text is `label`."""
    for row in message.buttons():
        for text, data in row:
            if text == label and data is not None:
                return data
    raise AssertionError(f"no button {label!r}; buttons are {message.buttons()}")


def shown(message: FakeMessage) -> str:
    return message.text or message.caption or ""


async def start(world: World, *, real_scheduler: bool = False, **sections: dict[str, Any]) -> App:
    """`World.start` with `[admins] telegram = ["1"]` and extra sections; with
    `real_scheduler` the App runs its APScheduler (every `[scheduler] tick_seconds`) instead
    of leaving the ticks to the test."""
    admins = {"telegram": [str(ADMIN_ID)]}
    settings = settings_for(world.db, telegram=world.telegram_options(), admins=admins, **sections)
    return await world.launch(settings, scheduler=real_scheduler)


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
