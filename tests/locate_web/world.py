"""A locate campaign for the canvas tests: 400 x 300 images (size in `meta`, as imports
record it) and a box or point campaign over them."""

from __future__ import annotations

import io
import json

from PIL import Image, ImageDraw

from storage import SqlStore
from storage.rows import CampaignRow, NewCampaign, NewItem

WIDTH, HEIGHT = 400, 300
NOW = 1_767_225_600.0
INSTRUCTION = {"box": "Box every red square", "point": "Tap every red square"}


def scene_png(i: int) -> bytes:
    """A grey photo with two red squares (so a screenshot shows what to box)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (200, 205, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40 + i, 50, 140 + i, 150), fill=(220, 30, 40))
    draw.rectangle((240, 120 + i, 340, 220 + i), fill=(220, 30, 40))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


async def locate_campaign(
    store: SqlStore,
    *,
    shape: str = "box",
    name: str = "bikes",
    items: int = 3,
    community_id: int | None = None,
) -> CampaignRow:
    ds = await store.create_dataset(f"{name}-data", "image", "", NOW)
    new = [
        NewItem(
            kind="image",
            source=f"scene{i}.png",
            media=scene_png(i),
            mime="image/png",
            meta={"width": WIDTH, "height": HEIGHT},
        )
        for i in range(items)
    ]
    await store.add_items(ds.id, new, NOW)
    settings = {"shape": shape, "instruction": INSTRUCTION[shape], "min_support": 2}
    spec = NewCampaign(
        name, "locate", ds.id, INSTRUCTION[shape], [], 2, 3, 0.8, 0.0,
        community_id=community_id, settings=settings,
    )  # fmt: skip
    return await store.create_campaign(spec, NOW)


async def stored_answers(store: SqlStore) -> list[dict[str, list[list[float]]]]:
    """Every stored answer's marks, decoded."""
    async with store.db.read() as c:
        rows = await c.fetch("SELECT label FROM answers ORDER BY id")
    return [json.loads(r[0]) for r in rows]
