"""The Telegram fake against the real python-telegram-bot 22.8 client, started by hand."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiohttp import web
from PIL import Image
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    Application,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)
from telegram.helpers import escape_markdown

from tests.support.fakes.telegram import SECRET_HEADER, FakeTelegram, application_builder, running
from tests.support.fakes.telegram.payloads import plain_text, text_entities

CHOICES = ("Cat", "Dog")
COMMANDS = [BotCommand("start", "Show a task"), BotCommand("photo", "Send a picture")]


def png_bytes(
    size: tuple[int, int] = (64, 32), color: tuple[int, int, int] = (200, 30, 30)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def gif_bytes() -> bytes:
    frames = [Image.new("RGB", (40, 20), color) for color in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=600)
    return out.getvalue()


class RetryAfterLimiter(BaseRateLimiter[None]):
    """Retries a request once per RetryAfter, sleeping what Telegram asked for."""

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Any:
        for _ in range(3):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                await asyncio.sleep(exc.retry_after.total_seconds())  # type: ignore[union-attr]
        return await callback(*args, **kwargs)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with a two-button task card."""
    buttons = [InlineKeyboardButton(c, callback_data=f"v1:a:1:{i}") for i, c in enumerate(CHOICES)]
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        "What is this?", reply_markup=InlineKeyboardMarkup([buttons])
    )


async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send a generated picture."""
    assert update.effective_message is not None
    await update.effective_message.reply_photo(png_bytes(), caption="a red box")


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Toast the choice to the presser and close the card."""
    query = update.callback_query
    assert query is not None and query.data is not None
    choice = CHOICES[int(query.data.rsplit(":", 1)[1])]
    await query.answer(f"You picked {choice}")
    await query.edit_message_text(f"Answer recorded: {choice}")


async def post_init(app: Application) -> None:  # type: ignore[type-arg]
    await app.bot.set_my_commands(COMMANDS)


def build_app(fake: FakeTelegram) -> Application:  # type: ignore[type-arg]
    app = application_builder(fake).post_init(post_init).rate_limiter(RetryAfterLimiter()).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("photo", photo))
    app.add_handler(CallbackQueryHandler(answer, pattern=r"^v1:a:"))
    return app


@pytest_asyncio.fixture
async def tg_app(telegram_fake: FakeTelegram) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    async with running(build_app(telegram_fake)) as app:
        await telegram_fake.wait_for_call("getUpdates")
        yield app


