"""What API token holders and the admin running `run.py token` read."""

from __future__ import annotations

INVALID_TOKEN = "invalid or expired API token"
NO_SUCH_TOKEN = "there is no API token with id {token_id}"
NO_SUCH_COMMUNITY = "there is no community with id {community_id}"
NAME_NEEDED = "an API token needs a name (1 to {limit} characters)"
BAD_EXPIRY = "--expires-days must be a whole number of days from 1 to {limit}"
ALL_FOR_ADMINS = "only an admin may make a token that sees every community: name its communities"
WRITE_NEEDED = "this API token may only read: this needs a read+write token"

# dashboard sign-in (`Signin`): what moderators and admins read in chat and on the web
DASHBOARD_NOT_SET_UP = (
    "The web dashboard is not set up here: the bot's operator must set [web] public_url "
    "(the address the dashboard is reached at) in the config."
)
DASHBOARD_REFUSED = (
    "Only moderators and bot admins can open the dashboard. Moderators: send /dashboard in a "
    "group you moderate (the dashboard then shows that community)."
)
DASHBOARD_LINK = (
    "Your sign-in link to the dashboard ({scope}). It works once, for {minutes} minutes; "
    "don't share it, it signs in as you:\n{url}"
)
SCOPE_ADMIN = "bot admin: every community"
SCOPE_MODERATOR = "moderator of this group's community"
LINK_USED = (
    "This sign-in link was already used or has expired. Send /dashboard to the bot for a new one."
)
NOT_AN_ADMIN = (
    "{who} is not a bot admin: name one listed in the config's [admins] section as "
    'PLATFORM:ID, e.g. telegram:123456 (to add one: [admins] telegram = ["123456"])'
)
