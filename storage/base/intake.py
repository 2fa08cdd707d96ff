"""The store's protocol for the JSON API's write side and answer feed (part of `Store`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from storage.rows import AnswerRow, NewItem


class IntakeStore(Protocol):
    """Items pushed to one campaign (with a priority), answers read by id."""

    async def campaign_sources(
        self, campaign_id: int, dataset_id: int, sources: Sequence[str]
    ) -> dict[str, tuple[int, bool]]:
        """The items of `sources` already in the dataset: source -> (item id, whether it is
        in the campaign)."""
        ...

    async def push_campaign_items(
        self,
        campaign_id: int,
        dataset_id: int,
        items: Sequence[tuple[NewItem, int]],
        now: float,
    ) -> list[tuple[int, bool]]:
        """Insert `(item, priority)` pairs into the dataset (a source already there is kept
        as it is) and give each a tally in the campaign, in one transaction. Returns
        (item id, created) per pair, in order."""
        ...

    async def campaign_answers_after(
        self, campaign_id: int, after_id: int, limit: int
    ) -> list[AnswerRow]:
        """At most `limit` answers of the campaign with an id above `after_id`, by id."""
        ...
