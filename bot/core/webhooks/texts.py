"""Words of webhooks (`bot.core.webhooks`).

Messages are keys: each constant is a `str.format` template whose `{{fields}}` are the
parameters its callers pass (errors take them as keyword arguments, replies call
`.format`). tests/test_texts.py checks that every call passes exactly those fields.
"""

from __future__ import annotations

NO_SUCH_CAMPAIGN = "there is no campaign named {name}"
NO_SUCH_WEBHOOK = "there is no webhook with id {webhook_id}"
BAD_URL = "url: {why}"
URL_SCHEME = "must be an http:// or https:// URL"
URL_HOST = "names no host"
URL_LONG = "is longer than {limit} characters"
URL_SPACES = "must not contain spaces or control characters"
HTTP_WARNING = (
    "warning: {url} is plain http: events and their signatures travel unencrypted; use "
    "https unless the receiver is on this machine"
)
