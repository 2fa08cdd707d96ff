"""SQL fragments of item selection (`storage.store_play`): which items still need answers,
which a player may be served, which channel rounds may show. They read a `tallies t` joined
to `campaigns c` (NEEDS_ANSWERS) and take the player id as parameters (NOT_SEEN: four)."""

from __future__ import annotations

# An item is served while it still needs answers: up to min_overlap at once, then one at a time
# (dynamic overlap), never beyond max_overlap + extra_overlap ("send back"); `pending`: solo holds.
NEEDS_ANSWERS = (
    "t.status = 'open' AND t.n_answers < c.max_overlap + t.extra_overlap AND t.n_answers + "
    "t.pending < (CASE WHEN t.n_answers < c.min_overlap THEN c.min_overlap ELSE t.n_answers + 1 "
    "END)"
)
NOT_FULL = (
    "t.n_answers < (SELECT c2.max_overlap FROM campaigns c2 WHERE c2.id = t.campaign_id) "
    "+ t.extra_overlap"
)
NOT_SEEN = (
    "NOT EXISTS (SELECT 1 FROM answers a WHERE a.campaign_id = t.campaign_id "
    "AND a.item_id = t.item_id AND a.player_id = ?) "
    "AND NOT EXISTS (SELECT 1 FROM rounds r WHERE r.player_id = ? "
    "AND r.campaign_id = t.campaign_id AND r.item_id = t.item_id) "
    "AND NOT EXISTS (SELECT 1 FROM contributions k WHERE k.item_id = t.item_id "
    "AND k.player_id = ?) AND NOT EXISTS (SELECT 1 FROM item_exclusions x "
    "WHERE x.item_id = t.item_id AND x.player_id = ?)"
)
