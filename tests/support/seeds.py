"""Seeded data for tests: a dataset of small images (or texts) and a campaign over it."""

from __future__ import annotations

import dataclasses

from storage import SqlStore
from storage.rows import CampaignRow, NewCampaign, NewItem
from tests.support.images import png_bytes


async def seed_campaign(
    store: SqlStore,
    *,
    name: str = "colours",
    game: str = "verify",
    items: int = 6,
    gold: int = 0,
    options: list[str] | None = None,
    min_overlap: int = 2,
    max_overlap: int = 3,
    confidence: float = 0.8,
    gold_rate: float = 0.0,
    now: float = 1_767_225_600.0,
    text_items: bool = False,
) -> CampaignRow:
    """A dataset of small images (or texts) and an active campaign over it.

    verify items ask "Is this red?"; classify items choose among `options` (default
    red/green/blue). The first `gold` items are gold with an explanation."""
    colours = ["red", "green", "blue"]
    opts = options or (["yes", "no", "not_sure"] if game == "verify" else colours)
    ds = await store.create_dataset(f"{name}-data", "text" if text_items else "image", "", now)
    new: list[NewItem] = []
    for i in range(items):
        colour = colours[i % 3]
        is_gold = i < gold
        if game == "verify":
            truth = "yes" if colour == "red" else "no"
            candidate: str | None = "red"
        else:
            truth = colour
            candidate = None
        new.append(
            NewItem(
                kind="text" if text_items else "image",
                source=f"item{i}.png",
                text=f"The colour of item {i} is {colour}." if text_items else None,
                gold=truth if is_gold else None,
                gold_explanation=f"It is {colour}." if is_gold else None,
                truth=truth,
                media=None if text_items else png_bytes(colour),
                mime=None if text_items else "image/png",
                candidate=candidate,
            )
        )
    await store.add_items(ds.id, new, now)
    question = "Is this {label}?" if game == "verify" else "Which colour is it?"
    return await store.create_campaign(
        NewCampaign(
            name, game, ds.id, question, opts, min_overlap, max_overlap, confidence, gold_rate
        ),
        now,
    )


async def fast_answers_before(
    store: SqlStore, platform: str, user: str, campaign_id: int, n: int = 2
) -> None:
    """Record that the player already gave `n` too-fast answers in the campaign that were let
    through, so (with the shipped `fast_answers_to_flag` = 3) their next fast one is flagged."""
    from bot.core.play.quality import FAST_ALLOWED

    ident = await store.get_identity(platform, user)
    assert ident is not None
    st = await store.get_standing(ident.player_id, campaign_id)
    await store.save_standing(dataclasses.replace(st, flags={**st.flags, FAST_ALLOWED: n}), 0.0)
