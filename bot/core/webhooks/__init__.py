"""Webhooks out (issue 14): an admin registers a URL per campaign; LabelQuest POSTs its
label events (`label.finalized`, `item.needs_review`, `campaign.completed`) there, signed,
retried with backoff, each attempt recorded.

Public names: `WebhookCases` (`engine.webhooks`: add, list, remove, deliveries, and the
`dispatcher`), `AddedWebhook`, `Dispatcher`, `DispatchRules`, `Sender`, `SendResult`,
`sign`, `check_url`, `texts`, and the outcomes `DELIVERED`, `RETRY`, `FAILED`."""

from bot.core.webhooks import texts
from bot.core.webhooks.cases import AddedWebhook, WebhookCases
from bot.core.webhooks.dispatch import (
    DELIVERED,
    FAILED,
    RETRY,
    Dispatcher,
    DispatchRules,
    Sender,
    SendResult,
)
from bot.core.webhooks.rules import check_url, sign

__all__ = [
    "DELIVERED",
    "FAILED",
    "RETRY",
    "AddedWebhook",
    "DispatchRules",
    "Dispatcher",
    "SendResult",
    "Sender",
    "WebhookCases",
    "check_url",
    "sign",
    "texts",
]
