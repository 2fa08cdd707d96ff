"""Message references: how a round remembers the platform message that shows it.

One format for every chat platform: `"<channel_id>:<message_id>"`, both integers. The
channel may be negative (Telegram groups are); the message id never is. Anything else (an
empty string, a stray colon, a word, whitespace, a sign on the message id) is not one of
ours: `MessageRef.parse` returns None for it instead of raising, because references are read
back from the database, where an older or foreign value must not break an edit loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REF = re.compile(r"(-?[0-9]+):([0-9]+)")


@dataclass(frozen=True, slots=True)
class MessageRef:
    """A posted message: the channel (Discord channel, Telegram chat) and its id there."""

    channel: int
    message: int

    def __str__(self) -> str:
        return f"{self.channel}:{self.message}"

    @classmethod
    def parse(cls, text: str | None) -> MessageRef | None:
        """`"<channel>:<message>"` -> a reference; None when `text` is missing or not ours."""
        match = _REF.fullmatch(text) if text else None
        if match is None:
            return None
        return cls(int(match.group(1)), int(match.group(2)))


def parse_id(text: str) -> int | None:
    """A platform id stored as text (`"42"`, `"-100123"`) -> int; None when it is not one."""
    return int(text) if re.fullmatch(r"-?[0-9]+", text) else None
