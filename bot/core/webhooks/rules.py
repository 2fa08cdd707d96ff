"""Pure rules of webhooks out: the URL check, the signature, the retry schedule and the
event body. No I/O, `now` passed in.

Rules:
- a webhook URL is http:// or https:// with a host, at most `URL_MAX` characters, no
  spaces or control characters; plain http is allowed but warned about unless the host is
  loopback (`localhost`, 127.0.0.0/8, ::1);
- the signature header is `sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>`, the
  timestamp being the `X-LabelQuest-Timestamp` header (whole seconds since the epoch) and
  body the exact bytes POSTed: a receiver recomputes it and rejects old timestamps;
- after a failed attempt n (1-based) the next is `backoff[n-1]` seconds later; once the
  schedule is used up the delivery is `failed` (so len(backoff) + 1 attempts in all);
- the body is `{"id": "evt_<seq>", "type": kind, "created_at": ISO 8601, "data": {...}}`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from bot.core.kernel.errors import InvalidInput
from bot.core.webhooks import texts

URL_MAX = 2000
SECRET_PREFIX = 8


def check_url(url: str) -> str | None:
    """The URL if it may be a webhook (raises `InvalidInput` naming `url` otherwise); returns a
    warning for plain http to a host that is not loopback, else None."""
    if len(url) > URL_MAX:
        raise InvalidInput(texts.BAD_URL, why=texts.URL_LONG.format(limit=URL_MAX))
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise InvalidInput(texts.BAD_URL, why=texts.URL_SPACES)
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise InvalidInput(texts.BAD_URL, why=texts.URL_SCHEME) from None
    if parts.scheme not in ("http", "https"):
        raise InvalidInput(texts.BAD_URL, why=texts.URL_SCHEME)
    if not host:
        raise InvalidInput(texts.BAD_URL, why=texts.URL_HOST)
    if parts.scheme == "http" and not is_loopback(host):
        return texts.HTTP_WARNING.format(url=url)
    return None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The `X-LabelQuest-Signature` value of `body` sent at `timestamp`."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def retry_delay(attempts: int, backoff: Sequence[float]) -> float | None:
    """Seconds until the next attempt after `attempts` failed ones; None: give up."""
    return backoff[attempts - 1] if 1 <= attempts <= len(backoff) else None


def iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds")


def event_body(seq: int, kind: str, at: float, data: dict[str, Any]) -> bytes:
    """The JSON bytes POSTed for one event (compact, keys in a fixed order)."""
    doc = {"id": f"evt_{seq}", "type": kind, "created_at": iso(at), "data": data}
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()
