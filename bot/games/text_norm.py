"""Normalisation of typed answers, shared by the typed games (transcribe, translate).

Rule: Unicode NFKC (compatibility forms folded: full-width letters, ligatures, non-breaking
spaces), tabs and line breaks read as spaces, leading and trailing whitespace stripped; then
runs of whitespace collapsed to one space (`spaces="collapse"`, the default) or kept as typed
(`spaces="keep"`), and the text casefolded (`case="fold"`, the default: "Straße" and
"STRASSE" agree) or kept (`case="keep"`). Refused, naming the problem (`InvalidInput`): a
control character (NUL, escape, ...; checked before anything is changed), an answer empty after
normalisation, one longer than `max_chars` characters (counted after normalisation).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.errors import InvalidInput

FOLD, KEEP, COLLAPSE = "fold", "keep", "collapse"
DEFAULT_MAX_CHARS, MAX_MAX_CHARS = 200, 1000
_LINE_WHITESPACE = re.compile(r"[\t\n\r\v\f\u2028\u2029]")
_RUNS = re.compile(r"\s+")
_ALLOWED_CONTROLS = frozenset("\t\n\r")

EMPTY = "Type what the image says (the answer was empty)."
TOO_LONG = "Your answer is {length} characters long; the limit here is {limit}."
CONTROL = "Your answer contains a control character ({char}), which is not allowed."


@dataclass(frozen=True, slots=True)
class TextRules:
    """How a campaign compares typed answers (its `case`, `spaces` and `max_chars`)."""

    case: str = FOLD
    spaces: str = COLLAPSE
    max_chars: int = DEFAULT_MAX_CHARS
    empty_message: str = EMPTY

    @classmethod
    def of(cls, settings: Mapping[str, Any], empty_message: str = EMPTY) -> TextRules:
        """The rules from a campaign's stored settings (defaults for missing keys)."""
        limit = settings.get("max_chars", DEFAULT_MAX_CHARS)
        return cls(
            case=str(settings.get("case", FOLD)),
            spaces=str(settings.get("spaces", COLLAPSE)),
            max_chars=int(limit) if isinstance(limit, int) else DEFAULT_MAX_CHARS,
            empty_message=empty_message,
        )


def refuse_controls(text: str) -> None:
    """InvalidInput naming the first control character (category Cc, tab and line breaks
    aside: they read as spaces)."""
    for ch in text:
        if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS:
            raise InvalidInput(CONTROL, char=f"U+{ord(ch):04X}")


def fold(text: str, rules: TextRules) -> str:
    """The comparable form of `text` without any check (see the module docstring)."""
    out = _LINE_WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    if rules.spaces != KEEP:
        out = _RUNS.sub(" ", out)
    if rules.case != KEEP:
        out = out.casefold()
    return out


def normalize_text(text: str, rules: TextRules) -> str:
    """The stored form of a typed answer; InvalidInput naming what is wrong."""
    refuse_controls(text)
    out = fold(text, rules)
    if not out:
        raise InvalidInput(rules.empty_message)
    if len(out) > rules.max_chars:
        raise InvalidInput(TOO_LONG, length=len(out), limit=rules.max_chars)
    return out


def check_text_settings(raw: Mapping[str, str], allowed: Mapping[str, str]) -> dict[str, Any]:
    """`case`, `spaces` and `max_chars` from `key=value` words, checked and typed; any other
    key not in `allowed` is refused by name. Keys of `allowed` beyond these three are left to
    the caller (returned untouched as strings)."""
    unknown = sorted(k for k in raw if k not in allowed)
    if unknown:
        known = ", ".join(sorted(allowed))
        raise InvalidInput(f"unknown setting {', '.join(unknown)} (known: {known})")
    out: dict[str, Any] = {"case": FOLD, "spaces": COLLAPSE, "max_chars": DEFAULT_MAX_CHARS}
    for key, value in raw.items():
        value = value.strip()
        if key == "case":
            if value not in (FOLD, KEEP):
                raise InvalidInput(f"case must be fold or keep, not {value!r}")
            out[key] = value
        elif key == "spaces":
            if value not in (COLLAPSE, KEEP):
                raise InvalidInput(f"spaces must be collapse or keep, not {value!r}")
            out[key] = value
        elif key == "max_chars":
            if not value.isdigit() or not 1 <= int(value) <= MAX_MAX_CHARS:
                raise InvalidInput(
                    f"max_chars must be a whole number from 1 to {MAX_MAX_CHARS}, not {value!r}"
                )
            out[key] = int(value)
        else:
            out[key] = value
    return out
