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
import math
import re
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from storage.doodles import Drawing, Stroke

log = logging.getLogger(__name__)

_HEADER = struct.Struct("<Q2sbIH")  # key_id, countrycode, recognized, timestamp, n_strokes
_NPOINTS = struct.Struct("<H")
_BITMAP_BYTES = 28 * 28
DATA_SUFFIXES = frozenset({".ndjson", ".jsonl", ".json", ".bin"})
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\s*(?:UTC|Z|\+00:?00)?$"
)
_OWN_KEYS = ("word", "countrycode", "timestamp", "recognized", "key_id", "drawing")


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
            return f"{self.path.name}: {self.message}"
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


class _Bad(ValueError):
    """A validation failure inside one line or record; its text becomes the problem message."""


class _Fatal(_Bad):
    """A `.bin` failure after which record boundaries are unknown: stop reading the file."""


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
    if len(head) < _HEADER.size:
        return False
    _, country, recognized, _, n_strokes = _HEADER.unpack_from(head)
    return country.isalpha() and country.isupper() and recognized in (0, 1) and n_strokes > 0


def _plausible_bin_record(head: bytes, size: int) -> bool:
    if not _bin_header_ok(head):
        return False
    pos = _HEADER.size
    for _ in range(_HEADER.unpack_from(head)[4]):
        if pos + 2 > len(head):
            return pos + 2 <= size  # record longer than the sniffed head: accept the prefix
        (n_points,) = _NPOINTS.unpack_from(head, pos)
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
    with path.open("rb") as fh:
        if kind is QuickDrawFormat.BINARY:
            yield from _iter_bin(path, fh)
        else:
            yield from _iter_ndjson(path, fh)


def _unknown_message(path: Path) -> str:
    size = path.stat().st_size
    with path.open("rb") as fh:
        blank = not fh.read(1 << 20).strip()
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
        except UnicodeDecodeError as exc:
            yield ParseProblem(path, lineno, f"not UTF-8 text (byte {exc.start})")
            continue
        if not text:
            continue
        try:
            yield parse_ndjson_object(_loads(text))
        except _Bad as exc:
            yield ParseProblem(path, lineno, str(exc))


