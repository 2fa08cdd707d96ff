"""A locate campaign for tests: Pillow scenes with known boxes (`bot.demo.locate_sim`)."""

from __future__ import annotations

import random
from typing import Any

from bot.demo.locate_sim import SIZE, scene
from bot.games.locate import BOX, dump
from storage import SqlStore
from storage.rows import CampaignRow, NewCampaign, NewItem

NOW = 1_767_225_600.0


async def seed_locate(
    store: SqlStore,
    n: int = 2,
    *,
    name: str = "bikes",
    min_overlap: int = 2,
    max_overlap: int = 3,
    confidence: float = 0.8,
    settings: dict[str, Any] | None = None,
    gold: int = 0,
) -> CampaignRow:
    """An active locate campaign over `n` scenes (the first `gold` of them gold)."""
    rng = random.Random(5)
    ds = await store.create_dataset(f"{name}-data", "image", "", NOW)
    items = []
    for i in range(n):
        data, truth = scene(rng)
        label = dump(BOX, truth)
        items.append(NewItem(
            kind="image", source=f"scene-{i}.png", gold=label if i < gold else None,
            truth=label, meta={"width": SIZE[0], "height": SIZE[1]}, media=data,
            mime="image/png",
        ))  # fmt: skip
    await store.add_items(ds.id, items, NOW)
    raw = {"instruction": "Box every ball", **(settings or {})}
    from bot.games.locate import LocateGame

    new = NewCampaign(
        name, "locate", ds.id, "", [], min_overlap, max_overlap, confidence, 0.0,
        settings=LocateGame().check_settings(raw),
    )  # fmt: skip
    return await store.create_campaign(new, NOW)
