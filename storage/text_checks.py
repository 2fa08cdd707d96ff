"""Checks shared by the importers: text that the store cannot hold (NUL and other control
characters; PostgreSQL refuses NUL in text) and the encoding of a file that is not UTF-8.

Rules: a control character is any C0 character except tab, newline and carriage return, and
DEL. A file that is not UTF-8 is named UTF-16 (or UTF-32) by its byte-order mark or by the
zero bytes UTF-16 puts beside ASCII text, and latin-1 otherwise when it decodes as
Windows-1252 / latin-1 into mostly printable text.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def control_char(text: str) -> str | None:
    """The first control character of `text`, written as U+XXXX, or None."""
    found = _CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def control_problem(text: str) -> str | None:
    """A readable reason when `text` holds a control character, else None."""
    found = control_char(text)
    return None if found is None else f"contains a control character ({found}); remove it"


def guess_encoding(data: bytes) -> str | None:
    """None when `data` is UTF-8, else the encoding it looks like (see the module rule)."""
    head = data[:65536]
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if head and head.count(0) * 4 >= len(head):
        return "UTF-16"
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        return "latin-1"


def not_utf8_message(name: str, data: bytes) -> str | None:
    """`NAME is not UTF-8 (it looks like X); save it as UTF-8`, or None for UTF-8 data."""
    looks = guess_encoding(data)
    if looks is None:
        return None
    return f"{name} is not UTF-8 (it looks like {looks}); save it as UTF-8"
