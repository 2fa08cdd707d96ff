-- Migration 017: a placeholder on branch i16-capture only, so its 018 follows without a gap
-- (another branch of issue 16 takes 017). Delete this file when merging.
SELECT 1;
