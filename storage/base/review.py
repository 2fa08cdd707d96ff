"""The store's review protocols (part of `storage.base.Store`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from storage.rows import ReviewLogEntry, ReviewLogRow, TallyRow

Key = tuple[int, int]


class ReviewStore(Protocol):
    """The expert review queue, expert labels and the review log."""

    async def review_queue(
        self,
        campaign_ids: Sequence[int],
        *,
        after: Key | None = None,
        before: Key | None = None,
        limit: int = 1,
    ) -> list[TallyRow]:
        """Items in review in these campaigns, by (campaign, item): the first `limit`, or
        those just after `after`, or just before `before` (nearest first)."""
        ...

    async def review_counts(self, campaign_ids: Sequence[int]) -> dict[int, int]:
        """Items in review per campaign (campaigns with none are left out)."""
        ...

    async def review_position(self, campaign_id: int, item_id: int) -> int:
        """1-based place of an item in its campaign's queue (items in review before it + 1)."""
        ...

    async def item_tallies(self, item_id: int) -> list[TallyRow]:
        """The tallies of one item, one per campaign over its dataset."""
        ...

    async def send_back(
        self, campaign_id: int, entries: Sequence[ReviewLogEntry], more: int, max_overlap: int
    ) -> list[TallyRow] | None:
        """Return the items of `entries` from the review queue to the crowd, all or none, with
        their log rows: tally `open`, answers kept, room for `more` answers beyond those it
        has. None, with nothing changed, when any of them is not in the queue."""
        ...

    async def set_expert_label(
        self,
        campaign_id: int,
        item_id: int,
        label: str,
        entry: ReviewLogEntry,
        *,
        gold_explanation: str | None = None,
        queued_only: bool = False,
    ) -> TallyRow | None:
        """Set the expert label of an item (status `reviewed`, the crowd's label kept) and log
        it; with `gold_explanation` the item also becomes a gold item of this campaign only,
        with that answer (other campaigns over the dataset never see it). None when the
        campaign has no such item."""
        ...

    async def reset_standings(
        self, player_id: int, campaign_ids: Sequence[int], entry: ReviewLogEntry
    ) -> int:
        """Clear a player's spam counters and gold record in these campaigns and let a failed
        tutorial start over now (a passed one stays passed); returns the standings changed."""
        ...

    async def review_log(
        self, *, campaign_id: int | None = None, limit: int = 50
    ) -> list[ReviewLogRow]:
        """The latest moderator actions, newest first (of one campaign when given)."""
        ...

    async def reviews_done(self, player_id: int) -> int:
        """Expert labels set by this player as a moderator (the `reviews_done` counter)."""
        ...