@pytest_asyncio.fixture
async def bare_bot(telegram_fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(
        telegram_fake.token,
        base_url=telegram_fake.base_url,
        base_file_url=telegram_fake.base_file_url,
    ) as bot:
        yield bot


# -- with the running application ------------------------------------------------------------


async def test_startup_sequence_and_commands(telegram_fake: FakeTelegram, tg_app: Any) -> None:
    order = [c.method for c in telegram_fake.calls[:4]]
    assert order == ["getMe", "setMyCommands", "deleteWebhook", "getUpdates"]
    assert tg_app.bot.username == "TestBot"
    assert tg_app.bot.can_read_all_group_messages is True
    assert list(await tg_app.bot.get_my_commands()) == COMMANDS


async def test_private_command_gets_a_keyboard(telegram_fake: FakeTelegram, tg_app: Any) -> None:
    ann = telegram_fake.user(42, "Ann")
    chat = telegram_fake.private_chat(ann)
    await telegram_fake.send_command(chat, ann, "/start")
    call = await telegram_fake.wait_for_call("sendMessage")
    assert call.ok and "reply_parameters" not in call.params  # PTB does not quote in private
    sent = telegram_fake.message(chat["id"], call.result["message_id"])
    assert sent.text == "What is this?"
    assert sent.buttons() == [[("Cat", "v1:a:1:0"), ("Dog", "v1:a:1:1")]]


async def test_group_command_for_another_bot_is_ignored(
    telegram_fake: FakeTelegram, tg_app: Any
) -> None:
    ann = telegram_fake.user(42, "Ann")
    group = telegram_fake.group(-100123, "Test group")
    await telegram_fake.send_command(group, ann, "/start@OtherBot")
    mine = await telegram_fake.send_command(group, ann, "/start@TestBot", "now")
    assert mine is not None
    # Updates are handled in order, so a reply to /start@OtherBot would have come first.
    call = await telegram_fake.wait_for_call("sendMessage")
    assert call.params["reply_parameters"]["message_id"] == mine["message_id"]
    assert call.result["reply_to_message"]["text"] == "/start@TestBot now"


async def test_button_press_toasts_and_edits_the_card(
    telegram_fake: FakeTelegram, tg_app: Any
) -> None:
    ann = telegram_fake.user(42, "Ann")
    group = telegram_fake.group(-100123, "Test group")
    await telegram_fake.send_command(group, ann, "/start")
    card_id = (await telegram_fake.wait_for_call("sendMessage")).result["message_id"]

    query_id = await telegram_fake.press(group, ann, card_id, "v1:a:1:1")
    toast = await telegram_fake.wait_for_answer(query_id)
    assert (toast.text, toast.show_alert) == ("You picked Dog", False)
    await telegram_fake.wait_for_call("editMessageText")
    card = telegram_fake.message(group["id"], card_id)
    assert card.text == "Answer recorded: Dog"
    assert card.buttons() == []  # an edit without reply_markup drops the keyboard
    with pytest.raises(ValueError, match="no button"):
        await telegram_fake.press(group, ann, card_id, "v1:a:1:0")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await tg_app.bot.edit_message_text("Answer recorded: Dog", group["id"], card_id)


async def test_photo_upload_arrives_as_an_image(telegram_fake: FakeTelegram, tg_app: Any) -> None:
    ann = telegram_fake.user(42, "Ann")
    chat = telegram_fake.private_chat(ann)
    await telegram_fake.send_command(chat, ann, "/photo")
    call = await telegram_fake.wait_for_call("sendPhoto")
    sent = telegram_fake.message(chat["id"], call.result["message_id"])
    image = sent.image()
    assert (image.size, image.convert("RGB").getpixel((5, 5))) == ((64, 32), (200, 30, 30))
    assert sent.caption == "a red box"
    largest = call.result["photo"][-1]
    assert (largest["width"], largest["height"]) == (64, 32)
    tg_file = await tg_app.bot.get_file(largest["file_id"])
    assert bytes(await tg_file.download_as_bytearray()) == png_bytes()


async def test_send_rate_limit_is_retried(telegram_fake: FakeTelegram, tg_app: Any) -> None:
    ann = telegram_fake.user(42, "Ann")
    chat = telegram_fake.private_chat(ann)
    telegram_fake.fail_next("sendMessage", status=429, retry_after=0.01)
    await telegram_fake.send_command(chat, ann, "/start")
    refused = await telegram_fake.wait_for_call("sendMessage")
    assert refused.status == 429
    retried = await telegram_fake.wait_for_call("sendMessage")
    assert retried.ok
    assert telegram_fake.bot_messages(chat["id"])[-1].text == "What is this?"


async def test_polling_survives_a_rate_limited_get_updates(telegram_fake: FakeTelegram) -> None:
    telegram_fake.fail_next("getUpdates", status=429, retry_after=0.01)
    ann = telegram_fake.user(42, "Ann")
    chat = telegram_fake.private_chat(ann)
    await telegram_fake.send_command(chat, ann, "/start")
    async with running(build_app(telegram_fake)):
        assert (await telegram_fake.wait_for_call("sendMessage")).ok
    statuses = [c.status for c in telegram_fake.calls if c.method == "getUpdates"]
    assert statuses[0] == 429


async def test_shutdown_leaves_no_tasks(telegram_fake: FakeTelegram) -> None:
    async with running(build_app(telegram_fake)):
        await telegram_fake.wait_for_call("getUpdates")
    await telegram_fake.stop()  # the fake's own held poll handler must go too
    leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert leftover == []
    final_poll = telegram_fake.calls[-1]
    assert (final_poll.method, final_poll.params.get("timeout")) == ("getUpdates", 0)


# -- the fake's own rules, with a bare Bot -----------------------------------------------------


async def test_errors_map_to_ptb_exceptions(telegram_fake: FakeTelegram, bare_bot: Bot) -> None:
    chat = telegram_fake.private_chat(telegram_fake.user(42, "Ann"))
    telegram_fake.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as rate_limited:
        await bare_bot.send_message(chat["id"], "hi")
    assert rate_limited.value.retry_after.total_seconds() == 3  # type: ignore[union-attr]
    telegram_fake.fail_next("sendMessage", status=400)
    with pytest.raises(BadRequest, match=r"(?i)injected failure"):
        await bare_bot.send_message(chat["id"], "hi")
    telegram_fake.fail_next("sendMessage", disconnect=True)
    with pytest.raises(NetworkError, match="disconnected"):
        await bare_bot.send_message(chat["id"], "hi")
    telegram_fake.fail_next("sendMessage", status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bare_bot.send_message(chat["id"], "hi")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bare_bot.send_message(999, "hi")
    with pytest.raises(EndPointNotFound):  # PTB's reading of 404 "method not found"
        await bare_bot.do_api_request("noSuchMethod")
    assert (await bare_bot.send_message(chat["id"], "hi")).text == "hi"


async def test_wrong_token_is_unauthorized(telegram_fake: FakeTelegram) -> None:
    bot = Bot("999:WRONG", base_url=telegram_fake.base_url)
    try:
        with pytest.raises(InvalidToken):
            await bot.initialize()
    finally:
        await bot.shutdown()
    assert telegram_fake.calls[-1].status == 401


async def test_telegram_rules_the_bot_must_respect(
    telegram_fake: FakeTelegram, bare_bot: Bot
) -> None:
    chat_id = telegram_fake.private_chat(telegram_fake.user(42, "Ann"))["id"]
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bare_bot.send_message(chat_id, "score <3 for <b>Ann</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)reserved"):
        await bare_bot.send_message(chat_id, "Level 2. Well done!", parse_mode="MarkdownV2")
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bare_bot.send_message(chat_id, "task", reply_markup=too_long)
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await bare_bot.send_photo(chat_id, b"not an image")
    sent = await bare_bot.send_message(chat_id, "<b>Ann</b> &amp; Bo", parse_mode="HTML")
    assert telegram_fake.message(chat_id, sent.message_id).text == "Ann & Bo"


async def test_animation_comes_back_as_mp4(telegram_fake: FakeTelegram, bare_bot: Bot) -> None:
    chat_id = telegram_fake.private_chat(telegram_fake.user(42, "Ann"))["id"]
    sent = await bare_bot.send_animation(chat_id, gif_bytes(), filename="replay.gif")
    assert sent.animation is not None
    assert (sent.animation.mime_type, sent.animation.width) == ("video/mp4", 40)
    assert getattr(telegram_fake.message(chat_id, sent.message_id).image(), "n_frames", 1) == 2
    again = await bare_bot.send_animation(chat_id, sent.animation.file_id)
    assert again.animation is not None and again.animation.file_id == sent.animation.file_id


async def test_caption_edits_track_current_state(
    telegram_fake: FakeTelegram, bare_bot: Bot
) -> None:
    chat_id = telegram_fake.group(-100555, "Doodles")["id"]
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Skip", callback_data="v1:s:1")]])
    sent = await bare_bot.send_photo(
        chat_id, png_bytes(), caption="Round 1", reply_markup=keyboard
    )
    await bare_bot.edit_message_caption(
        chat_id, sent.message_id, caption="Hint: c_t", reply_markup=keyboard
    )
    card = telegram_fake.message(chat_id, sent.message_id)
    assert (card.caption, card.buttons()) == ("Hint: c_t", [[("Skip", "v1:s:1")]])
    await bare_bot.edit_message_reply_markup(chat_id, sent.message_id)
    assert telegram_fake.buttons(chat_id, sent.message_id) == []
    assert len(telegram_fake.edit_times[chat_id]) == 2
    await bare_bot.delete_message(chat_id, sent.message_id)
    assert telegram_fake.bot_messages(chat_id) == []


async def test_documents_and_media_edits(telegram_fake: FakeTelegram, bare_bot: Bot) -> None:
    chat_id = telegram_fake.group(-100555, "Doodles")["id"]
    doc = await bare_bot.send_document(chat_id, io.BytesIO(b"a,b\n1,2\n"), filename="stats.csv")
    assert doc.document is not None and doc.document.mime_type == "text/csv"
    assert telegram_fake.message(chat_id, doc.message_id).file.data == b"a,b\n1,2\n"  # type: ignore[union-attr]
    sent = await bare_bot.send_photo(chat_id, png_bytes(), caption="Round 1")
    blue = InputMediaPhoto(png_bytes(color=(0, 0, 255)), caption="Round 2")
    await bare_bot.edit_message_media(blue, chat_id, sent.message_id)
    card = telegram_fake.message(chat_id, sent.message_id)
    assert card.caption == "Round 2"
    assert card.image().convert("RGB").getpixel((0, 0)) == (0, 0, 255)


@pytest.mark.parametrize(
    ("text", "mode", "shown"),
    [
        (
            escape_markdown("Level 2. Done! (a+b=c)", version=2),
            "MarkdownV2",
            "Level 2. Done! (a+b=c)",
        ),
        ("*bold* `v1.2` [site](https://x.y/a.b)", "MarkdownV2", "bold v1.2 site"),
        (
            '<a href="https://x.y">x.y</a> <span class="tg-spoiler">s</span> 1 &lt; 2',
            "HTML",
            "x.y s 1 < 2",
        ),
        ("plain <3 text.", None, "plain <3 text."),
    ],
)
def test_valid_markup_is_stored_as_the_text_users_see(
    text: str, mode: str | None, shown: str
) -> None:
    assert plain_text(text, mode) == shown


def test_entities_count_utf16_units() -> None:
    assert text_entities("hi 👋 @TestBot /start@TestBot") == [
        {"type": "mention", "offset": 6, "length": 8},
        {"type": "bot_command", "offset": 15, "length": 14},
    ]


def test_edit_rate_counts_edits_in_any_window() -> None:
    fake = FakeTelegram()
    fake.edit_times[-1] = [0.0, 0.5, 1.2, 1.3, 1.9]
    assert fake.max_edits_within(-1, 1.0) == 3
    assert fake.max_edits_within(-1, 0.05) == 1
    assert fake.max_edits_within(-2) == 0


async def test_admins_and_chat_info(telegram_fake: FakeTelegram, bare_bot: Bot) -> None:
    ann, mod, bob = (telegram_fake.user(i, n) for i, n in ((1, "Ann"), (2, "Mo"), (3, "Bob")))
    group = telegram_fake.group(-100777, "Labelers")
    telegram_fake.set_admins(group, mod, owner=ann)
    admins = await bare_bot.get_chat_administrators(group["id"])
    assert [(a.user.id, a.status) for a in admins] == [(1, "creator"), (2, "administrator")]
    assert (await bare_bot.get_chat_member(group["id"], bob["id"])).status == "member"
    assert (await bare_bot.get_chat(group["id"])).title == "Labelers"


async def test_push_update_rejects_what_ptb_cannot_parse(telegram_fake: FakeTelegram) -> None:
    ann = telegram_fake.user(42, "Ann")
    query = {"id": "1", "from": ann, "data": "x"}  # no chat_instance
    with pytest.raises(ValueError, match="chat_instance"):
        await telegram_fake.push_update({"callback_query": query})
    assert telegram_fake.pending_updates == []


async def test_wait_for_call_names_the_calls_it_saw(
    telegram_fake: FakeTelegram, bare_bot: Bot
) -> None:
    await bare_bot.get_me()
    with pytest.raises(AssertionError, match=r"no matching sendMessage.*saw: getMe"):
        await telegram_fake.wait_for_call("sendMessage", timeout=0.05)


async def test_privacy_mode_filters_group_messages() -> None:
    async with FakeTelegram(privacy_mode=True) as fake:
        ann = fake.user(42, "Ann")
        group = fake.group(-100123, "Test group")
        assert await fake.send_text(group, ann, "just chatting") is None
        assert await fake.send_command(group, ann, "/start@OtherBot") is None
        assert await fake.send_command(group, ann, "/guess", "cat") is not None
        assert await fake.send_text(group, ann, "hey @TestBot, cat?") is not None
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            assert bot.can_read_all_group_messages is False
            card = await bot.send_message(group["id"], "Round 1")
        assert await fake.send_text(group, ann, "cat", reply_to=card.message_id) is not None
        fake.set_admins(group, fake.bot_user)
        assert await fake.send_text(group, ann, "admins see everything") is not None
        assert len(fake.pending_updates) == 4


async def test_stopping_releases_a_held_long_poll() -> None:
    fake = FakeTelegram()
    await fake.start()
    async with httpx.AsyncClient() as client:
        poll = asyncio.create_task(
            client.post(f"{fake.base_url}{fake.token}/getUpdates", data={"timeout": "30"})
        )
        await fake.wait_for_call("getUpdates")
        await fake.stop()
        response = await asyncio.wait_for(poll, 5)
    assert response.json() == {"ok": True, "result": []}


# -- webhooks ----------------------------------------------------------------------------------


class Backend:
    """A stand-in for one bot process behind the proxy: records what Telegram POSTs.

    `fail` answers the next requests with 500 (then 200 again); `hold` keeps requests open
    until `release` is set, counting how many are open at once."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.received: list[tuple[str | None, dict[str, Any]]] = []
        self.fail = 0
        self.hold = False
        self.release = asyncio.Event()
        self.open = 0
        self.most_open = 0
        self.open_chats: list[int] = []
        self.arrived = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/telegram", self.receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/telegram"

    async def stop(self) -> None:
        self.release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def receive(self, request: web.Request) -> web.Response:
        body = await request.json()
        chat = body["message"]["chat"]["id"]
        async with self.arrived:
            self.open += 1
            self.most_open = max(self.most_open, self.open)
            self.open_chats.append(chat)
            self.arrived.notify_all()
        try:
            if self.hold:
                await self.release.wait()
            if self.fail > 0:
                self.fail -= 1
                return web.Response(status=500)
            self.received.append((request.headers.get(SECRET_HEADER), body))
            return web.Response(text="ok")
        finally:
            self.open -= 1
            self.open_chats.remove(chat)


@pytest_asyncio.fixture
async def backends() -> AsyncIterator[list[Backend]]:
    found = [Backend("a"), Backend("b")]
    for backend in found:
        await backend.start()
    yield found
    for backend in found:
        await backend.stop()


def _texts(backend: Backend) -> list[str]:
    return [body["message"]["text"] for _, body in backend.received]


async def test_set_get_and_delete_webhook(telegram_fake: FakeTelegram, bare_bot: Bot) -> None:
    assert (await bare_bot.get_webhook_info()).url == ""
    await bare_bot.set_webhook(
        "https://bot.example.org/telegram",
        secret_token="s3cret_-X",
        allowed_updates=["message"],
        max_connections=7,
    )
    info = await bare_bot.get_webhook_info()
    assert (info.url, info.max_connections, info.allowed_updates) == (
        "https://bot.example.org/telegram",
        7,
        ("message",),
    )
    assert telegram_fake.webhook is not None
    assert telegram_fake.webhook.secret_token == "s3cret_-X"
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bare_bot.get_updates()
    assert await bare_bot.delete_webhook()
    assert (await bare_bot.get_webhook_info()).url == ""
    assert await bare_bot.get_updates() == ()


@pytest.mark.parametrize(
    ("url", "secret", "problem"),
    [
        ("http://bot.example.org/telegram", None, "An HTTPS URL must be provided"),
        ("https://bot.example.org/telegram", "no spaces", "secret token contains unallowed"),
        ("https://bot.example.org/telegram", "x" * 257, "secret token contains unallowed"),
    ],
)
async def test_set_webhook_follows_the_bot_api_rules(
    bare_bot: Bot, url: str, secret: str | None, problem: str
) -> None:
    with pytest.raises(BadRequest, match=f"(?i){problem}"):
        await bare_bot.set_webhook(url, secret_token=secret)
    assert (await bare_bot.get_webhook_info()).url == ""


async def test_updates_are_posted_round_robin_with_the_secret(
    telegram_fake: FakeTelegram, bare_bot: Bot, backends: list[Backend]
) -> None:
    ann = telegram_fake.user(42, "Ann")
    chat = telegram_fake.private_chat(ann)
    await telegram_fake.send_text(chat, ann, "one")  # pending before the webhook exists
    telegram_fake.route_webhook([b.url for b in backends])
    await bare_bot.set_webhook("https://bot.example.org/telegram", secret_token="tok")
    for text in ("two", "three", "four"):
        await telegram_fake.send_text(chat, ann, text)
    await telegram_fake.wait_until_delivered()
    assert _texts(backends[0]) == ["one", "three"]
    assert _texts(backends[1]) == ["two", "four"]
    assert {secret for b in backends for secret, _ in b.received} == {"tok"}
    assert (await bare_bot.get_webhook_info()).pending_update_count == 0


async def test_a_failed_delivery_is_retried_at_the_next_backend(
    telegram_fake: FakeTelegram, bare_bot: Bot, backends: list[Backend]
) -> None:
    ann = telegram_fake.user(42, "Ann")
    chat = telegram_fake.private_chat(ann)
    backends[0].fail = 1
    telegram_fake.route_webhook([b.url for b in backends])
    await bare_bot.set_webhook("https://bot.example.org/telegram")
    await telegram_fake.send_text(chat, ann, "one")
    await telegram_fake.send_text(chat, ann, "two")
    await telegram_fake.wait_until_delivered()
    # "one" failed at a (500), went to b; "two" waited for it (one chat, in order), then a
    assert [p.status for p in telegram_fake.webhook_posts] == [500, 200, 200]
    assert _texts(backends[1]) == ["one"]
    assert _texts(backends[0]) == ["two"]
    info = await bare_bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 500"


async def test_a_dead_backend_loses_nothing(
    telegram_fake: FakeTelegram, bare_bot: Bot, backends: list[Backend]
) -> None:
    ann = telegram_fake.user(42, "Ann")
    chat = telegram_fake.private_chat(ann)
    await backends[0].stop()  # connection refused from now on
    telegram_fake.route_webhook([b.url for b in backends])
    await bare_bot.set_webhook("https://bot.example.org/telegram")
    for n in range(4):
        await telegram_fake.send_text(chat, ann, f"m{n}")
    await telegram_fake.wait_until_delivered()
    assert _texts(backends[1]) == ["m0", "m1", "m2", "m3"]
    assert "Connection failed" in str(telegram_fake.last_webhook_error)


async def test_without_backends_the_webhook_url_itself_is_called(
    telegram_fake: FakeTelegram, bare_bot: Bot, backends: list[Backend]
) -> None:
    ann = telegram_fake.user(42, "Ann")
    chat = telegram_fake.private_chat(ann)
    await bare_bot.set_webhook(backends[1].url)
    await telegram_fake.send_text(chat, ann, "hi")
    await telegram_fake.wait_until_delivered()
    assert _texts(backends[1]) == ["hi"] and not backends[0].received


async def test_max_connections_and_one_chat_at_a_time(
    telegram_fake: FakeTelegram, bare_bot: Bot, backends: list[Backend]
) -> None:
    """Five updates from four chats, max_connections 2: two requests open at once, never two
    of one chat; Ann's second message goes after her first one was answered."""
    backend = backends[0]
    backend.hold = True
    people = [telegram_fake.user(40 + n, f"P{n}") for n in range(4)]
    chats = [telegram_fake.private_chat(p) for p in people]
    await telegram_fake.send_text(chats[0], people[0], "ann-1")
    await telegram_fake.send_text(chats[0], people[0], "ann-2")
    for chat, person in zip(chats[1:], people[1:], strict=True):
        await telegram_fake.send_text(chat, person, "hello")
    await bare_bot.set_webhook(backend.url, max_connections=2)
    async with backend.arrived:
        await backend.arrived.wait_for(lambda: backend.open == 2)
    assert backend.open_chats == [chats[0]["id"], chats[1]["id"]]  # ann-2 waits for ann-1
    backend.release.set()
    await telegram_fake.wait_until_delivered()
    assert backend.most_open == 2 and telegram_fake.peak_in_flight == 2
    texts = _texts(backend)
    assert texts.index("ann-1") < texts.index("ann-2") and len(texts) == 5


async def test_drop_pending_updates(telegram_fake: FakeTelegram, bare_bot: Bot) -> None:
    ann = telegram_fake.user(42, "Ann")
    chat = telegram_fake.private_chat(ann)
    await telegram_fake.send_text(chat, ann, "old")
    await bare_bot.set_webhook("https://bot.example.org/telegram", drop_pending_updates=True)
    assert (await bare_bot.get_webhook_info()).pending_update_count == 0
