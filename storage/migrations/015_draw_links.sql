-- Migration 015_draw_links: signed drawing-page links (issue 15).
-- `/draw` on Discord (or any browser) answers with `<public_url>/draw?token=SECRET`: SECRET is
-- 256 random bits of which only the SHA-256 hex digest is kept (`secret_hash`). The link is
-- bound to ONE player (`platform`, `external_id`, `display_name`: nothing else about them),
-- expires at `expires_at`, and is used once: `used_at` and the prompt it was used for
-- (`prompt_id`) are set by a conditional UPDATE (WHERE used_at IS NULL AND expires_at > now)
-- when the page asks for its prompt; the submission of that prompt is then accepted with the
-- same token only. Forgetting a player deletes their links (storage/forget.py).

CREATE TABLE draw_links (
    id {pk},
    secret_hash TEXT NOT NULL UNIQUE,
    platform TEXT NOT NULL,
    external_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    created_at {real} NOT NULL,
    expires_at {real} NOT NULL,
    used_at {real},
    prompt_id {bigint}
);

CREATE INDEX draw_links_person ON draw_links (platform, external_id);
