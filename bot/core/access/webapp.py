"""Telegram Mini App `initData`: validated exactly as Telegram specifies, pure (no network).

Rules ("Validating data received via the Mini App", core.telegram.org/bots/webapps):
- `initData` is a URL query string; `hash` is the hex HMAC-SHA256 of the data-check-string
  (every other `key=value` pair, values URL-decoded, sorted by key, joined by `\\n`) under
  the secret key HMAC-SHA256(key=b"WebAppData", msg=bot_token). The hash is compared in
  constant time (`hmac.compare_digest`); anything that fails is `InvalidInitData` with the
  same words whatever failed (a forger learns nothing from the message);
- `auth_date` (Unix seconds) must be no older than `max_age` seconds (and not more than a
  minute in the future): replaying old initData is refused;
- the player is `telegram:<user.id>` (the `user` field, JSON); their name is the one chat
  uses (first and last name, else the username, else the id). Nothing else from initData is
  kept. The bot token is never logged nor put in an error.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl

from bot.core.kernel.models import PlayerRef

PLATFORM = "telegram"
MAX_LENGTH = 8192
"""Longer initData is refused unread (Telegram's is well under 4 KiB)."""
FUTURE_SKEW = 60.0
INVALID = "The Telegram sign-in data is not valid: close the drawing page and open it again."
EXPIRED = (
    "The Telegram sign-in data has expired: close the drawing page and open it again from the bot."
)


class InvalidInitData(ValueError):
    """initData that is malformed, forged, for another bot, or too old (`message`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class WebAppUser:
    """Who opened the Mini App, once their initData is valid."""

    ref: PlayerRef
    auth_date: int


def secret_key(bot_token: str) -> bytes:
    """HMAC-SHA256(key="WebAppData", msg=bot_token)."""
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(pairs: dict[str, str]) -> str:
    """Every pair but `hash`, sorted by key, `key=value` joined by newlines."""
    return "\n".join(f"{k}={pairs[k]}" for k in sorted(pairs) if k != "hash")


def sign(pairs: dict[str, str], bot_token: str) -> str:
    """The hex hash Telegram would put in `hash` for these pairs (used by tests and fakes)."""
    msg = data_check_string(pairs).encode()
    return hmac.new(secret_key(bot_token), msg, hashlib.sha256).hexdigest()


def _pairs(init_data: str) -> dict[str, str]:
    if not init_data or len(init_data) > MAX_LENGTH:
        raise InvalidInitData(INVALID)
    try:
        items = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InvalidInitData(INVALID) from None
    pairs = dict(items)
    if len(pairs) != len(items):  # a key given twice: ambiguous, refused
        raise InvalidInitData(INVALID)
    return pairs


def _ref(raw_user: str) -> PlayerRef:
    try:
        user = json.loads(raw_user)
        user_id = int(user["id"])
    except (ValueError, TypeError, KeyError):
        raise InvalidInitData(INVALID) from None
    first, last = str(user.get("first_name") or ""), str(user.get("last_name") or "")
    name = " ".join(p for p in (first, last) if p) or str(user.get("username") or user_id)
    return PlayerRef(PLATFORM, str(user_id), name)


def validate(init_data: str, bot_token: str, *, now: float, max_age: float) -> WebAppUser:
    """The player behind `init_data` when it is signed with `bot_token` and no older than
    `max_age` seconds at `now`; `InvalidInitData` otherwise (see the module rules)."""
    if not bot_token:
        raise InvalidInitData(INVALID)
    pairs = _pairs(init_data)
    given = pairs.get("hash", "")
    if not hmac.compare_digest(sign(pairs, bot_token).encode(), given.encode()):
        raise InvalidInitData(INVALID)
    try:
        auth_date = int(pairs["auth_date"])
    except (KeyError, ValueError):
        raise InvalidInitData(INVALID) from None
    if auth_date > now + FUTURE_SKEW:
        raise InvalidInitData(INVALID)
    if now - auth_date > max_age:
        raise InvalidInitData(EXPIRED)
    if "user" not in pairs:
        raise InvalidInitData(INVALID)
    return WebAppUser(_ref(pairs["user"]), auth_date)


def build_init_data(user: dict[str, object], bot_token: str, *, auth_date: int) -> str:
    """initData as Telegram would send it for `user` (a test and demo helper: the fake bot's
    token signs it, exactly as the real Telegram signs with the real one)."""
    from urllib.parse import urlencode

    pairs = {
        "query_id": "AAF-fake",
        "user": json.dumps(user, separators=(",", ":")),
        "auth_date": str(auth_date),
    }
    pairs["hash"] = sign(pairs, bot_token)
    return urlencode(pairs)
