"""The test side of the Telegram fake: users and chats, updates pushed as people would send
them (privacy mode applied), failure injection, and waiting for what the bot did."""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable

from aiohttp import web

from tests.support.fakes.telegram.media import UserMedia
from tests.support.fakes.telegram.methods import BotApi
from tests.support.fakes.telegram.payloads import (
    Call,
    CallbackAnswer,
    FakeMessage,
    JSONDict,
    failure,
    group_json,
    private_chat_json,
    text_entities,
    user_json,
    validate_update,
)

ChatRef = JSONDict | int


class FakeTelegram(UserMedia, BotApi):
    """The fake Bot API plus the test-side API: build a world, push updates, await calls.

    Privacy mode (`privacy_mode=True`, Telegram's default for bots) makes `getMe` answer
    `can_read_all_group_messages: false` and drops group messages the real server would not
    deliver: anything but commands (bare or `@ThisBot`), @mentions of the bot and replies to the
    bot, unless the bot is an administrator of that group.
    """

    def __init__(
        self,
        *,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "TestBot",
        bot_first_name: str = "LabelQuest Test",
        privacy_mode: bool = False,
    ) -> None:
        bot_id = int(token.split(":", 1)[0])
        bot = user_json(bot_id, bot_first_name, bot_username, is_bot=True)
        super().__init__(token, bot, privacy_mode=privacy_mode)
        self.bot_username = bot_username
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._next_update_id = 0
        self._next_callback_id = 0

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        self._runner = web.AppRunner(self.build_app(), access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        await self.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`: PTB appends the token and the method."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/file/bot"

    # -- the world ------------------------------------------------------------------------

    def user(self, user_id: int, first_name: str, username: str | None = None) -> JSONDict:
        """A human user known to the fake (getChatMember finds it)."""
        user = user_json(user_id, first_name, username)
        self.users[user_id] = user
        return user

    def private_chat(self, user: JSONDict) -> JSONDict:
        chat = private_chat_json(user)
        self.chats[chat["id"]] = chat
        return chat

    def group(self, chat_id: int, title: str, *, supergroup: bool = True) -> JSONDict:
        """A group the bot is in; supergroup ids look like -100..., basic group ids are < 0."""
        if chat_id >= 0:
            raise ValueError(f"group ids are negative, got {chat_id}")
        chat = group_json(chat_id, title, supergroup=supergroup)
        self.chats[chat_id] = chat
        return chat

    def set_admins(self, chat: ChatRef, *users: JSONDict, owner: JSONDict | None = None) -> None:
        """The administrators (and optional creator) of a group; the bot may be one of them."""
        chat_id = self._chat_id(chat)
        ranks = {int(u["id"]): "administrator" for u in users}
        if owner is not None:
            ranks[int(owner["id"])] = "creator"
        for user in (*users, *([owner] if owner else [])):
            self.users.setdefault(int(user["id"]), user)
        self.admins[chat_id] = ranks

    def _chat_id(self, chat: ChatRef) -> int:
        chat_id = chat if isinstance(chat, int) else int(chat["id"])
        if chat_id not in self.chats:
            raise ValueError(
                f"chat {chat_id} is unknown: create it with private_chat() or group()"
            )
        return chat_id

    # -- feeding updates ------------------------------------------------------------------

    async def push_update(self, payload: JSONDict) -> JSONDict:
        """Queue an update for getUpdates after checking PTB can parse it (`update_id` added)."""
        if "update_id" not in payload:
            self._next_update_id += 1
            payload = {"update_id": self._next_update_id, **payload}
        validate_update(payload)
        self._next_update_id = max(self._next_update_id, int(payload["update_id"]))
        await self.queue_update(payload)
        return payload

    async def send_text(
        self, chat: ChatRef, user: JSONDict, text: str, reply_to: int | None = None
    ) -> JSONDict | None:
        """A user writes `text` (entities added); None if privacy mode keeps it from the bot."""
        chat_json = self.chats[self._chat_id(chat)]
        payload: JSONDict = {
            "message_id": self.next_message_id(chat_json["id"]),
            "from": user,
            "chat": chat_json,
            "date": int(time.time()),
            "text": text,
        }
        if entities := text_entities(text):
            payload["entities"] = entities
        if reply_to is not None:
            payload["reply_to_message"] = copy.deepcopy(
                self.message(chat_json["id"], reply_to).payload
            )
        self.store(FakeMessage(copy.deepcopy(payload), "text", from_bot=False))
        if not self._delivered(payload):
            return None
        await self.push_update({"message": payload})
        return payload

    async def send_command(
        self,
        chat: ChatRef,
        user: JSONDict,
        command: str,
        args: str = "",
        *,
        reply_to: int | None = None,
    ) -> JSONDict | None:
        """A user sends `/cmd` or `/cmd@BotName`, optionally followed by `args`."""
        if not command.startswith("/") or " " in command:
            raise ValueError(f"a command looks like '/start' or '/start@Bot', got {command!r}")
        return await self.send_text(chat, user, f"{command} {args}".strip(), reply_to)

    async def press(
        self, chat: ChatRef, user: JSONDict, message_id: int, data: str, *, check: bool = True
    ) -> str:
        """A user presses the inline button carrying `data`; returns the callback query id.

        With `check` the button must be on the message's CURRENT keyboard, as in a real client.
        """
        message = self.message(self._chat_id(chat), message_id)
        if check and data not in {d for row in message.buttons() for _, d in row}:
            raise ValueError(
                f"message {message_id} has no button with callback_data {data!r}; "
                f"its buttons are {message.buttons()}"
            )
        self._next_callback_id += 1
        query_id = f"{self.bot_user['id']}{self._next_callback_id:08d}"
        self.pending_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": user,
            "message": copy.deepcopy(message.payload),
            "chat_instance": f"ci{message.chat_id}",
            "data": data,
        }
        await self.push_update({"callback_query": query})
        return query_id

    def _delivered(self, payload: JSONDict) -> bool:
        chat = payload["chat"]
        if not self.privacy_mode or chat["type"] == "private":
            return True
        if self.admins.get(chat["id"], {}).get(int(self.bot_user["id"])):
            return True
        mine = f"@{self.bot_username}".lower()
        for entity in payload.get("entities", []):
            word = payload["text"][entity["offset"] :][: entity["length"]].lower()
            if entity["type"] == "mention" and word == mine:
                return True
            if entity["type"] == "bot_command" and entity["offset"] == 0:
                return "@" not in word or word.endswith(mine)
        reply = payload.get("reply_to_message")
        return bool(reply and reply.get("from", {}).get("id") == self.bot_user["id"])

    # -- observing ------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: float | None = None,
        description: str | None = None,
        times: int = 1,
        disconnect: bool = False,
    ) -> None:
        """Answer the next `times` calls of `method` with an error instead of running it.

        429 carries `parameters.retry_after` (default 1; a float such as 0.01 keeps tests fast,
        PTB raises RetryAfter); 400 -> BadRequest, 403 -> Forbidden, 502 -> NetworkError.
        `disconnect=True` closes the connection without an answer (PTB: NetworkError).
        """
        self.add_failure(method, failure(status, retry_after, description, times, disconnect))

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - the brief's signature; used via asyncio.timeout
        *,
        include_consumed: bool = False,
    ) -> Call:
        """The first recorded `method` call matching `predicate`, awaiting it if needed.

        A returned call is consumed: a later wait skips it unless `include_consumed`. Calls are
        recorded when answered (with status and result), getUpdates when it arrives.
        """

        def find() -> Call | None:
            for call in self.calls:
                if call.method.lower() != method.lower() or (
                    call.consumed and not include_consumed
                ):
                    continue
                if predicate is None or predicate(call):
                    return call
            return None

        try:
            async with self._calls_changed, asyncio.timeout(timeout):
                await self._calls_changed.wait_for(lambda: find() is not None)
        except TimeoutError:
            seen = ", ".join(str(c) for c in self.calls[-40:]) or "none"
            raise AssertionError(
                f"no matching {method} call within {timeout}s; saw: {seen}"
            ) from None
        found = find()
        assert found is not None
        found.consumed = True
        return found

    async def wait_for_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        """The answerCallbackQuery of callback `query_id` (toast or alert)."""
        await self.wait_for_call(
            "answerCallbackQuery",
            lambda c: c.ok and str(c.params.get("callback_query_id")) == query_id,
            timeout,
            include_consumed=True,
        )
        return self.callback_answers[query_id]

    def message(self, chat_id: int, message_id: int) -> FakeMessage:
        """A message in its current state (KeyError naming what exists if unknown or deleted)."""
        found = self.messages.get((chat_id, message_id))
        if found is None:
            known = sorted(mid for cid, mid in self.messages if cid == chat_id)
            raise KeyError(f"no message {message_id} in chat {chat_id}; known ids: {known}")
        return found

    def bot_messages(self, chat_id: int) -> list[FakeMessage]:
        """Messages the bot sent to `chat_id` and has not deleted, oldest first."""
        mine = [m for (cid, _), m in self.messages.items() if cid == chat_id and m.from_bot]
        return sorted(mine, key=lambda m: m.message_id)

    def buttons(self, chat_id: int, message_id: int) -> list[list[tuple[str, str | None]]]:
        """Current inline keyboard of a message as rows of (text, callback_data or url)."""
        return self.message(chat_id, message_id).buttons()

    def max_edits_within(self, chat_id: int, seconds: float = 1.0) -> int:
        """The most edit calls to `chat_id` that fell inside any window of `seconds`."""
        times = sorted(self.edit_times.get(chat_id, []))
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] >= seconds:
                start += 1
            best = max(best, end - start + 1)
        return best


# -- wiring helpers and fixtures ----------------------------------------------------------
