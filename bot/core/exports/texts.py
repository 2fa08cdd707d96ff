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
