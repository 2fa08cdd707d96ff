-- Migration 003_quickdraw: every guess on a doodle, with its context (docs/quickdraw.md).
-- A player's FIRST guess on a doodle is also their answer row (answers are unique per item
-- and player); `is_first` marks it here. `kind` is how the guess matched the word: exact,
-- synonym, close, wrong, or pick (a solo multiple-choice button). `hints_shown` letters were
-- visible and `after_reveal` says the word had already been shown to the channel, so later
-- aggregation can discount weak evidence. Rows go with their player (ON DELETE CASCADE).

CREATE TABLE guesses (
    id {pk},
    round_id {bigint} REFERENCES rounds(id) ON DELETE CASCADE,
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    item_id {bigint} NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    player_id {bigint} NOT NULL REFERENCES players(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    normalized TEXT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    correct INTEGER NOT NULL,
    hints_shown INTEGER NOT NULL DEFAULT 0,
    after_reveal INTEGER NOT NULL DEFAULT 0,
    is_first INTEGER NOT NULL DEFAULT 0,
    points INTEGER NOT NULL DEFAULT 0,
    latency_ms INTEGER,
    mode TEXT NOT NULL,
    platform TEXT NOT NULL,
    created_at {real} NOT NULL
);
CREATE INDEX guesses_round_player ON guesses (round_id, player_id);
CREATE INDEX guesses_item ON guesses (campaign_id, item_id, is_first);
CREATE INDEX guesses_player ON guesses (player_id);
CREATE INDEX rounds_message ON rounds (message_ref);
