"""A rate campaign for tests: text items ("Item i: a glass i/5 full") with a true rating."""

from __future__ import annotations

from typing import Any

from bot.games.registry import get_game
from storage import SqlStore
from storage.rows import CampaignRow, NewCampaign, NewItem

NOW = 1_767_225_600.0


async def seed_rate(
    store: SqlStore,
    *,
    truths: tuple[int, ...] = (4, 2, 5, 1),
    gold: tuple[int, ...] = (),
    min_overlap: int = 3,
    max_overlap: int = 5,
    name: str = "glasses",
    **raw: str,
) -> CampaignRow:
    """Text items rated 1..5 by `truths` (the first `len(gold)` of them gold with those
    ratings) and an active campaign with settings `raw` (checked by the game)."""
    settings: dict[str, Any] = get_game("rate").check_settings(
        {"low": "empty", "high": "full", **raw}
    )
    ds = await store.create_dataset(f"{name}-data", "text", "", NOW)
    items = [
        NewItem(
            kind="text",
            source=f"glass{i}",
            text=f"Glass {i} is {t}/5 full.",
            gold=str(gold[i]) if i < len(gold) else None,
            truth=str(t),
        )
        for i, t in enumerate(truths)
    ]
    await store.add_items(ds.id, items, NOW)
    return await store.create_campaign(
        NewCampaign(
            name,
            "rate",
            ds.id,
            "How full is the glass?",
            [],
            min_overlap,
            max_overlap,
            0.8,
            0.0,
            settings=settings,
        ),
        NOW,
    )
