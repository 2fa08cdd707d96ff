"""Words of label exports.

Messages are keys: each constant is a `str.format` template whose `{{fields}}` are the
parameters its callers pass (errors take them as keyword arguments, replies call
`.format`). tests/test_texts.py checks that every call passes exactly those fields.
"""

from __future__ import annotations

FILE_TOO_BIG_TO_SPLIT = (
    "{filename} does not fit the upload limit of {limit_kb} KB even split by rows; export it "
    "on the server with `run.py export`"
)

# The label feed of the JSON API (`bot.core.exports.feed`).
NO_SUCH_CAMPAIGN_ID = "there is no campaign with id {campaign_id}"
BAD_CURSOR = "since is not a cursor this API returned (pass the `next` of a previous page)"
BAD_LIMIT = "limit must be a whole number from 1 to {limit}"

# Export options (`bot.core.exports.download`: the command line and the dashboard).
UNKNOWN_FORMAT = "format {fmt!r} is not an export format: use one of {formats}"
UNKNOWN_METHOD = "method {method!r} is not an aggregation method: use one of {methods}"
METHOD_NOT_FOR_ANSWERS = "method applies to labels, not to answers (leave it at live)"
NDJSON_ONLY_DOODLES = "format ndjson exports the doodles of a quick-draw campaign (labels only)"
UNKNOWN_DRAWINGS = "drawings must be one of {choices}, got {value!r}"
DETECTION_ONLY_LOCATE = (
    "format {fmt} exports the boxes or points of a locate campaign (labels only)"
)
