"""Store queries: webhooks and their deliveries (`webhooks`, `webhook_deliveries`, migration
010).

Rules:
- a webhook's `secret` is stored as given (it signs every delivery); nothing here logs it,
  and `WebhookRow`'s repr leaves it out;
- a new webhook starts at its campaign's newest event (`cursor`): it gets what happens from
  then on, not the history;
- `enqueue_deliveries` moves each active webhook's cursor over its campaign's new events
  and adds one delivery per event, with the webhook row locked (PostgreSQL `FOR UPDATE`) and
  `UNIQUE (webhook_id, seq)`: two processes enqueueing at once add each delivery once;
- `claim_deliveries` takes due pending deliveries by moving `next_attempt_at` past the lease
  and counting the attempt, in ONE conditional UPDATE (PostgreSQL: `FOR UPDATE SKIP
  LOCKED`): a delivery is claimed by one process, and a process that dies while sending
  leaves it due again once the lease ends;
- `record_attempt` writes the outcome: delivered, pending again at the next backoff time,
  or failed; `last_error` is cut short (the caller never passes a secret).
"""

from __future__ import annotations

from storage.driver import Row
from storage.rows import ClaimedDelivery, DeliveryRow, LabelEventRow, NewWebhook, WebhookRow
from storage.sql_base import SqlBase, marks

_HOOK = "id, campaign_id, url, secret, prefix, created_by, created_at, active, cursor"
_DLV = (
    "id, webhook_id, seq, status, attempts, next_attempt_at, last_status_code, last_error, "
    "delivered_at, created_at"
)
ERROR_MAX = 200


def _hook(r: Row) -> WebhookRow:
    return WebhookRow(
        id=int(r[0]),
        campaign_id=int(r[1]),
        url=r[2],
        secret=r[3],
        prefix=r[4],
        created_by=r[5],
        created_at=float(r[6]),
        active=bool(r[7]),
        cursor=int(r[8]),
    )


def _dlv(r: Row) -> DeliveryRow:
    return DeliveryRow(
        id=int(r[0]),
        webhook_id=int(r[1]),
        seq=int(r[2]),
        status=r[3],
        attempts=int(r[4]),
        next_attempt_at=float(r[5]),
        last_status_code=None if r[6] is None else int(r[6]),
        last_error=r[7],
        delivered_at=None if r[8] is None else float(r[8]),
        created_at=float(r[9]),
    )