def _loads(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except _Bad:
        raise
    except ValueError as exc:
        raise _Bad(f"not JSON ({exc})") from None


def _reject_constant(name: str) -> Any:
    raise _Bad(f"not JSON ({name} is not a number)")


def parse_ndjson_object(obj: Any) -> Drawing:
    """Validate one decoded ndjson line and build its `Drawing` (raises `ValueError`)."""
    if not isinstance(obj, dict):
        raise _Bad(f"expected a JSON object, got {type(obj).__name__}")
    for key in ("word", "drawing"):
        if key not in obj:
            raise _Bad(f"missing key {key!r}")
    word = obj["word"]
    if not isinstance(word, str) or not word.strip():
        raise _Bad("'word' must be a non-empty string")
    return Drawing(
        word=word,
        strokes=_strokes(obj["drawing"]),
        key_id=_key_id(obj.get("key_id")),
        countrycode=_optional_str(obj, "countrycode"),
        timestamp=None if obj.get("timestamp") is None else parse_timestamp(obj["timestamp"]),
        recognized=_recognized(obj.get("recognized")),
        extra={k: v for k, v in obj.items() if k not in _OWN_KEYS},
    )


def _key_id(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return value
    raise _Bad(f"'key_id' must be a string of digits, got {value!r}")


def _optional_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise _Bad(f"{key!r} must be a string, got {type(value).__name__}")


def _recognized(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _Bad(f"'recognized' must be true or false, got {value!r}")


def parse_timestamp(value: Any) -> datetime:
    """Parse `YYYY-MM-DD HH:MM:SS[.f{1..6}] UTC` (also `T`, `Z`, no suffix) as aware UTC."""
    match = _TIMESTAMP.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise _Bad(f"'timestamp' is not 'YYYY-MM-DD HH:MM:SS[.ffffff] UTC': {value!r}")
    year, month, day, hour, minute, second, frac = match.groups()
    micro = int((frac or "0").ljust(6, "0"))
    try:
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, UTC
        )
    except ValueError as exc:
        raise _Bad(f"'timestamp' {value!r} is not a valid date ({exc})") from None


def _strokes(value: Any) -> tuple[Stroke, ...]:
    if not isinstance(value, list):
        raise _Bad(f"'drawing' must be a list of strokes, got {type(value).__name__}")
    if not value:
        raise _Bad("'drawing' has no strokes")
    strokes = tuple(_stroke(i, s) for i, s in enumerate(value, start=1))
    timed = [s.t is not None for s in strokes]
    if any(timed) and not all(timed):
        raise _Bad(f"stroke {timed.index(not timed[0]) + 1} differs from stroke 1 in having t")
    last = -math.inf
    for i, s in enumerate(strokes, start=1):
        for t in s.t or ():
            if t < last:
                raise _Bad(f"stroke {i}: t decreases ({last} then {t})")
            last = t
    return strokes


def _stroke(index: int, value: Any) -> Stroke:
    if not isinstance(value, list) or len(value) not in (2, 3):
        raise _Bad(f"stroke {index} must be [x, y] or [x, y, t]")
    x, y = _numbers(index, "x", value[0]), _numbers(index, "y", value[1])
    t = _times(index, value[2]) if len(value) == 3 else None
    if len(x) != len(y):
        raise _Bad(f"stroke {index} has {len(x)} x but {len(y)} y values")
    if t is not None and len(t) != len(x):
        raise _Bad(f"stroke {index} has {len(x)} x but {len(t)} t values")
    if not x:
        raise _Bad(f"stroke {index} has no points")
    return Stroke(x, y, t)


def _numbers(index: int, axis: str, value: Any) -> tuple[float, ...]:
    if not isinstance(value, list):
        raise _Bad(f"stroke {index}: {axis} must be a list of numbers")
    for v in value:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise _Bad(f"stroke {index}: {axis} value {v!r} is not a number")
    return tuple(float(v) for v in value)


def _times(index: int, value: Any) -> tuple[int, ...]:
    values = _numbers(index, "t", value)
    if any(not v.is_integer() for v in values):
        raise _Bad(f"stroke {index}: t values must be whole milliseconds")
    return tuple(int(v) for v in values)


def _iter_bin(path: Path, fh: BinaryIO) -> Iterator[Drawing | ParseProblem]:
    """Records back to back until a clean EOF. A record cut short, or a header whose country or
    `recognized` byte is impossible (framing lost), is reported and ends the file."""
    offset, record = 0, 1
    while header := fh.read(_HEADER.size):
        try:
            yield _bin_record(fh, header)
        except _Fatal as exc:
            yield ParseProblem(path, record, str(exc), offset)
            return
        except _Bad as exc:
            yield ParseProblem(path, record, str(exc), offset)
        offset, record = fh.tell(), record + 1


def _bin_record(fh: BinaryIO, header: bytes) -> Drawing:
    if len(header) < _HEADER.size:
        raise _Fatal(f"truncated record (header has {len(header)} of {_HEADER.size} bytes)")
    key_id, country, recognized, stamp, n_strokes = _HEADER.unpack(header)
    if not (country.isalpha() and country.isupper()) or recognized not in (0, 1):
        raise _Fatal(
            f"bad header (country {country!r}, recognized {recognized}): framing lost,"
            " rest of the file skipped"
        )
    strokes = []
    for i in range(1, n_strokes + 1):
        count = fh.read(2)
        if len(count) < 2:
            raise _Fatal(f"truncated record (stroke {i} of {n_strokes} missing)")
        (n,) = _NPOINTS.unpack(count)
        xy = fh.read(2 * n)
        if len(xy) < 2 * n:
            raise _Fatal(
                f"truncated record (stroke {i} has {len(xy)} of {2 * n} coordinate bytes)"
            )
        if n:
            strokes.append(Stroke(tuple(map(float, xy[:n])), tuple(map(float, xy[n:]))))
    if len(strokes) < n_strokes:
        raise _Bad(f"{n_strokes - len(strokes)} of {n_strokes} strokes have no points")
    if not strokes:
        raise _Bad("record has no strokes")
    return Drawing(
        word="",
        strokes=tuple(strokes),
        key_id=str(key_id),
        countrycode=country.decode("ascii"),
        timestamp=datetime.fromtimestamp(stamp, UTC),
        recognized=bool(recognized),
    )


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


def format_timestamp(ts: datetime) -> str:
    """Quick, Draw!'s `YYYY-MM-DD HH:MM:SS.f UTC`: fraction trimmed of zeros, absent if zero."""
    ts = ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)
    text = ts.strftime("%Y-%m-%d %H:%M:%S")
    frac = f"{ts.microsecond:06d}".rstrip("0")
    return f"{text}.{frac} UTC" if frac else f"{text} UTC"


def drawing_to_ndjson(d: Drawing, recognized: bool | None = None) -> str:
    """One ndjson line (no newline) in Quick, Draw!'s key order and compact separators.

    `recognized`, when given, replaces the drawing's own flag (export sets it from human
    guesses). Metadata that is `None` is left out; the reader treats it as optional.
    """
    meta: dict[str, Any] = {"word": d.word}
    if d.countrycode is not None:
        meta["countrycode"] = d.countrycode
    if d.timestamp is not None:
        meta["timestamp"] = format_timestamp(d.timestamp)
    flag = d.recognized if recognized is None else recognized
    if flag is not None:
        meta["recognized"] = flag
    if d.key_id is not None:
        meta["key_id"] = d.key_id
    head = json.dumps(meta, separators=(",", ":"), ensure_ascii=False)
    return f'{head[:-1]},"drawing":{d.strokes_json()}}}'


def drawing_to_bin(d: Drawing) -> bytes:
    """Encode a simplified drawing as one `.bin` record (coordinates must be ints 0..255)."""
    if d.key_id is None or d.timestamp is None or d.countrycode is None:
        raise ValueError(f"drawing {d.key_id}: .bin needs key_id, countrycode and timestamp")
    out = [
        _HEADER.pack(
            int(d.key_id),
            d.countrycode.encode("ascii"),
            int(bool(d.recognized)),
            int(d.timestamp.timestamp()),
            len(d.strokes),
        )
    ]
    for s in d.strokes:
        out.append(_NPOINTS.pack(len(s.x)))
        out.append(bytes(int(v) for v in s.x) + bytes(int(v) for v in s.y))
    return b"".join(out)
