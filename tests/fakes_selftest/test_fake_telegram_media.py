"""People sending photos and files on the Telegram fake, received by the real
python-telegram-bot 22.8 client: photo sizes, documents, getFile and the download route."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from PIL import Image
from telegram import Bot, Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from tests.support.fakes.telegram import FakeTelegram, application_builder, running

GPS_IFD = 0x8825


def jpeg_with_gps(size: tuple[int, int] = (1000, 600)) -> bytes:
    """A JPEG whose EXIF carries a GPS position and a camera maker."""
    image = Image.new("RGB", size, (40, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "FakeCam"  # Make
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


class Inbox:
    """A bot that keeps every photo or document message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.changed = asyncio.Condition()

    async def keep(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        async with self.changed:
            self.messages.append(update.effective_message)
            self.changed.notify_all()


@pytest_asyncio.fixture
async def inbox(telegram_fake: FakeTelegram) -> AsyncIterator[tuple[Inbox, Bot]]:
    box = Inbox()
    app: Application = application_builder(telegram_fake).build()  # type: ignore[type-arg]
    app.add_handler(MessageHandler(filters.PHOTO | filters.Document.ALL, box.keep))
    async with running(app):
        await telegram_fake.wait_for_call("getUpdates")
        yield box, app.bot


async def received(fake: FakeTelegram, box: Inbox, count: int) -> Message:
    """The `count`-th message the bot received (waiting for it)."""
    async with box.changed, asyncio.timeout(5):
        await box.changed.wait_for(lambda: len(box.messages) >= count)
    return box.messages[count - 1]


async def test_a_photo_arrives_as_sizes_each_its_own_file(
    telegram_fake: FakeTelegram, inbox: tuple[Inbox, Bot]
) -> None:
    box, bot = inbox
    ann = telegram_fake.user(42, "Ann")
    chat = telegram_fake.private_chat(ann)
    await telegram_fake.send_photo(chat, ann, jpeg_with_gps(), caption="my chair")
    message = await received(telegram_fake, box, 1)
    assert message.caption == "my chair"
    sides = [max(p.width, p.height) for p in message.photo]
    assert sides == [90, 320, 800, 1000]
    assert len({p.file_id for p in message.photo}) == 4
    assert all(p.file_size for p in message.photo)
    largest = await bot.get_file(message.photo[-1].file_id)
    assert largest.file_size == message.photo[-1].file_size and largest.file_path
    data = bytes(await largest.download_as_bytearray())
    with Image.open(io.BytesIO(data)) as image:
        # Telegram re-encodes photos: the size stays, the metadata goes
        assert (image.format, image.size) == ("JPEG", (1000, 600))
        assert not image.getexif()
    assert telegram_fake.downloads == [largest.file_path.rsplit("/bot", 1)[-1].split("/", 1)[1]]


async def test_a_document_keeps_its_bytes_name_and_type(
    telegram_fake: FakeTelegram, inbox: tuple[Inbox, Bot]
) -> None:
    box, bot = inbox
    ann = telegram_fake.user(42, "Ann")
    chat = telegram_fake.private_chat(ann)
    original = jpeg_with_gps((300, 200))
    await telegram_fake.send_document(chat, ann, "chair.jpg", original)
    await telegram_fake.send_document(chat, ann, "notes.txt", b"hello")
    photo_doc = (await received(telegram_fake, box, 1)).document
    text_doc = (await received(telegram_fake, box, 2)).document
    assert photo_doc is not None and text_doc is not None
    assert (photo_doc.file_name, photo_doc.mime_type) == ("chair.jpg", "image/jpeg")
    assert (text_doc.file_name, text_doc.mime_type) == ("notes.txt", "text/plain")
    assert photo_doc.file_size == len(original)
    tg_file = await bot.get_file(photo_doc.file_id)
    data = bytes(await tg_file.download_as_bytearray())
    assert data == original
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif().get_ifd(0x8825)  # a file sent as a file keeps its EXIF


async def test_get_file_refuses_over_20_mb_and_nothing_is_downloaded(
    telegram_fake: FakeTelegram, inbox: tuple[Inbox, Bot]
) -> None:
    box, bot = inbox
    ann = telegram_fake.user(42, "Ann")
    chat = telegram_fake.private_chat(ann)
    await telegram_fake.send_document(chat, ann, "huge.jpg", b"x", declared_size=30 * 2**20)
    small = jpeg_with_gps((80, 60))
    await telegram_fake.send_photo(chat, ann, small, declared_sizes=[21 * 2**20])
    document = (await received(telegram_fake, box, 1)).document
    photo = (await received(telegram_fake, box, 2)).photo
    assert document is not None and document.file_size == 30 * 2**20
    assert [p.file_size for p in photo] == [21 * 2**20]
    for file_id in (document.file_id, photo[-1].file_id):
        with pytest.raises(BadRequest, match="too big"):
            await bot.get_file(file_id)
    assert telegram_fake.downloads == []
    with pytest.raises(ValueError, match="1 sizes"):
        await telegram_fake.send_photo(chat, ann, small, declared_sizes=[1, 2])


async def test_privacy_mode_reads_captions_like_texts() -> None:
    async with FakeTelegram(privacy_mode=True) as fake:
        ann = fake.user(42, "Ann")
        group = fake.group(-100777, "Photos")
        assert await fake.send_photo(group, ann, jpeg_with_gps((50, 50))) is None
        plain: Any = await fake.send_document(group, ann, "a.csv", b"a\n", caption="look")
        assert plain is None
        command = await fake.send_document(group, ann, "a.csv", b"a\n", caption="/campaign x")
        assert command is not None and command["caption_entities"][0]["type"] == "bot_command"
        private = fake.private_chat(ann)
        assert await fake.send_photo(private, ann, jpeg_with_gps((50, 50))) is not None
        assert len(fake.pending_updates) == 2
