"""The store's label events and webhooks protocol (part of `storage.base.Store`; rules in
`storage.store_events` and `storage.store_webhooks`)."""

from __future__ import annotations

from typing import Protocol

from storage.rows import LabelEventRow, LabelPageData


class EventStore(Protocol):
    """The append-only label events: read by seq, an exact cursor across processes."""

    async def label_events(
        self, campaign_id: int, after: int, limit: int, kind: str | None = None
    ) -> list[LabelEventRow]:
        """The campaign's events with `seq > after` (of `kind` when given), seq order."""
        ...

    async def label_page(self, campaign_id: int, after: int, limit: int) -> LabelPageData:
        """The campaign's `label.finalized` events after `after` with the current tallies,
        items, answers and standings of their items (O(page))."""
        ...

    async def last_label_seq(self) -> int:
        """The highest seq written so far (0 when none)."""
        ...
