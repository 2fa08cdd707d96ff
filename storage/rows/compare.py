"""Rows of the compare game (issue 17, migration 019)."""

from __future__ import annotations

from dataclasses import dataclass

TALLY_BASE = "base"
"""The tally status of a compare campaign's base item: never served (its pairs are), ranked
by Bradley-Terry, not voted on."""


@dataclass(frozen=True, slots=True)
class ComparePairRow:
    """A pair of base items (`low_id` < `high_id`) and its task item with its tally."""

    campaign_id: int
    low_id: int
    high_id: int
    pair_item_id: int
    status: str
    n_answers: int
    created_at: float
