"""Datasets as a moderator would upload them, and refs for engine-level tests."""

from __future__ import annotations

import io
import zipfile

from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef
from tests.support import png_bytes

COLOURS = ("red", "green", "blue", "red")


def images_zip(n: int = 4, *, with_labels: bool = True, folder: str = "colours") -> bytes:
    """A zipped folder of `n` small images, with labels.csv (file,label) unless told not."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(n):
            zf.writestr(f"{folder}/img{i}.png", png_bytes(COLOURS[i % len(COLOURS)]))
        if with_labels:
            zf.writestr(f"{folder}/labels.csv", labels_csv(n))
    return buf.getvalue()


def labels_csv(n: int = 4) -> bytes:
    return ("file,label\n" + "".join(f"img{i}.png,red\n" for i in range(n))).encode()


def group_ref(
    user: str = "7", name: str = "Mo", *, chat: str = "-100123", moderator: bool = True,
    platform: str = "telegram",
) -> PlayerRef:  # fmt: skip
    community = CommunityRef(platform, chat, "Labelers")
    channel = ChannelRef(platform, chat, "Labelers", Kind.GROUP, community)
    return PlayerRef(platform, user, name, channel, moderator)


def private_ref(user: str, name: str = "Admin", platform: str = "telegram") -> PlayerRef:
    channel = ChannelRef(platform, user, "private chat", Kind.PRIVATE)
    return PlayerRef(platform, user, name, channel)
