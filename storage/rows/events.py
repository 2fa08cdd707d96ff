"""Rows of label events and webhooks (`label_events`, `webhooks`, `webhook_deliveries`,
migration 010). Plain values only, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.rows.content import AnswerRow, ItemRow, Standing, TallyRow


@dataclass(frozen=True, slots=True)
class LabelEventRow:
    """One appended event; `item_id` is None for `campaign.completed`."""

    seq: int
    kind: str
    campaign_id: int
    item_id: int | None
    at: float


@dataclass(frozen=True, slots=True)
class LabelPageData:
    """One page of a campaign's `label.finalized` events and what their label rows need,
    read in one go: the current tallies, items (with the campaign's gold), answers of those
    items, and the standings of the players who gave them."""

    events: list[LabelEventRow]
    tallies: list[TallyRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    answers: list[AnswerRow] = field(default_factory=list)
    standings: list[Standing] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NewWebhook:
    """A webhook to store; `secret` is kept as given (it signs every delivery)."""

    campaign_id: int
    url: str
    secret: str
    prefix: str
    created_by: str
    created_at: float


@dataclass(frozen=True, slots=True)
class WebhookRow:
    """A stored webhook; `cursor` is the last event seq enqueued for it. The secret is not
    in the repr."""

    id: int
    campaign_id: int
    url: str
    secret: str = field(repr=False)
    prefix: str
    created_by: str
    created_at: float
    active: bool
    cursor: int


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    """One event for one webhook: `pending` (due at `next_attempt_at`), `delivered` or
    `failed` (no more attempts), with its last attempt's outcome."""

    id: int
    webhook_id: int
    seq: int
    status: str
    attempts: int
    next_attempt_at: float
    last_status_code: int | None
    last_error: str | None
    delivered_at: float | None
    created_at: float


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    """A delivery claimed for sending, with its webhook and event."""

    delivery: DeliveryRow
    webhook: WebhookRow
    event: LabelEventRow
