"""Hostile files uploaded by a moderator in a Telegram group, through the real
python-telegram-bot client and the fake Bot API: every one is refused with a message that names
the user's file (never a server path), and nothing is stored."""

from __future__ import annotations

import io
import tempfile

import pytest
from PIL import Image

from tests.support.fakes.telegram.payloads import JSONDict
from tests.support.images import png_bytes
from tests.support.telegram_world import World, shown, start, upload
from tests.support.uploads import zip_of

CREATE = "/campaign create Hostile game=verify"


def _pixel_bomb() -> bytes:
    """A 10,000 x 10,000 one-bit PNG: a few kilobytes that would decode to 100 megapixels."""
    buf = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buf, "PNG")
    return buf.getvalue()


async def _refusal(world: World, group: JSONDict, filename: str, data: bytes) -> str:
    mod = world.person(7, "Mo")
    world.fake.set_admins(group, mod)
    await upload(world, group, mod, filename, data, caption=CREATE)
    reply = shown(await world.sent(group["id"]))
    assert tempfile.gettempdir() not in reply, reply  # never a server path
    assert await world.app.store.get_campaign_by_name("Hostile") is None  # type: ignore[union-attr]
    return reply


@pytest.mark.parametrize(
    ("what", "filename", "data", "named"),
    [
        (
            "a pixel bomb",
            "bomb.zip",
            zip_of({"bomb/big.png": _pixel_bomb(), "bomb/labels.csv": b"file,label\nbig.png,x\n"}),
            "big.png is 10000 x 10000 pixels",
        ),
        (
            "a format that is not allowed",
            "bmp.zip",
            zip_of(
                {
                    "bmp/a.bmp": (lambda b: (Image.new("RGB", (4, 4)).save(b, "BMP"), b)[1])(
                        io.BytesIO()
                    ).getvalue(),
                    "bmp/labels.csv": b"file,label\na.bmp,x\n",
                }
            ),
            "a.bmp",
        ),
        (
            "a NUL byte in the labels",
            "nul.zip",
            zip_of(
                {"nul/a.png": png_bytes("red"), "nul/labels.csv": b"file,label\na.png,r\x00d\n"}
            ),
            "labels.csv line 2: contains a control character (U+0000)",
        ),
        (
            "labels saved as UTF-16",
            "utf16.zip",
            zip_of(
                {
                    "utf16/a.png": png_bytes("red"),
                    "utf16/labels.csv": "file,label\na.png,red\n".encode("utf-16"),
                }
            ),
            "UTF-16",
        ),
        (
            "a folder and a file of one name",
            "clash.zip",
            zip_of({"clash/a": b"x", "clash/a/b.png": png_bytes("red")}),
            "clash/a",
        ),
    ],
)
async def test_a_hostile_upload_is_refused_plainly_and_stores_nothing(
    tg: World, what: str, filename: str, data: bytes, named: str
) -> None:
    world = tg
    await start(world)
    reply = await _refusal(world, world.group(), filename, data)
    assert named in reply, f"{what}: {reply}"
