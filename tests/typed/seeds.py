"""A transcription campaign for tests: images of words drawn with Pillow, the text as truth."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageDraw

from storage import SqlStore
from storage.rows import CampaignRow, NewCampaign, NewItem

NOW = 1_767_225_600.0


def word_png(text: str) -> bytes:
    """A small white image with `text` written on it in black."""
    image = Image.new("RGB", (16 + 8 * len(text), 32), "white")
    ImageDraw.Draw(image).text((8, 10), text, fill="black")
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


async def seed_transcribe(
    store: SqlStore,
    words: list[str],
    *,
    name: str = "hand",
    min_overlap: int = 3,
    max_overlap: int = 5,
    confidence: float = 0.8,
    settings: dict[str, Any] | None = None,
    gold: int = 0,
) -> CampaignRow:
    """An active transcribe campaign over one image per word (the first `gold` are gold)."""
    ds = await store.create_dataset(f"{name}-data", "image", "", NOW)
    items = [
        NewItem(
            kind="image",
            source=f"w{i}.png",
            text=None,
            gold=w if i < gold else None,
            gold_explanation=None,
            truth=w,
            media=word_png(w),
            mime="image/png",
            candidate=None,
        )
        for i, w in enumerate(words)
    ]
    await store.add_items(ds.id, items, NOW)
    new = NewCampaign(
        name,
        "transcribe",
        ds.id,
        "",
        [],
        min_overlap,
        max_overlap,
        confidence,
        0.0,
        settings=settings or {"case": "fold", "spaces": "collapse", "max_chars": 200},
    )
    return await store.create_campaign(new, NOW)
