-- Migration 019_compare_pairs: the pairs of a compare campaign (issue 17, docs/compare.md).
-- One row per unordered pair of base items, keyed canonically (low_id < high_id), so A-B and
-- B-A are the same pair: it is created ONCE per campaign whichever process gets there first
-- (INSERT ... ON CONFLICT DO NOTHING; only the winner inserts the pair item). A player
-- answers a pair item once (answers are unique per item and player), so nobody ever judges
-- the same two items twice, in either order. `pair_item_id` is the task item (kind `pair`).

CREATE TABLE compare_pairs (
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    low_id {bigint} NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    high_id {bigint} NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    pair_item_id {bigint} REFERENCES items(id) ON DELETE CASCADE,
    created_at {real} NOT NULL,
    PRIMARY KEY (campaign_id, low_id, high_id),
    CHECK (low_id < high_id)
);
CREATE INDEX compare_pairs_item ON compare_pairs (pair_item_id);
