-- Migration 004_campaigns: round schedules per channel and the audit log.
--
-- schedules: one per (campaign, channel). `next_run_at` is the truth about when the next
-- round is due; a tick claims a due schedule with a compare-and-set on `version` and creates
-- its round in the same transaction, remembering it in `last_round_id` so a round created
-- but never posted (a crash in between) is posted at the next start instead of created again.
-- Minutes count from local midnight in the community's time zone; quiet_days lists weekday
-- numbers (0 = Monday) separated by commas.
CREATE TABLE schedules (
    id {pk},
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    channel_id {bigint} NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    every_minutes INTEGER NOT NULL,
    start_minute INTEGER NOT NULL DEFAULT 0,
    end_minute INTEGER NOT NULL DEFAULT 0,
    max_per_day INTEGER NOT NULL DEFAULT 0,
    quiet_days TEXT NOT NULL DEFAULT '',
    next_run_at {real} NOT NULL,
    last_run_at {real},
    day_key TEXT NOT NULL DEFAULT '',
    day_count INTEGER NOT NULL DEFAULT 0,
    last_round_id {bigint},
    version INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL DEFAULT '',
    created_at {real} NOT NULL,
    UNIQUE (campaign_id, channel_id)
);
CREATE INDEX schedules_due ON schedules (next_run_at);

-- audit_log: who did what, when. No foreign keys: the record outlives what it names.
CREATE TABLE audit_log (
    id {pk},
    at {real} NOT NULL,
    actor TEXT NOT NULL,
    platform TEXT NOT NULL DEFAULT '',
    actor_id TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    campaign_id {bigint},
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_time ON audit_log (at);
CREATE INDEX audit_log_campaign ON audit_log (campaign_id, at);
