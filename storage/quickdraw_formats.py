"""Readers and a writer for Google's Quick, Draw! files: raw ndjson, simplified ndjson, `.bin`.

Format detection is by content, never only by the file name:

* a file whose first non-blank line decodes as a JSON object is **ndjson**; each line is then
  **raw** when its strokes carry a third (`t`) array and **simplified** when they do not;
* otherwise a file whose first record parses under the `.bin` layout (`<Q2sbIH` header,
  two uppercase ASCII letters for the country, a 0/1 `recognized` byte, every stroke inside
  the file) is **binary**;
* otherwise, only as a tie-break, a `.bin` file whose first header is plausible is binary (so
  a first record cut short is reported as such); anything else is "not a Quick, Draw! file"
  (naming the headerless 28x28 bitmap dumps that some tutorials also call `.bin`).

Validation rule (one `ParseProblem` per bad line or record, which is skipped; never an
exception): keys are checked by name (never by order); `word` and `drawing` are required and
`word` must be non-blank; `key_id` (digits, kept as `str`), `countrycode`, `timestamp` and
`recognized` are optional but must have the right type when present; every stroke needs
equally long, non-empty `x`/`y`(/`t`) arrays of finite numbers; `t` holds integers that never
decrease across the drawing, and either every stroke is timed or none is.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from storage.doodles import Drawing
from storage.quickdraw_records import (
    BIN_HEADER,
    BIN_NPOINTS,
    BadRecord,
    FatalRecord,
    bin_record,
    drawing_to_bin,
    drawing_to_ndjson,
    format_timestamp,
    loads_line,
    parse_ndjson_object,
    parse_timestamp,
)
from storage.text_checks import guess_encoding

log = logging.getLogger(__name__)

__all__ = [
    "DATA_SUFFIXES",
    "FileCounts",
    "ImportResult",
    "ParseProblem",
    "QuickDrawFormat",
    "detect_format",
    "drawing_to_bin",
    "drawing_to_ndjson",
    "format_timestamp",
    "iter_drawings",
    "parse_ndjson_object",
    "parse_timestamp",
    "read_quickdraw",
]

_BITMAP_BYTES = 28 * 28
_IS_NOT_UTF8 = "is not UTF-8 (it looks like {looks}); save it as UTF-8"
DATA_SUFFIXES = frozenset({".ndjson", ".jsonl", ".json", ".bin"})


class QuickDrawFormat(StrEnum):
    """What a file holds, as detected from its content."""

    RAW = "raw"
    SIMPLIFIED = "simplified"
    BINARY = "binary"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """One skipped line or record. `line` is 1-based (the record index for `.bin`, 0 = file)."""

    path: Path
    line: int
    message: str
    byte_offset: int | None = None

    def __str__(self) -> str:
        if self.line == 0:
            sep = " " if self.message.startswith("is ") else ": "
            return f"{self.path.name}{sep}{self.message}"
        if self.byte_offset is not None:
            return (
                f"{self.path.name} record {self.line} at byte {self.byte_offset}: {self.message}"
            )
        return f"{self.path.name} line {self.line}: {self.message}"


@dataclass(slots=True)
class FileCounts:
    """Per-file outcome: detected format, drawings kept, filtered out, and problems."""

    format: QuickDrawFormat
    drawings: int = 0
    filtered: int = 0
    problems: int = 0


@dataclass(slots=True)
class ImportResult:
    """Everything `read_quickdraw` found. A file in `empty_files` held no valid drawing at all."""

    drawings: list[Drawing] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    per_file_counts: dict[Path, FileCounts] = field(default_factory=dict)

    @property
    def empty_files(self) -> list[Path]:
        """Files read completely (or failed) without a single well-formed drawing."""
        return [p for p, c in self.per_file_counts.items() if c.drawings + c.filtered == 0]

    @property
    def ok(self) -> bool:
        """True when at least one drawing was read and no file was empty or unreadable."""
        return bool(self.drawings) and not self.empty_files


# ---------------------------------------------------------------------------------- detection


def detect_format(path: Path) -> QuickDrawFormat:
    """Detect the format from the first bytes (see the module docstring for the rule)."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
        size = path.stat().st_size
    first = _first_json_object(head)
    if first is not None:
        return _ndjson_kind(first)
    if _plausible_bin_record(head, size):
        return QuickDrawFormat.BINARY
    if path.suffix.lower() == ".bin" and _bin_header_ok(head):
        return QuickDrawFormat.BINARY  # a first record cut short: the reader reports it
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        return QuickDrawFormat.SIMPLIFIED  # broken ndjson: let the line reader name the lines
    return QuickDrawFormat.UNKNOWN


def _first_json_object(head: bytes) -> dict[str, Any] | None:
    for raw in head.split(b"\n")[:-1] or [head]:
        text = raw.strip().decode("utf-8-sig", errors="replace").strip()
        if not text:
            continue
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None
    return None


def _ndjson_kind(obj: dict[str, Any]) -> QuickDrawFormat:
    strokes = obj.get("drawing")
    if isinstance(strokes, list) and strokes and isinstance(strokes[0], list):
        return QuickDrawFormat.RAW if len(strokes[0]) >= 3 else QuickDrawFormat.SIMPLIFIED
    return QuickDrawFormat.SIMPLIFIED


def _bin_header_ok(head: bytes) -> bool:
    if len(head) < BIN_HEADER.size:
        return False
    _, country, recognized, _, n_strokes = BIN_HEADER.unpack_from(head)
    return country.isalpha() and country.isupper() and recognized in (0, 1) and n_strokes > 0


