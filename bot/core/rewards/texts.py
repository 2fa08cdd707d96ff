"""Words of boards, announcements and reward cards.

Messages are keys: each constant is a `str.format` template whose `{{fields}}` are the
parameters its callers pass (errors take them as keyword arguments, replies call
`.format`). tests/test_texts.py checks that every call passes exactly those fields.
"""

from __future__ import annotations

UNKNOWN_SCOPE = "scope must be one of {scopes}"
UNKNOWN_WINDOW = "window must be one of {windows}"
TOP_NEEDS_A_GROUP = "Use /top in a group, or /top global here."
ANNOUNCING_HERE = "📣 This channel now gets {what}. /announce off stops it."
ANNOUNCEMENTS_OFF = "🔕 No more announcements here. /announce turns them back on."
ONLY_MODERATORS_ANNOUNCE = "Only moderators can choose the announcement channel."
ANNOUNCE_IN_THE_CHANNEL = "Use /announce in the group or channel that should get them."
CHANNEL_WITHOUT_COMMUNITY = "This channel belongs to no community."
WEEKLY_WINNERS = "the top {count} of each week (Mondays, {hour}:00)"
LEVEL_UPS = "level-ups (names only, no pings)"
BOTH = "{first} and {second}"
