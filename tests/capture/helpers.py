"""Steps for capture tests: an engine with a capture campaign in the Shape Club guild,
players who consented to the bot (in the guild, so it is their home community), the three
photo consents answered through their buttons, and photos made with Pillow."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from bot.core.campaigns.cases import CreateRequest
from bot.core.engine import Engine
from bot.core.kernel.models import PlayerRef, Reply
from tests.support.engine import DM, GENERAL, MOD, choice_payload, consented, player

NAME = "Chairs"


async def capture_campaign(engine: Engine, name: str = NAME, **settings: str) -> None:
    """An active capture campaign of the guild, created with no upload."""
    chosen = {"prompt": "a photo of a chair in your home", "subject": "chair", **settings}
    await engine.campaigns.campaign_create(
        MOD,
        CreateRequest(name, game="capture", settings=chosen, start=True, min_overlap=3,
                      max_overlap=3),
    )  # fmt: skip


async def contributor(engine: Engine, i: int) -> PlayerRef:
    """Player i consented to the bot in the guild; returns their private-chat ref."""
    await consented(engine, player(i, GENERAL))
    return player(i, DM)


async def answer_consents(
    engine: Engine, ref: PlayerRef, stores: bool = True, owner: bool = True, publish: bool = True
) -> Reply:
    """/contribute, then the three questions answered through their buttons; returns the
    reply to the last answer."""
    reply = await engine.capture.start(ref)
    for yes in (stores, owner, publish):
        reply = await engine.handle_button(ref, choice_payload(reply, "Yes" if yes else "No"))
    return reply


def scene(
    seed: int = 0, size: tuple[int, int] = (320, 240), fmt: str = "JPEG", **kw: object
) -> bytes:
    """A small room with a chair-like shape (Pillow-drawn), as `fmt` bytes."""
    img = Image.new("RGB", size, (200 + seed % 40, 190, 170))
    d = ImageDraw.Draw(img)
    w, h = size
    d.rectangle((0, int(h * 0.7), w, h), fill=(120, 90, 60))
    x = 60 + seed * 7 % 100
    d.rectangle((x, int(h * 0.35), x + 60, int(h * 0.5)), fill=(90, 50, 20))
    d.rectangle((x, int(h * 0.5), x + 8, int(h * 0.8)), fill=(90, 50, 20))
    d.rectangle((x + 52, int(h * 0.5), x + 60, int(h * 0.8)), fill=(90, 50, 20))
    out = io.BytesIO()
    img.save(out, fmt, **kw)  # type: ignore[arg-type]
    return out.getvalue()
