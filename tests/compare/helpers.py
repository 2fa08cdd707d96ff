"""A compare campaign and its players' steps, at engine level."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from bot.core.campaigns.importing import make_spec, store_import
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import PlayerRef, Reply
from storage import CampaignRow, ItemRow
from storage.rows import NewItem

SIZES = (10, 20, 30, 40)
"""Radii of the discs of the image campaign: the bigger, the better."""


def disc_png(radius: int) -> bytes:
    img = Image.new("RGB", (96, 96), "white")
    ImageDraw.Draw(img).ellipse((48 - radius, 48 - radius, 48 + radius, 48 + radius), "navy")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


async def compare_campaign(
    engine: Engine,
    *,
    name: str = "Discs",
    texts: tuple[str, ...] | None = None,
    pairs_per_item: int = 3,
    max_overlap: int = 3,
) -> CampaignRow:
    """Images of discs (or `texts`); one answer finalizes a pair when it is confident enough."""
    spec = make_spec(
        engine.settings, name, "compare", question="Which disc is bigger?", min_overlap=1,
        max_overlap=max_overlap, confidence=0.9, gold_rate=0.0,
        game_settings={"pairs_per_item": str(pairs_per_item)},
    )  # fmt: skip
    if texts is not None:
        items = [NewItem(kind="text", source=f"t{i}", text=t) for i, t in enumerate(texts)]
        return await store_import(engine.store, "text", "test", items, spec, engine.now())
    items = [
        NewItem(kind="image", source=f"disc{r}", media=disc_png(r), mime="image/png")
        for r in SIZES
    ]
    return await store_import(engine.store, "image", "test", items, spec, engine.now())


def think(engine: Engine, seconds: float = 8.0) -> None:
    clock = engine.kernel.clock
    assert isinstance(clock, ManualClock)
    clock.advance(seconds)


async def task(engine: Engine, ref: PlayerRef) -> tuple[Reply, ItemRow]:
    """The player's next /play card and the item it shows."""
    card = await engine.play.next_task(ref)
    think(engine)
    assert card.round_id is not None
    rnd = await engine.store.get_round(card.round_id)
    assert rnd is not None
    item = await engine.store.get_item(rnd.item_id)
    assert item is not None
    return card, item


def truthful_choice(item: ItemRow, score: dict[int, float]) -> int:
    """0 (left) when the left base item is better by `score`, else 1 (right)."""
    return 0 if score[item.meta["left_id"]] > score[item.meta["right_id"]] else 1