def _plausible_bin_record(head: bytes, size: int) -> bool:
    if not _bin_header_ok(head):
        return False
    pos = BIN_HEADER.size
    for _ in range(BIN_HEADER.unpack_from(head)[4]):
        if pos + 2 > len(head):
            return pos + 2 <= size  # record longer than the sniffed head: accept the prefix
        (n_points,) = BIN_NPOINTS.unpack_from(head, pos)
        pos += 2 + 2 * n_points
        if pos > size:
            return False
    return True


# ------------------------------------------------------------------------------------ reading


def iter_drawings(path: Path) -> Iterator[Drawing | ParseProblem]:
    """Yield every drawing of one file in order, and a `ParseProblem` for each bad part.

    An unreadable or unrecognised file yields a single problem with `line == 0`.
    """
    try:
        kind = detect_format(path)
    except OSError as exc:
        yield ParseProblem(path, 0, f"cannot read file ({exc.strerror or exc})")
        return
    if kind is QuickDrawFormat.UNKNOWN:
        yield ParseProblem(path, 0, _unknown_message(path))
        return
    if kind is not QuickDrawFormat.BINARY:
        wrong = _not_utf8(path)
        if wrong is not None:
            yield ParseProblem(path, 0, wrong)
            return
    with path.open("rb") as fh:
        if kind is QuickDrawFormat.BINARY:
            yield from _iter_bin(path, fh)
        else:
            yield from _iter_ndjson(path, fh)


def _not_utf8(path: Path) -> str | None:
    """The file's encoding when it is text but not UTF-8 (a BOM or many zero bytes)."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    looks = guess_encoding(head)
    if looks in ("UTF-16", "UTF-32"):
        return _IS_NOT_UTF8.format(looks=looks)
    return None


def _unknown_message(path: Path) -> str:
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    blank = not head.strip()
    looks = guess_encoding(head)
    if path.suffix.lower() != ".bin" and looks is not None:
        return _IS_NOT_UTF8.format(looks=looks)
    if size == 0 or blank:
        return "empty file (no drawings)"
    if size % _BITMAP_BYTES == 0:
        return (
            f"not a Quick, Draw! file ({size} bytes = {size // _BITMAP_BYTES} x 784: looks like"
            " a headerless 28x28 bitmap dump, not the stroke .bin format)"
        )
    return "not a Quick, Draw! file (neither ndjson nor the stroke .bin layout)"


def _iter_ndjson(path: Path, fh: BinaryIO) -> Iterator[Drawing | ParseProblem]:
    for lineno, raw in enumerate(fh, start=1):
        try:
            text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8").strip()
        except UnicodeDecodeError:
            looks = guess_encoding(raw)
            yield ParseProblem(
                path, lineno, f"not UTF-8 (it looks like {looks}); save it as UTF-8"
            )
            continue
        if not text:
            continue
        try:
            yield parse_ndjson_object(loads_line(text))
        except BadRecord as exc:
            yield ParseProblem(path, lineno, str(exc))


def _iter_bin(path: Path, fh: BinaryIO) -> Iterator[Drawing | ParseProblem]:
    """Records back to back until a clean EOF. A record cut short, or a header whose country or
    `recognized` byte is impossible (framing lost), is reported and ends the file."""
    offset, record = 0, 1
    while header := fh.read(BIN_HEADER.size):
        try:
            yield bin_record(fh, header)
        except FatalRecord as exc:
            yield ParseProblem(path, record, str(exc), offset)
            return
        except BadRecord as exc:
            yield ParseProblem(path, record, str(exc), offset)
        offset, record = fh.tell(), record + 1


def read_quickdraw(
    paths: Path | Iterable[Path],
    limit: int | None = None,
    recognized_only: bool = False,
    *,
    per_file_limit: int | None = None,
) -> ImportResult:
    """Read files (or folders: their `*.ndjson`, `*.jsonl`, `*.json`, `*.bin`, sorted).

    `.bin` records carry no word, so their word is the file stem (which is the category name
    upstream). `limit` caps the drawings kept in total, `per_file_limit` per file;
    `recognized_only` drops drawings whose `recognized` is false (counted as `filtered`).
    """
    result = ImportResult()
    for path in _expand(paths):
        if limit is not None and len(result.drawings) >= limit:
            break
        counts = FileCounts(format=QuickDrawFormat.UNKNOWN)
        result.per_file_counts[path] = counts
        with contextlib.suppress(OSError):  # iter_drawings reports an unreadable file
            counts.format = detect_format(path)
        for item in iter_drawings(path):
            if isinstance(item, ParseProblem):
                counts.problems += 1
                result.problems.append(item)
                continue
            if counts.format is QuickDrawFormat.BINARY:
                item = _with_word(item, path.stem)
            if recognized_only and item.recognized is False:
                counts.filtered += 1
                continue
            result.drawings.append(item)
            counts.drawings += 1
            full = limit is not None and len(result.drawings) >= limit
            if full or (per_file_limit is not None and counts.drawings >= per_file_limit):
                break
    log.info(
        "read %d drawings from %d files (%d problems)",
        len(result.drawings),
        len(result.per_file_counts),
        len(result.problems),
    )
    return result


def _expand(paths: Path | Iterable[Path]) -> Iterator[Path]:
    """Files in order, folders expanded to their data files (sorted), each file once."""
    seen: set[Path] = set()
    for given in [paths] if isinstance(paths, Path) else paths:
        path = Path(given)
        found = (
            sorted(p for p in path.iterdir() if p.suffix.lower() in DATA_SUFFIXES)
            if path.is_dir()
            else [path]
        )
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                yield file


def _with_word(d: Drawing, word: str) -> Drawing:
    return Drawing(word, d.strokes, d.key_id, d.countrycode, d.timestamp, d.recognized, d.extra)


# ------------------------------------------------------------------------------------ writing
