"""Words of the review queue and player standing.

Messages are keys: each constant is a `str.format` template whose `{{fields}}` are the
parameters its callers pass (errors take them as keyword arguments, replies call
`.format`). tests/test_texts.py checks that every call passes exactly those fields.
"""

from __future__ import annotations

ITEM_NOT_YOURS = "That item is not in a campaign you moderate."
ITEM_GONE = "That item no longer exists."
NEWER_BUTTON = "That button is from a newer version of LabelQuest."
STALE_ITEM_BUTTON = "That button does not match this item any more."
NOT_A_LABEL = "{raw!r} is not a label of {campaign}: use one of {allowed}"
ITEM_NOT_IN_CAMPAIGN = "item {item} is not part of {campaign}"
ITEM_IS_GOLD = "item {item} is a gold item with the answer {gold!r}"
NO_MODERATED_CAMPAIGN_NAMED = "There is no campaign named {name!r} among those you moderate."
NO_CAMPAIGN_HERE = "There is no campaign here yet."
MODERATORS_ONLY_COMMAND = (
    "Only moderators can use {command}, in the group or server they moderate."
)
WHOSE_STANDING = (
    "Whose standing? Reply to one of their messages with /standing, or give their user id."
)
NOT_A_PLAYER = "{who} hasn't joined LabelQuest: nothing is stored about them."
NOT_YOUR_OWN_STANDING = "Nobody resets their own standing: ask another moderator."
ITEM_NOT_IN_QUEUE = "That item is not in the review queue."
NO_CAMPAIGN_ID = "There is no campaign {campaign_id} among those you moderate."
BULK_NO_ITEMS = "Pick at least one item."
BULK_TOO_MANY = "{count} items at once is too many: at most {limit}."
BULK_NOT_QUEUED = "Nothing was changed: not in the review queue of {campaign}: item(s) {items}."
BULK_UNKNOWN_ACTION = "Unknown action {action!r}: use one of {actions}."
BULK_LABEL_NEEDED = "The action {action!r} needs a label."
BULK_EXPLANATION_TOO_LONG = "The explanation is too long: at most {limit} characters."
