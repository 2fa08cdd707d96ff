-- Migration 008_campaign_gold: gold answers are per campaign (issue 12, hole 1). Before,
-- "make gold" in review wrote `items.gold`, which every campaign over the dataset shared, so
-- one community's moderator changed the check items of another community's campaign.
-- `campaign_gold` holds the gold answer of an item in one campaign; every reader of gold reads
-- it. `source` is 'import' (the file's gold column) or 'review' (a moderator's "make gold";
-- `set_by` is the actor, "<platform>:<id>" or "cli", as in review_log).
-- `items.gold` stays as the dataset's import default only: a campaign created over a dataset
-- copies it (source 'import'); nothing reads it as gold and review never writes it.
-- Backfill: items made gold by review (a `gold` row in review_log) are gold in that campaign
-- only, and lose their dataset default; every other gold item is gold in every campaign over
-- its dataset, as it was.

CREATE TABLE campaign_gold (
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    item_id {bigint} NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    gold TEXT NOT NULL,
    explanation TEXT,
    source TEXT NOT NULL,
    set_by TEXT,
    set_at {real} NOT NULL,
    PRIMARY KEY (campaign_id, item_id)
);

INSERT INTO campaign_gold (campaign_id, item_id, gold, explanation, source, set_by, set_at)
SELECT l.campaign_id, i.id, i.gold, i.gold_explanation, 'review', MIN(l.actor), MIN(l.created_at)
FROM review_log l JOIN items i ON i.id = l.item_id
JOIN campaigns c ON c.id = l.campaign_id AND c.dataset_id = i.dataset_id
WHERE l.action = 'gold' AND i.gold IS NOT NULL
GROUP BY l.campaign_id, i.id, i.gold, i.gold_explanation;

UPDATE items SET gold = NULL, gold_explanation = NULL
WHERE EXISTS (SELECT 1 FROM campaign_gold g WHERE g.item_id = items.id AND g.source = 'review');

INSERT INTO campaign_gold (campaign_id, item_id, gold, explanation, source, set_by, set_at)
SELECT c.id, i.id, i.gold, i.gold_explanation, 'import', NULL, c.created_at
FROM campaigns c JOIN items i ON i.dataset_id = c.dataset_id
WHERE i.gold IS NOT NULL;
