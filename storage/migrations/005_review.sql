-- Migration 005_review: the moderation log. One row per moderator action of the review
-- feature: an expert label (`label`), a promotion to gold (`gold`), a standing reset
-- (`reset_standing`). `actor` is "<platform>:<user id>" or "cli" (ids, never names);
-- `actor_player_id` is set when the moderator is a player too (it feeds `reviews_done`).
-- A forgotten player's rows stay, with the player columns cleared.

CREATE TABLE review_log (
    id {pk},
    created_at {real} NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_player_id {bigint} REFERENCES players(id) ON DELETE SET NULL,
    campaign_id {bigint} REFERENCES campaigns(id) ON DELETE CASCADE,
    item_id {bigint},
    player_id {bigint} REFERENCES players(id) ON DELETE SET NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX review_log_time ON review_log (created_at);
CREATE INDEX review_log_actor ON review_log (actor_player_id, action);
CREATE INDEX review_log_campaign ON review_log (campaign_id, created_at);
