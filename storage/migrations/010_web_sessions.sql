-- Migration 010_web_sessions: dashboard sign-in (issue 14).
-- A one-time sign-in link and a session are each a random secret (256 bits) of which only
-- the SHA-256 hex digest is kept (`secret_hash`). Both carry the scope the person had when
-- the link was asked for: who (`platform`, `external_id`, `display_name`), bot admin or not,
-- the community they act for (NULL: none) and whether they moderate it. Nothing else about
-- the person is stored. A link is redeemed once: `used_at` is set by a conditional UPDATE
-- (WHERE used_at IS NULL AND expires_at > now), so two processes or a double click cannot
-- both redeem it. Forgetting a player deletes their links and sessions (storage/forget.py).

CREATE TABLE web_login_links (
    id {pk},
    secret_hash TEXT NOT NULL UNIQUE,
    platform TEXT NOT NULL,
    external_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    is_admin INTEGER NOT NULL,
    community_id {bigint},
    is_moderator INTEGER NOT NULL,
    created_at {real} NOT NULL,
    expires_at {real} NOT NULL,
    used_at {real}
);

CREATE TABLE web_sessions (
    id {pk},
    secret_hash TEXT NOT NULL UNIQUE,
    platform TEXT NOT NULL,
    external_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    is_admin INTEGER NOT NULL,
    community_id {bigint},
    is_moderator INTEGER NOT NULL,
    csrf TEXT NOT NULL,
    created_at {real} NOT NULL,
    expires_at {real} NOT NULL,
    last_seen {real} NOT NULL
);

CREATE INDEX web_login_links_person ON web_login_links (platform, external_id);
CREATE INDEX web_sessions_person ON web_sessions (platform, external_id);