class WebhooksMixin(SqlBase):
    async def add_webhook(self, hook: NewWebhook) -> WebhookRow:
        """Store a webhook, starting after its campaign's newest event."""
        async with self.db.transaction() as tx:
            r = await tx.fetchone(
                "INSERT INTO webhooks (campaign_id, url, secret, prefix, created_by, "
                "created_at, active, cursor) VALUES (?, ?, ?, ?, ?, ?, 1, COALESCE(("
                "SELECT MAX(seq) FROM label_events WHERE campaign_id = ?), 0)) "
                f"RETURNING {_HOOK}",
                (
                    hook.campaign_id,
                    hook.url,
                    hook.secret,
                    hook.prefix,
                    hook.created_by,
                    hook.created_at,
                    hook.campaign_id,
                ),
            )
        assert r is not None
        return _hook(r)

    async def get_webhook(self, webhook_id: int) -> WebhookRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(f"SELECT {_HOOK} FROM webhooks WHERE id = ?", (webhook_id,))
        return None if r is None else _hook(r)

    async def list_webhooks(self) -> list[WebhookRow]:
        """Every webhook, removed ones too, oldest first."""
        async with self.db.read() as c:
            rows = await c.fetch(f"SELECT {_HOOK} FROM webhooks ORDER BY id")
        return [_hook(r) for r in rows]

    async def deactivate_webhook(self, webhook_id: int) -> bool:
        """Stop a webhook for good (its deliveries stay, as a record); False if none."""
        async with self.db.transaction() as tx:
            done = await tx.fetchval(
                "UPDATE webhooks SET active = 0 WHERE id = ? RETURNING id", (webhook_id,)
            )
        return done is not None

    async def enqueue_deliveries(self, now: float, limit: int = 500) -> int:
        """For each active webhook, one pending delivery per new event of its campaign (at
        most `limit` per webhook per call); returns how many were added."""
        async with self.db.read() as c:
            ids = [int(r[0]) for r in await c.fetch("SELECT id FROM webhooks WHERE active = 1")]
        added = 0
        for webhook_id in ids:
            async with self.db.transaction() as tx:
                r = await tx.fetchone(
                    f"SELECT campaign_id, cursor FROM webhooks WHERE id = ? AND active = 1"
                    f"{self.for_update}",
                    (webhook_id,),
                )
                if r is None:
                    continue
                seqs = await tx.fetch(
                    "SELECT seq FROM label_events WHERE campaign_id = ? AND seq > ? "
                    "ORDER BY seq LIMIT ?",
                    (int(r[0]), int(r[1]), limit),
                )
                if not seqs:
                    continue
                rows = [(webhook_id, int(s[0]), now, now) for s in seqs]
                await tx.execute(
                    "INSERT INTO webhook_deliveries (webhook_id, seq, next_attempt_at, "
                    f"created_at) VALUES {marks(len(rows), 4)} "
                    "ON CONFLICT (webhook_id, seq) DO NOTHING",
                    [v for row in rows for v in row],
                )
                await tx.execute(
                    "UPDATE webhooks SET cursor = ? WHERE id = ?", (rows[-1][1], webhook_id)
                )
                added += len(rows)
        return added

    async def claim_deliveries(
        self, now: float, lease_until: float, limit: int
    ) -> list[ClaimedDelivery]:
        """Claim up to `limit` due pending deliveries of active webhooks (see the module
        docstring), with their webhooks and events."""
        skip = " FOR UPDATE OF d SKIP LOCKED" if self.db.dialect == "postgres" else ""
        async with self.db.transaction() as tx:
            rows = await tx.fetch(
                "UPDATE webhook_deliveries SET next_attempt_at = ?, attempts = attempts + 1 "
                "WHERE id IN (SELECT d.id FROM webhook_deliveries d JOIN webhooks w "
                "ON w.id = d.webhook_id WHERE d.status = 'pending' AND d.next_attempt_at <= ? "
                f"AND w.active = 1 ORDER BY d.next_attempt_at, d.id LIMIT ?{skip}) "
                f"RETURNING {_DLV}",
                (lease_until, now, limit),
            )
            deliveries = sorted((_dlv(r) for r in rows), key=lambda d: d.id)
            if not deliveries:
                return []
            hook_ids = sorted({d.webhook_id for d in deliveries})
            hooks = {
                h.id: h
                for h in map(
                    _hook,
                    await tx.fetch(
                        f"SELECT {_HOOK} FROM webhooks WHERE id IN ({marks(len(hook_ids))})",
                        hook_ids,
                    ),
                )
            }
            seqs = sorted({d.seq for d in deliveries})
            events = {
                int(r[0]): LabelEventRow(int(r[0]), r[1], int(r[2]), r[3], float(r[4]))
                for r in await tx.fetch(
                    "SELECT seq, kind, campaign_id, item_id, at FROM label_events "
                    f"WHERE seq IN ({marks(len(seqs))})",
                    seqs,
                )
            }
        return [
            ClaimedDelivery(d, hooks[d.webhook_id], events[d.seq])
            for d in deliveries
            if d.seq in events
        ]

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
        """The outcome of a claimed delivery's attempt: `delivered`, else pending again at
        `retry_at`, or `failed` when `retry_at` is None."""
        status = "delivered" if delivered else ("pending" if retry_at is not None else "failed")
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE webhook_deliveries SET status = ?, last_status_code = ?, "
                "last_error = ?, delivered_at = ?, next_attempt_at = ? WHERE id = ?",
                (
                    status,
                    status_code,
                    None if error is None else error[:ERROR_MAX],
                    now if delivered else None,
                    now if retry_at is None else retry_at,
                    delivery_id,
                ),
            )

    async def webhook_deliveries(self, webhook_id: int, limit: int = 50) -> list[DeliveryRow]:
        """A webhook's latest deliveries, newest first."""
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {_DLV} FROM webhook_deliveries WHERE webhook_id = ? "
                "ORDER BY id DESC LIMIT ?",
                (webhook_id, limit),
            )
        return [_dlv(r) for r in rows]
