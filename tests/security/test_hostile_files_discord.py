"""Hostile files attached to `/campaign create` in a Discord server, through the real
discord.py client and the fake API: each is refused privately with a message that names the
user's file (never a server path), and nothing is stored."""

from __future__ import annotations

import io
import tempfile

import pytest
from PIL import Image

from tests.support.discord_world import World, shown
from tests.support.images import png_bytes
from tests.support.uploads import zip_of


def _png(size: tuple[int, int], mode: str = "1") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("attachments", "named"),
    [
        (  # a 10,000 x 10,000 one-bit PNG: a few kilobytes, 100 megapixels once decoded
            {
                "file": (
                    "bomb.zip",
                    zip_of(
                        {
                            "b/big.png": _png((10_000, 10_000)),
                            "b/labels.csv": b"file,label\nbig.png,x\n",
                        }
                    ),
                )
            },
            "big.png is 10000 x 10000 pixels",
        ),
        (
            {
                "file": ("c.zip", zip_of({"c/a.png": png_bytes("red")})),
                "labels": ("labels.csv", b"file,label\na.png,r\x00d\n"),
            },
            "labels.csv line 2: contains a control character (U+0000)",
        ),
        (
            {
                "file": ("c.zip", zip_of({"c/a.png": png_bytes("red")})),
                "labels": ("labels.csv", "file,label\na.png,red\n".encode("utf-16")),
            },
            "labels.csv is not UTF-8 (it looks like UTF-16)",
        ),
        (
            {
                "file": (
                    "evil.zip",
                    zip_of({"../../evil.png": png_bytes("red"), "labels.csv": b"file,label\n"}),
                )
            },
            "../../evil.png",
        ),
    ],
)
async def test_a_hostile_attachment_is_refused_privately_and_stores_nothing(
    dc: World, attachments: dict[str, tuple[str, bytes]], named: str
) -> None:
    world = dc
    await world.start_app()
    options = {"name": "Hostile", "game": "verify", **attachments}
    ix = await world.fake.slash(world.mo, world.channel, "campaign", options, subcommand="create")
    done = await ix.wait_done()
    reply = shown(done.original)
    assert done.ephemeral and named in reply, reply
    assert tempfile.gettempdir() not in reply  # never a server path
    assert world.apps[0].store is not None
    assert await world.apps[0].store.get_campaign_by_name("Hostile") is None
