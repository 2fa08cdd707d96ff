"""Button payloads: compact, versioned, at most 64 bytes, shared by both platforms.

Shape: `v1:<action>[:<arg>...]`, integers in base 36. Telegram carries it as
`callback_data` (1-64 bytes), Discord as a button `custom_id` (<= 100 chars). State lives in
the database, never in the payload, so buttons keep working after a restart.

| action | args              | meaning                                  |
|--------|-------------------|------------------------------------------|
| a      | round, choice     | answer a round with option `choice`      |
| s      | round             | skip a solo task                         |
| g      | round             | open the guess input for a doodle round  |
| n      | -                 | next solo task                           |
| c      | 1 / 0             | accept / decline the consent text        |
| f      | 1 / 0             | confirm / cancel "forget me"             |
| p      | flag, 1 / 0       | privacy setting (h: hide from boards, r: reminders) |
| r      | item, choice      | moderator review: label, page, make gold  |
| m      | object, operation | moderator actions (campaigns; standings: ops "s0".."sz") |
| q      | round, choice     | quick-draw solo series: pick a word       |
| w      | view, arg         | rewards views (0 points, 1 badges, 2 streak) |
| t      | round             | how to type an answer (Discord: the Answer modal) |
| k      | consent, 1 / 0    | a photo consent (1 store, 2 owner use, 3 publish) yes / no |
| x      | photo, 1 / 0      | delete one contributed photo: ask (0) / confirm (1) |
| o      | round             | open the locate canvas for a round       |
| l      | round, mask, i    | multilabel: toggle option `i` of the selection `mask`, or Done |

Each action is handled by the feature that registered it (`Extensions.button`); an action
nobody registered gets the "not one of mine" answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.kernel import texts
from bot.core.kernel.errors import UnknownPayload

VERSION = "v1"
MAX_BYTES = 64
MAX_INT = 2**63 - 1  # BIGINT: every id and key a payload carries fits
PATTERN = re.compile(r"^v1:[a-z](?::[0-9a-z]{1,13}){0,3}$")
_ARITY = {
    "a": 2,
    "s": 1,
    "g": 1,
    "n": 0,
    "c": 1,
    "f": 1,
    "p": 2,
    "r": 2,
    "m": 2,
    "q": 2,
    "w": 2,
    "t": 1,
    "k": 2,
    "x": 2,
    "o": 1,
    "l": 3,
}

_YES_NO = {"c", "f", "p"}  # their (last) argument is 1 / 0, nothing else


@dataclass(frozen=True, slots=True)
class Payload:
    action: str
    args: tuple[int, ...] = ()
    flag: str | None = None


def _b36(n: int) -> str:
    if n < 0:
        raise ValueError("payload integers are non-negative")
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def encode(action: str, *args: int, flag: str | None = None) -> str:
    """`encode("a", 123, 2)` -> `"v1:a:3f:2"`."""
    if action not in _ARITY:
        raise ValueError(f"unknown payload action {action!r}")
    parts = [VERSION, action]
    if flag is not None:
        parts.append(flag)
    parts += [_b36(a) for a in args]
    text = ":".join(parts)
    if len(text.encode()) > MAX_BYTES:
        raise ValueError("payload longer than 64 bytes")
    return text


def decode(text: str) -> Payload:
    """Parse a payload; anything malformed raises `UnknownPayload` with a readable message."""
    if not isinstance(text, str) or not PATTERN.match(text) or len(text.encode()) > MAX_BYTES:
        raise UnknownPayload(texts.UNKNOWN_BUTTON)
    _v, action, *raw = text.split(":")
    arity = _ARITY.get(action)
    if arity is None:
        raise UnknownPayload(texts.UNKNOWN_BUTTON)
    flag = None
    if action == "p":
        if not raw or raw[0] not in ("h", "r"):
            raise UnknownPayload(texts.UNKNOWN_BUTTON)
        flag, raw = raw[0], raw[1:]
        arity = 1
    if len(raw) != arity:
        raise UnknownPayload(texts.UNKNOWN_BUTTON)
    try:
        args = tuple(int(a, 36) for a in raw)
    except ValueError:
        raise UnknownPayload(texts.NOT_MY_BUTTON) from None
    if any(a > MAX_INT for a in args):  # 13 base-36 digits overflow a database id
        raise UnknownPayload(texts.UNKNOWN_BUTTON)
    if action in _YES_NO and args[0] not in (0, 1):
        raise UnknownPayload(texts.UNKNOWN_BUTTON)  # a forged "yes" must not read as 7
    return Payload(action, args, flag)
