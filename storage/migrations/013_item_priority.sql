-- Migration 013_item_priority: items pushed by the JSON API carry a priority (issue 14).
-- `tallies.priority` is the item's priority in that campaign (an integer, higher first, 0 by
-- default): the next-task queries (solo reservation, channel pick, schedule claims) order by
-- it first, then as before (most answers first, then item id), so with every priority equal
-- nothing changes. It lives on the tally, not the item, because items are pushed to one
-- campaign: another campaign over the same dataset keeps its own order.

ALTER TABLE tallies ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tallies_serve ON tallies (campaign_id, status, priority, n_answers);
