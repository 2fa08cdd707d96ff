"""What players read about translation and their languages (docs/translate.md)."""

from __future__ import annotations

LANGUAGES_SHOWN = (
    "🗣️ Your languages: {languages}.\nChange them with /languages de en (codes), clear them "
    "with /languages none."
)
LANGUAGES_NONE = (
    "🗣️ You have not set any languages. Translation tasks need them: /languages de en "
    "(codes of the languages you speak)."
)
LANGUAGES_SET = "🗣️ Saved: you speak {languages}. Translation tasks into these come your way."
LANGUAGES_CLEARED = "🗣️ Your languages are cleared."
UNKNOWN_LANGUAGE = (
    "Unknown language code {codes}. Use two- or three-letter codes such as de, en, fr, es."
)
TOO_MANY_LANGUAGES = "At most {limit} languages, please (you gave {count})."
NEEDS_TARGET = "Set your languages with /languages to translate into {language}"
OWN_TRANSLATION = "You typed this translation too, so other players check it."
OWN_PAIR = "One of these translations is yours, so other players compare them."
