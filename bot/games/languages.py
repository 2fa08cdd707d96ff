"""Language codes the translate game and `/languages` accept: BCP-47-ish primary language
subtags (ISO 639-1 two letters, a few ISO 639-3 three letters), lowercase, with an English
name to show. A code not in this table is refused by name (a typo, or a language this
deployment cannot show)."""

from __future__ import annotations

import re

NAMES: dict[str, str] = {
    "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan", "cs": "Czech",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish",
    "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fil": "Filipino", "fr": "French",
    "ga": "Irish", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean", "lt": "Lithuanian",
    "lv": "Latvian", "ms": "Malay", "nl": "Dutch", "no": "Norwegian", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian",
    "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "th": "Thai",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "yue": "Cantonese",
    "zh": "Chinese",
}  # fmt: skip

_SHAPE = re.compile(r"^[a-z]{2,3}$")


def parse_code(raw: str) -> str | None:
    """The code in canonical form (`DE` -> `de`), or None when it is not a known code."""
    code = raw.strip().lower()
    return code if _SHAPE.match(code) and code in NAMES else None


def name_of(code: str) -> str:
    """`de` -> "German"; an unknown code is shown as itself."""
    return NAMES.get(code, code)
