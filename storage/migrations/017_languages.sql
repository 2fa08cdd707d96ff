-- Migration 017_languages: what the translate game (issue 16, docs/translate.md) keeps.
-- `player_languages`: the languages a consented player said they speak (`/languages de en`),
-- BCP-47-ish codes (2-3 lowercase letters); only players who speak a translate campaign's
-- target language get its tasks. Rows go with their player (ON DELETE CASCADE: /forget).
-- `item_exclusions`: players an item is never served to and whose answer on it is refused
-- (the authors of both sides of a "which translation is better?" pair, the players who typed
-- the same translation as a candidate's author). The solo next-task query skips them.
-- `translate_sources`: the decision about a source sentence, made ONCE: the row is inserted
-- when the valid candidates go to a pairwise comparison (`state` comparing, `pair_item_id`),
-- and moved to `accepted` or `review` by a conditional write (state still open/comparing),
-- whichever process's tick gets there first.

CREATE TABLE player_languages (
    player_id {bigint} NOT NULL REFERENCES players(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    PRIMARY KEY (player_id, code)
);

CREATE TABLE item_exclusions (
    item_id {bigint} NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    player_id {bigint} NOT NULL REFERENCES players(id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, player_id)
);
CREATE INDEX item_exclusions_player ON item_exclusions (player_id);

CREATE TABLE translate_sources (
    campaign_id {bigint} NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    item_id {bigint} NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    pair_item_id {bigint} REFERENCES items(id) ON DELETE SET NULL,
    accepted_item_id {bigint} REFERENCES items(id) ON DELETE SET NULL,
    score {real},
    decided_at {real},
    PRIMARY KEY (campaign_id, item_id)
);
