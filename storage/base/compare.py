"""The store's protocol for the compare game (issue 17; part of `storage.base.Store`).

Rules: base items are set apart once (`mark_compare_base`: their open tallies become `base`,
never served); a pair is created once per unordered pair of base items (`add_compare_pair`
inserts its canonical key with ON CONFLICT DO NOTHING and only the winner makes the item)."""

from __future__ import annotations

from typing import Protocol

from storage.rows import NewItem
from storage.rows.compare import ComparePairRow


class CompareStore(Protocol):
    """Base items and pairs of compare campaigns."""

    async def mark_compare_base(self, campaign_id: int) -> int:
        """Set every open non-pair item of the campaign apart as a base item; how many."""
        ...

    async def compare_base_items(self, campaign_id: int) -> list[int]:
        """The campaign's base item ids, ascending."""
        ...

    async def compare_pairs(self, campaign_id: int) -> list[ComparePairRow]:
        """Every pair of the campaign with its tally, by (low_id, high_id)."""
        ...

    async def compare_open_for(self, campaign_id: int, player_id: int) -> int:
        """How many pairs still need answers and could be served to the player now."""
        ...

    async def add_compare_pair(
        self, campaign_id: int, low_id: int, high_id: int, item: NewItem, now: float
    ) -> int | None:
        """Create the pair item (with its tally) once; None when the pair existed."""
        ...
