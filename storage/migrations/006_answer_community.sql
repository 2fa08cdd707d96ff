-- Migration 006_answer_community: every answer knows the community its points count in.
-- Before, the consensus bonus of every answer of an item was credited to the community of the
-- answer that finalized it (issue 12), so a board could list players who never played there.
-- The answer's own community is the one of its other ledger rows (base, streak, gold, guess,
-- flagged); consensus rows get it, and the board rollup is rebuilt from the corrected ledger
-- at the next start (the `rewards.boards` marker is removed, see bot/core/rewards/jobs.py).

ALTER TABLE answers ADD COLUMN community_id {bigint};

UPDATE answers SET community_id = (
    SELECT MIN(l.community_id) FROM ledger l
    WHERE l.answer_id = answers.id AND l.kind <> 'consensus'
);

UPDATE ledger SET community_id = (
    SELECT MIN(b.community_id) FROM ledger b
    WHERE b.answer_id = ledger.answer_id AND b.kind <> 'consensus'
)
WHERE kind = 'consensus' AND answer_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM ledger b WHERE b.answer_id = ledger.answer_id AND b.kind <> 'consensus'
);

DELETE FROM meta WHERE key = 'rewards.boards';
