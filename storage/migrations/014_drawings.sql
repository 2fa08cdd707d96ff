-- Migration 014_drawings: players draw doodles for a prompt (issue 15, docs/quickdraw.md).
-- `draw_prompts`: a word issued to one player for one campaign that takes player drawings
-- (`campaigns.player_drawings`, off by default). A prompt is used once: `used_at` is set by a
-- conditional UPDATE (WHERE used_at IS NULL AND expires_at >= now), so a double submit in any
-- process stores one drawing. The hourly limit counts these rows inside the transaction that
-- issues the next one.
-- `drawings`: what was drawn (raw strokes as Quick, Draw!'s raw format, and the simplified
-- strokes shown in rounds), its canvas, timing and platform, and the doodle item it became in
-- the campaign's dataset. A moderator's hide sets `hidden_at`/`hidden_by` and closes the
-- item's tally, so it is never served nor exported again. Rows go with their player (ON
-- DELETE CASCADE; forgetting also deletes the strokes of the items they became and hides them,
-- storage/store_drawings.py).

ALTER TABLE campaigns ADD COLUMN player_drawings INTEGER NOT NULL DEFAULT 0;

CREATE TABLE draw_prompts (
    id {pk},
    player_id {bigint} NOT NULL REFERENCES players(id) ON DELETE CASCADE,
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    word TEXT NOT NULL,
    issued_at {real} NOT NULL,
    expires_at {real} NOT NULL,
    used_at {real}
);
CREATE INDEX draw_prompts_player ON draw_prompts (player_id, issued_at);

CREATE TABLE drawings (
    id {pk},
    prompt_id {bigint} NOT NULL UNIQUE REFERENCES draw_prompts(id) ON DELETE CASCADE,
    player_id {bigint} NOT NULL REFERENCES players(id) ON DELETE CASCADE,
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    item_id {bigint} NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    word TEXT NOT NULL,
    platform TEXT NOT NULL,
    raw TEXT NOT NULL,
    simplified TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    started_ms INTEGER NOT NULL,
    drawing_ms INTEGER NOT NULL,
    created_at {real} NOT NULL,
    hidden_at {real},
    hidden_by TEXT
);
CREATE UNIQUE INDEX drawings_item ON drawings (item_id);
CREATE INDEX drawings_player ON drawings (player_id);
CREATE INDEX drawings_campaign ON drawings (campaign_id);
