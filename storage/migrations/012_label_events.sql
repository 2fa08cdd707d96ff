-- Migration 012_label_events: the append-only log of label events (the label feed's cursor,
-- webhooks), and webhooks out (issue 14).
-- `label_events`: one row per state change a pipeline cares about, appended IN THE
-- TRANSACTION of the change: `label.finalized` (a tally finalized by answers, or an expert
-- label set in review), `item.needs_review` (a tally entering the review queue),
-- `campaign.completed` (item_id NULL). Every writer takes the answer batch's advisory lock
-- (PostgreSQL, transaction scope) before its first insert, so `seq` order is commit order
-- across processes: a reader that has seen seq N never later finds a new row below N.
-- Rows are never updated; they name no player. Existing finalized items are backfilled in
-- (finalized_at, item) order so the feed keeps serving them.
-- `webhooks`: a URL per campaign; `secret` is kept as given (it must sign every delivery) and
-- is shown only by its `prefix`; `cursor` is the last label_events seq enqueued for it.
-- `webhook_deliveries`: one row per (webhook, event), unique, so two processes enqueueing
-- the same events add each once; a delivery is claimed by moving `next_attempt_at` forward in
-- one conditional UPDATE before it is sent.

CREATE TABLE label_events (
    seq {pk},
    kind TEXT NOT NULL,
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    item_id {bigint},
    at {real} NOT NULL
);
CREATE INDEX label_events_campaign ON label_events (campaign_id, seq);

INSERT INTO label_events (kind, campaign_id, item_id, at)
SELECT 'label.finalized', campaign_id, item_id, finalized_at FROM tallies
WHERE status IN ('finalized', 'reviewed') AND finalized_at IS NOT NULL
ORDER BY finalized_at, item_id, campaign_id;

CREATE TABLE webhooks (
    id {pk},
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    prefix TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at {real} NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    cursor {bigint} NOT NULL DEFAULT 0
);
CREATE INDEX webhooks_campaign ON webhooks (campaign_id);

CREATE TABLE webhook_deliveries (
    id {pk},
    webhook_id {bigint} NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    seq {bigint} NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at {real} NOT NULL,
    last_status_code INTEGER,
    last_error TEXT,
    delivered_at {real},
    created_at {real} NOT NULL,
    UNIQUE (webhook_id, seq)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
