"""The store's protocol for the translate game (issue 16; part of `storage.base.Store`).

Rules: a player's languages are replaced as a whole; an item's excluded players are never
served it by the solo next-task query; the decision about a source sentence is made once
(`open_comparison` inserts its row once; `decide_source` moves it on only from comparing)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from storage.rows import NewItem
from storage.rows.translate import TranslateSourceRow


class TranslateStore(Protocol):
    """Player languages, item exclusions, source decisions."""

    async def set_player_languages(self, player_id: int, codes: Sequence[str]) -> None:
        """Replace the player's languages (an empty list clears them)."""
        ...

    async def player_languages(self, player_id: int) -> list[str]:
        """The player's language codes, sorted."""
        ...

    async def exclude_players(self, item_id: int, player_ids: Sequence[int]) -> None:
        """Never serve `item_id` to these players (idempotent)."""
        ...

    async def excluded_players(self, item_id: int) -> list[int]: ...

    async def set_extra_overlap(self, campaign_id: int, item_id: int, extra: int) -> None:
        """Set the item's `extra_overlap` (answers beyond the campaign's max_overlap; may be
        negative to take fewer)."""
        ...

    async def open_comparison(
        self,
        campaign_id: int,
        source_item_id: int,
        pair: NewItem,
        excluded: Sequence[int],
        now: float,
    ) -> int | None:
        """Once per source: store the pair item (its tally in the campaign, its excluded
        players) and mark the source comparing; the pair's item id, or None when the source
        was already comparing or decided (by any process)."""
        ...

    async def decide_source(
        self,
        campaign_id: int,
        source_item_id: int,
        *,
        accepted_item_id: int | None,
        label: str | None,
        score: float | None,
        now: float,
    ) -> bool:
        """Once per source: accept `label` (the source's tally becomes finalized with it and
        confidence `score`) or, with `label` None, send the source to review. True when this
        call decided; False when the source was decided already."""
        ...

    async def translate_sources(self, campaign_id: int) -> list[TranslateSourceRow]:
        """The campaign's source decisions (comparing, accepted or review)."""
        ...
