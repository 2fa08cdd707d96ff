"""The webhook dispatcher: enqueue new label events per webhook, claim due deliveries, POST
them signed, record each attempt. The HTTP request itself is the adapter's (`Sender`, e.g.
`bot.web.webhooks_out.HttpSender`): core does no network I/O.

Rules:
- `run_once` enqueues (each event once per webhook across processes), claims at most
  `batch` due deliveries (each claimed by one process; see `storage.store_webhooks`), sends
  them concurrently and records each outcome. Any process may run it: the database decides
  who sends what. It runs beside the answer path, never inside it, so a slow or dead
  receiver delays only its own deliveries;
- the claim's lease (`lease` seconds) is longer than the request timeout, so a delivery in
  flight is not claimed again; a process killed mid-send leaves it due once the lease ends
  (at-least-once: receivers dedupe by `X-LabelQuest-Delivery`, stable across retries);
- 2xx is delivered; anything else (status, timeout, connection error) is retried after
  `backoff[attempts - 1]` seconds, and failed once the schedule is used up;
- headers: `X-LabelQuest-Event` (type), `X-LabelQuest-Delivery` (`dlv_<id>`),
  `X-LabelQuest-Timestamp` (whole seconds), `X-LabelQuest-Signature` (`rules.sign`);
- every outcome (`delivered`, `retry`, `failed`) is told to `observers` (metrics); errors
  recorded are short and never carry the secret.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import NotFound
from bot.core.webhooks.rules import event_body, iso, retry_delay, sign
from storage import CAMPAIGN_COMPLETED, ClaimedDelivery, LabelEventRow

log = logging.getLogger(__name__)

DELIVERED, RETRY, FAILED = "delivered", "retry", "failed"


@dataclass(frozen=True, slots=True)
class DispatchRules:
    """`[webhooks]` as plain values: retry schedule, request timeout, claims per run."""

    backoff: tuple[float, ...] = (10.0, 60.0, 300.0, 1800.0, 7200.0, 21600.0)
    timeout: float = 10.0
    batch: int = 50

    @property
    def lease(self) -> float:
        return self.timeout * 3 + 30.0


@dataclass(frozen=True, slots=True)
class SendResult:
    """One POST's outcome: the status code (None: no response) and a short error."""

    status_code: int | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Sender(Protocol):
    """POSTs one body (the adapter's HTTP client); never raises for the receiver's faults."""

    async def post(
        self, url: str, body: bytes, headers: dict[str, str], wait_s: float
    ) -> SendResult: ...


class Dispatcher:
    """See the module docstring; built by `WebhookCases.dispatcher`."""

    def __init__(
        self, kernel: Kernel, rules: DispatchRules, observers: list[Callable[[str], None]]
    ) -> None:
        self.k = kernel
        self.rules = rules
        self.observers = observers

    async def run_once(self, sender: Sender) -> int:
        """Enqueue, claim and send what is due now; returns how many were attempted."""
        now = self.k.now()
        await self.k.store.enqueue_deliveries(now)
        claimed = await self.k.store.claim_deliveries(
            now, now + self.rules.lease, self.rules.batch
        )
        await asyncio.gather(*(self._attempt(sender, c) for c in claimed))
        return len(claimed)

    async def _attempt(self, sender: Sender, c: ClaimedDelivery) -> None:
        now = self.k.now()
        body = event_body(c.event.seq, c.event.kind, c.event.at, await self.data(c.event))
        stamp = int(now)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "LabelQuest-Webhooks/1",
            "X-LabelQuest-Event": c.event.kind,
            "X-LabelQuest-Delivery": f"dlv_{c.delivery.id}",
            "X-LabelQuest-Timestamp": str(stamp),
            "X-LabelQuest-Signature": sign(c.webhook.secret, stamp, body),
        }
        try:
            result = await sender.post(c.webhook.url, body, headers, self.rules.timeout)
        except Exception as exc:  # a sender bug must not stop the other deliveries
            log.exception("webhook %s: sending delivery %s failed", c.webhook.id, c.delivery.id)
            result = SendResult(None, type(exc).__name__)
        delay = None if result.ok else retry_delay(c.delivery.attempts, self.rules.backoff)
        outcome = DELIVERED if result.ok else (RETRY if delay is not None else FAILED)
        await self.k.store.record_attempt(
            c.delivery.id,
            now=self.k.now(),
            status_code=result.status_code,
            error=None if result.ok else (result.error or f"HTTP {result.status_code}"),
            retry_at=None if delay is None else now + delay,
            delivered=result.ok,
        )
        if outcome == FAILED:
            log.warning(
                "webhook %s: delivery %s failed after %s attempts (%s)",
                c.webhook.id,
                c.delivery.id,
                c.delivery.attempts,
                result.error or result.status_code,
            )
        for tell in self.observers:
            tell(outcome)

    async def data(self, event: LabelEventRow) -> dict[str, Any]:
        """The `data` of an event: its campaign, and for item events the item and label."""
        campaign = await self.k.store.get_campaign(event.campaign_id)
        out: dict[str, Any] = {
            "campaign": None
            if campaign is None
            else {
                "id": campaign.id,
                "name": campaign.name,
                "status": campaign.status,
                "community_id": campaign.community_id,
            }
        }
        if event.kind == CAMPAIGN_COMPLETED or event.item_id is None:
            return out
        tally = await self.k.store.get_tally(event.campaign_id, event.item_id)
        try:
            item = await self.k.item(event.item_id)
            out["item"] = {"id": item.id, "source": item.source}
        except NotFound:
            out["item"] = {"id": event.item_id, "source": None}
        if tally is not None:
            out["label"] = {
                "label": tally.reviewed_label or tally.label,
                "crowd_label": tally.label,
                "expert": tally.reviewed_label is not None,
                "confidence": tally.confidence,
                "agreement": tally.agreement,
                "n_answers": tally.n_answers,
                "status": tally.status,
                "finalized_at": None if tally.finalized_at is None else iso(tally.finalized_at),
            }
        return out
