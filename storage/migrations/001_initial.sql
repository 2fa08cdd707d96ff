-- LabelQuest schema, version 1. Tokens in braces are replaced per dialect (storage/migrate.py):
-- {pk} auto-increment primary key, {blob} binary, {real} double precision, {bigint} 64-bit int.
-- Times are Unix epoch seconds ({real}); booleans are INTEGER 0/1 so one SQL text serves both.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE communities (
    id {pk},
    platform TEXT NOT NULL,
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    timezone TEXT NOT NULL DEFAULT 'UTC',
    announce_channel_id {bigint},
    settings TEXT NOT NULL DEFAULT '{}',
    created_at {real} NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE TABLE channels (
    id {pk},
    platform TEXT NOT NULL,
    external_id TEXT NOT NULL,
    community_id {bigint} REFERENCES communities(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at {real} NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE TABLE players (
    id {pk},
    display_name TEXT NOT NULL,
    created_at {real} NOT NULL,
    consent_version INTEGER NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0,
    reminders INTEGER NOT NULL DEFAULT 0,
    home_community_id {bigint} REFERENCES communities(id) ON DELETE SET NULL
);

CREATE TABLE identities (
    platform TEXT NOT NULL,
    external_id TEXT NOT NULL,
    player_id {bigint} NOT NULL REFERENCES players(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    created_at {real} NOT NULL,
    PRIMARY KEY (platform, external_id)
);
CREATE INDEX identities_player ON identities (player_id);

CREATE TABLE consents (
    id {pk},
    player_id {bigint} NOT NULL REFERENCES players(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    platform TEXT NOT NULL,
    accepted_at {real} NOT NULL
);
CREATE INDEX consents_player ON consents (player_id);

CREATE TABLE datasets (
    id {pk},
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    created_at {real} NOT NULL
);

CREATE TABLE items (
    id {pk},
    dataset_id {bigint} NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT,
    candidate TEXT,
    gold TEXT,
    gold_explanation TEXT,
    truth TEXT,
    meta TEXT NOT NULL DEFAULT '{}',
    created_at {real} NOT NULL,
    UNIQUE (dataset_id, source)
);

CREATE TABLE item_media (
    item_id {bigint} PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
    mime TEXT NOT NULL,
    data {blob} NOT NULL
);

CREATE TABLE campaigns (
    id {pk},
    name TEXT NOT NULL UNIQUE,
    game TEXT NOT NULL,
    dataset_id {bigint} NOT NULL REFERENCES datasets(id),
    question TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '[]',
    min_overlap INTEGER NOT NULL,
    max_overlap INTEGER NOT NULL,
    confidence {real} NOT NULL,
    gold_rate {real} NOT NULL,
    reward_multiplier {real} NOT NULL DEFAULT 1,
    status TEXT NOT NULL,
    community_id {bigint} REFERENCES communities(id) ON DELETE SET NULL,
    created_by TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL DEFAULT '{}',
    created_at {real} NOT NULL,
    updated_at {real} NOT NULL
);

CREATE TABLE rounds (
    id {pk},
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    item_id {bigint} NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    mode TEXT NOT NULL,
    channel_id {bigint} REFERENCES channels(id) ON DELETE SET NULL,
    player_id {bigint} REFERENCES players(id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    message_ref TEXT,
    status TEXT NOT NULL,
    opened_at {real} NOT NULL,
    closes_at {real},
    closed_at {real},
    state TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX rounds_due ON rounds (status, closes_at);
CREATE INDEX rounds_player_item ON rounds (player_id, campaign_id, item_id);
CREATE INDEX rounds_channel ON rounds (channel_id, status);

CREATE TABLE answers (
    id {pk},
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    item_id {bigint} NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    player_id {bigint} NOT NULL REFERENCES players(id) ON DELETE CASCADE,
    round_id {bigint},
    label TEXT NOT NULL,
    platform TEXT NOT NULL,
    latency_ms INTEGER,
    created_at {real} NOT NULL,
    is_gold INTEGER NOT NULL DEFAULT 0,
    correct INTEGER,
    weight {real} NOT NULL DEFAULT 0.5,
    flag TEXT,
    extra TEXT NOT NULL DEFAULT '{}',
    UNIQUE (campaign_id, item_id, player_id)
);
CREATE INDEX answers_player ON answers (player_id, created_at);

CREATE TABLE tallies (
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    item_id {bigint} NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    n_answers INTEGER NOT NULL DEFAULT 0,
    pending INTEGER NOT NULL DEFAULT 0,
    counts TEXT NOT NULL DEFAULT '{}',
    label TEXT,
    confidence {real},
    agreement {real},
    status TEXT NOT NULL DEFAULT 'open',
    finalized_at {real},
    reviewed_label TEXT,
    reviewed_by TEXT,
    PRIMARY KEY (campaign_id, item_id)
);
CREATE INDEX tallies_open ON tallies (campaign_id, status, n_answers);

CREATE TABLE player_stats (
    player_id {bigint} PRIMARY KEY REFERENCES players(id) ON DELETE CASCADE,
    points {bigint} NOT NULL DEFAULT 0,
    answers INTEGER NOT NULL DEFAULT 0,
    gold_answered INTEGER NOT NULL DEFAULT 0,
    gold_right INTEGER NOT NULL DEFAULT 0,
    settled INTEGER NOT NULL DEFAULT 0,
    agreed INTEGER NOT NULL DEFAULT 0,
    last_answer_at {real},
    counters TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX player_stats_points ON player_stats (points);

CREATE TABLE ledger (
    id {pk},
    player_id {bigint} NOT NULL REFERENCES players(id) ON DELETE CASCADE,
    created_at {real} NOT NULL,
    points INTEGER NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    answer_id {bigint},
    campaign_id {bigint},
    community_id {bigint}
);
CREATE INDEX ledger_player ON ledger (player_id, created_at);
CREATE INDEX ledger_time ON ledger (created_at);
CREATE INDEX ledger_answer ON ledger (answer_id);

CREATE TABLE player_campaign (
    player_id {bigint} NOT NULL REFERENCES players(id) ON DELETE CASCADE,
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    answers INTEGER NOT NULL DEFAULT 0,
    gold_answered INTEGER NOT NULL DEFAULT 0,
    gold_right INTEGER NOT NULL DEFAULT 0,
    onboarding TEXT NOT NULL DEFAULT 'pending',
    onboarding_answered INTEGER NOT NULL DEFAULT 0,
    onboarding_right INTEGER NOT NULL DEFAULT 0,
    onboarding_failed_at {real},
    last_label TEXT,
    same_run INTEGER NOT NULL DEFAULT 0,
    flagged INTEGER NOT NULL DEFAULT 0,
    flags TEXT NOT NULL DEFAULT '{}',
    updated_at {real} NOT NULL,
    PRIMARY KEY (player_id, campaign_id)
);
CREATE INDEX player_campaign_campaign ON player_campaign (campaign_id);
