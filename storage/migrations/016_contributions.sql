-- Migration 016_contributions: what players contribute (issue 16): a translation typed for a
-- sentence, a photo sent for a capture prompt. Each contribution becomes an item of its
-- campaign's dataset (`item_id`, with a tally in that campaign) that OTHER players judge; the
-- author never gets it (the solo next-task query skips items whose contribution names the
-- player, and an author's answer on it is refused). `parent_item_id` is the item it answers
-- (the source sentence, the capture prompt). `meta` is JSON the feature owns (consents and
-- licence of a photo, say). `settled_at`/`outcome` are set ONCE by a conditional UPDATE
-- (WHERE settled_at IS NULL) when the judges decided: accepted or rejected, so the author is
-- paid once whichever process settles. Rows go with their player (ON DELETE CASCADE); the
-- feature's forget hook deletes what their items hold.

CREATE TABLE contributions (
    id {pk},
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    item_id {bigint} NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    parent_item_id {bigint} REFERENCES items(id) ON DELETE CASCADE,
    player_id {bigint} NOT NULL REFERENCES players(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    platform TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    created_at {real} NOT NULL,
    settled_at {real},
    outcome TEXT
);
CREATE UNIQUE INDEX contributions_item ON contributions (item_id);
CREATE INDEX contributions_player ON contributions (player_id);
CREATE INDEX contributions_campaign ON contributions (campaign_id, kind);
