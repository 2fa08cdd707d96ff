"""The store's label events and webhooks protocol (part of `storage.base.Store`; rules in
`storage.store_events` and `storage.store_webhooks`)."""

from __future__ import annotations

from typing import Protocol

from storage.rows import (
    ClaimedDelivery,
    DeliveryRow,
    LabelEventRow,
    LabelPageData,
    NewWebhook,
    WebhookRow,
)


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


class WebhookStore(Protocol):
    """Webhooks per campaign and their deliveries (rules in `storage.store_webhooks`)."""

    async def add_webhook(self, hook: NewWebhook) -> WebhookRow:
        """Store a webhook, starting after its campaign's newest event."""
        ...

    async def get_webhook(self, webhook_id: int) -> WebhookRow | None: ...

    async def list_webhooks(self) -> list[WebhookRow]:
        """Every webhook, removed ones too, oldest first."""
        ...

    async def deactivate_webhook(self, webhook_id: int) -> bool:
        """Stop a webhook for good (its deliveries stay); False when there is none."""
        ...

    async def enqueue_deliveries(self, now: float, limit: int = 500) -> int:
        """One pending delivery per new event of each active webhook's campaign, each once
        across processes; returns how many were added."""
        ...

    async def claim_deliveries(
        self, now: float, lease_until: float, limit: int
    ) -> list[ClaimedDelivery]:
        """Claim due pending deliveries (one process each): the attempt is counted and the
        delivery is not due again before `lease_until`."""
        ...

    async def record_attempt(
        self,
        delivery_id: int,
        *,
        now: float,
        status_code: int | None,
        error: str | None,
        retry_at: float | None,
        delivered: bool,
    ) -> None:
        """An attempt's outcome: delivered, pending again at `retry_at`, or failed (None)."""
        ...

    async def webhook_deliveries(self, webhook_id: int, limit: int = 50) -> list[DeliveryRow]:
        """A webhook's latest deliveries, newest first."""
        ...
