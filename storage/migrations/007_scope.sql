-- Migration 007_scope: every dataset has an owner. `datasets.community_id` is the community
-- whose moderators imported it (NULL: shared, imported by a bot admin or on the command
-- line). Existing datasets take the community of the campaigns that use them when they all
-- agree; a dataset used by a shared campaign, by several communities or by none stays shared.
-- No ON DELETE SET NULL: a community's dataset never becomes shared by accident.

ALTER TABLE datasets ADD COLUMN community_id {bigint} REFERENCES communities(id);

UPDATE datasets SET community_id = (
    SELECT MIN(c.community_id) FROM campaigns c WHERE c.dataset_id = datasets.id
)
WHERE NOT EXISTS (
    SELECT 1 FROM campaigns c WHERE c.dataset_id = datasets.id AND c.community_id IS NULL
)
AND (
    SELECT COUNT(DISTINCT c.community_id) FROM campaigns c WHERE c.dataset_id = datasets.id
) = 1;

CREATE INDEX datasets_community ON datasets (community_id);
