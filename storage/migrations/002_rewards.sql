-- Migration 002_rewards: levels, streaks, badges and the leaderboard rollups.
--
-- player_rewards: one row per player who earned anything. The streak state (lengths in days,
-- the last activity as an instant, freezes), the level last announced, the reward counters
-- that no other table keeps (games and platforms used as comma lists, first/right quick-draw
-- guesses, items finalized with the player's answers, right answers in a row) and the badge
-- ids held (a comma list: read with the row in every answer batch). `on_boards` mirrors
-- players.hidden for the rollups: it is changed only together with board_hist, so the
-- histogram always counts exactly the visible players.
CREATE TABLE player_rewards (
    player_id {bigint} PRIMARY KEY REFERENCES players(id) ON DELETE CASCADE,
    level INTEGER NOT NULL DEFAULT 1,
    on_boards INTEGER NOT NULL DEFAULT 1,
    streak_current INTEGER NOT NULL DEFAULT 0,
    streak_best INTEGER NOT NULL DEFAULT 0,
    streak_last_at {real},
    freezes INTEGER NOT NULL DEFAULT 0,
    toward_freeze INTEGER NOT NULL DEFAULT 0,
    reminded_on TEXT,
    games TEXT NOT NULL DEFAULT '',
    platforms TEXT NOT NULL DEFAULT '',
    campaigns INTEGER NOT NULL DEFAULT 0,
    first_correct INTEGER NOT NULL DEFAULT 0,
    correct_guesses INTEGER NOT NULL DEFAULT 0,
    items_finalized INTEGER NOT NULL DEFAULT 0,
    right_run INTEGER NOT NULL DEFAULT 0,
    right_best INTEGER NOT NULL DEFAULT 0,
    badges TEXT NOT NULL DEFAULT '',
    updated_at {real} NOT NULL DEFAULT 0
);
CREATE INDEX player_rewards_streak ON player_rewards (streak_current);

-- streak_events: the audit log of every streak change (started, extended, freeze earned or
-- used, broken), so a player can read why a streak ended.
CREATE TABLE streak_events (
    id {pk},
    player_id {bigint} NOT NULL REFERENCES players(id) ON DELETE CASCADE,
    at {real} NOT NULL,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    streak INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX streak_events_player ON streak_events (player_id, at);

-- player_badges: each badge is awarded once (the primary key makes a second award a no-op).
CREATE TABLE player_badges (
    player_id {bigint} NOT NULL REFERENCES players(id) ON DELETE CASCADE,
    badge_id TEXT NOT NULL,
    awarded_at {real} NOT NULL,
    PRIMARY KEY (player_id, badge_id)
);

-- board_totals: the leaderboard rollup, maintained in the answer batch. One row per
-- (scope, scope_id, player): scope 0 = global (scope_id 0), 1 = community, 2 = campaign.
-- all_pts is the all-time total; week_pts and day_pts the totals of the local week
-- (week_key = ordinal of its Monday) and day (day_key = ordinal of the date) in the scope's
-- time zone. A row whose key is not the current one holds an older period: boards read only
-- rows of the current key, so every window equals the ledger rows inside it. No foreign key:
-- a deleted player's rows are removed with their histogram counts (store_rewards).
CREATE TABLE board_totals (
    scope INTEGER NOT NULL,
    scope_id {bigint} NOT NULL,
    player_id {bigint} NOT NULL,
    visible INTEGER NOT NULL DEFAULT 1,
    all_pts {bigint} NOT NULL DEFAULT 0,
    week_key INTEGER NOT NULL DEFAULT 0,
    week_pts {bigint} NOT NULL DEFAULT 0,
    day_key INTEGER NOT NULL DEFAULT 0,
    day_pts {bigint} NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, scope_id, player_id)
);
CREATE INDEX board_all ON board_totals (scope, scope_id, visible, all_pts DESC, player_id);
CREATE INDEX board_week ON board_totals (scope, scope_id, visible, week_key, week_pts DESC,
    player_id);
CREATE INDEX board_day ON board_totals (scope, scope_id, visible, day_key, day_pts DESC,
    player_id);

-- board_hist: how many visible players of a board have a total in each bucket (period 0 all
-- time with key 0, 1 week, 2 day). Totals below 1024 have a bucket each; above, 64 buckets
-- per power of two. A player's rank is 1 + the sum of the buckets above theirs + the players
-- of their own (wide) bucket with more points: a few thousand index entries at most, however
-- many players there are.
CREATE TABLE board_hist (
    scope INTEGER NOT NULL,
    scope_id {bigint} NOT NULL,
    period INTEGER NOT NULL,
    period_key INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    n {bigint} NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, scope_id, period, period_key, bucket)
);
