"""What API token holders and the admin running `run.py token` read."""

from __future__ import annotations

INVALID_TOKEN = "invalid or expired API token"
NO_SUCH_TOKEN = "there is no API token with id {token_id}"
NO_SUCH_COMMUNITY = "there is no community with id {community_id}"
NAME_NEEDED = "an API token needs a name (1 to {limit} characters)"
BAD_EXPIRY = "--expires-days must be a whole number of days from 1 to {limit}"
ALL_FOR_ADMINS = "only an admin may make a token that sees every community: name its communities"
WRITE_NEEDED = "this API token may only read: this needs a read+write token"
