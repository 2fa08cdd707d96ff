-- Migration 011_send_back: "send back" in review (issue 14, the dashboard's bulk review).
-- A moderator may return an item in review to the crowd: its tally goes back to `open` with
-- its answers kept, and `extra_overlap` grows so the item may take more answers than the
-- campaign's max_overlap (the item is served again, and goes back to review only when it
-- reaches max_overlap + extra_overlap still below the confidence threshold).

ALTER TABLE tallies ADD COLUMN extra_overlap INTEGER NOT NULL DEFAULT 0;
