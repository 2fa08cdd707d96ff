"""Spreadsheet-safe CSV cells (OWASP's rule against CSV injection).

A spreadsheet (Excel, LibreOffice, Google Sheets) reads a cell that starts with `=`, `+`,
`-` or `@` as a formula, and one that starts with a tab or a carriage return may be trimmed
into one. Exports carry text that players and uploaders typed (answers, doodle guesses, item
sources, options), so every text cell that starts with one of those characters is written
with a single quote `'` in front: the spreadsheet shows the text instead of running it.
Numbers are never escaped (a negative confidence stays a number); only text cells are.
docs/admins.md#exports says what is done and how to get raw cells (`--raw-cells`).
"""

from __future__ import annotations

from collections.abc import Iterable

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """`text` with a leading `'` when it starts with a character in `DANGEROUS`."""
    return "'" + text if text.startswith(DANGEROUS) else text


def csv_line(values: Iterable[object]) -> str:
    """One CSV row ending in "\\n": a field is quoted when it holds a comma, a quote, a CR or a
    LF (quotes doubled), so a cell can never split its row. (The `csv` module of Python 3.11
    leaves a lone CR unquoted with a "\\n" line end, which some readers take for a new row.)"""
    return ",".join(_field(v) for v in values) + "\n"


def _field(v: object) -> str:
    s = "" if v is None else str(v)
    if any(ch in s for ch in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s
