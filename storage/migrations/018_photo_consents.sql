-- Migration 018_photo_consents: a player's answers to the three photo consents of image
-- capture (issue 16), as Crowdsource asks them: (1) `stores`: LabelQuest may store the photo,
-- (2) `owner_use`: the campaign's owner may use it, (3) `publish`: it may be published under
-- the campaign's open licence. Each is 1 (yes), 0 (no) or NULL (never answered), with the
-- time of the answer (`*_at`). `country` (ISO 3166-1 alpha-2) only when the player chose to
-- share it. `campaign_id` is the capture campaign the player is contributing to now (their
-- current prompt, set by /contribute). One row per player; it goes with the player (ON
-- DELETE CASCADE: /forget) and is listed by /mydata.

CREATE TABLE photo_consents (
    player_id {bigint} PRIMARY KEY REFERENCES players(id) ON DELETE CASCADE,
    stores INTEGER,
    stores_at {real},
    owner_use INTEGER,
    owner_use_at {real},
    publish INTEGER,
    publish_at {real},
    country TEXT,
    country_at {real},
    campaign_id {bigint} REFERENCES campaigns(id) ON DELETE SET NULL,
    campaign_at {real}
);
