"""What a pipeline calling the JSON API's write side reads (problem details).

Messages are keys: each constant is a `str.format` template whose `{{fields}}` are the
parameters its callers pass. Every message starts with the field it is about (`{field}`, a
path such as `items[3].image`), so a caller can point at it.
"""

from __future__ import annotations

BODY_NOT_OBJECT = "{field}: expected a JSON object"
ITEMS_NOT_LIST = "{field}: expected a list of 1 to {most} items"
TOO_MANY_ITEMS = "{field}: at most {most} items per request, got {count}"
UNKNOWN_FIELD = "{field}: unknown field (known: {known})"
REQUIRED = "{field}: required"
NOT_STRING = "{field}: expected a string"
BAD_LENGTH = "{field}: expected 1 to {most} characters, got {count}"
CONTROL = "{field}: {problem}"
ONE_CONTENT = "{field}: give exactly one of image, text or strokes"
WRONG_KIND = "{field}: campaign {campaign!r} ({game}) takes {kinds}, not {kind} items"
SOURCE_TWICE = "{field}: the same source as items[{first}]"
NOT_PRIORITY = "{field}: expected a whole number from {low} to {high}"
NOT_BASE64 = "{field}: not valid base64"
IMAGE_TOO_BIG = "{field}: an image may have at most {most_mb} MB, this one has {size_mb:.1f} MB"
NOT_IMAGE = "{field}: {problem}"
BAD_STROKES = "{field}: {problem}"
TOO_MANY_POINTS = "{field}: at most {most} points in all strokes, got {count}"
NOT_AN_ANSWER = "{field}: {problem}"
PREDICTION_NEEDED = "{field}: required in a {game} campaign ({why})"
VERIFY_WHY = "the candidate label players verify"
DOODLE_WHY = "the word the doodle was drawn for"
TRUTH_YES_NO = "{field}: a verify item's truth is yes or no"
CAMPAIGN_CLOSED = (
    "campaign: {campaign!r} is {status}; items can be added to draft, active, paused or "
    "completed campaigns"
)
NOT_BOOLEAN = "{field}: expected true or false"
LABEL_PROBLEM = "{field}: {problem}"
ITEM_NOT_HERE = "there is no item {item_id} in campaign {campaign_id}"
EXPLANATION_WITHOUT_GOLD = '{field}: goes with "gold": true (what players see after a gold item)'
SOURCE_TAKEN = (
    "{field}: another campaign's item over the same dataset has this source; use another"
)
SHARED_FOR_ADMINS = (
    "campaign: {campaign!r} is shared by every community; only a token of every community (an "
    "admin's) may change it"
)
