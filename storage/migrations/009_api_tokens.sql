-- Migration 009_api_tokens: API tokens for the JSON API (issue 14).
-- A token is `lq_<id>_<secret>`; only the SHA-256 hex digest of the secret is kept
-- (`secret_hash`), with its first characters (`prefix`, not secret) to recognise it in a list.
-- `scopes` is 'read' or 'read+write'. `communities` is a JSON list of community ids the token
-- may see ('[]' = all). It is a list, not a table with foreign keys, on purpose: a community
-- deleted later must not widen a token limited to it into one that sees everything.
-- `last_used_at` is written at most once a minute; `revoked_at` is set once and never cleared.

CREATE TABLE api_tokens (
    id {pk},
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    communities TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at {real} NOT NULL,
    last_used_at {real},
    expires_at {real},
    revoked_at {real}
);
