-- Placeholder so that 007 applies on this branch alone: number 006 belongs to helper C
-- (issue 12). DELETE THIS FILE when merging helper C's 006 migration.
SELECT 1;
