"""One Quick, Draw! record at a time: an ndjson object or a `.bin` record to a `Drawing`
(raising `BadRecord` with the reason), and a `Drawing` back to ndjson or `.bin` (see
`storage.quickdraw_formats` for the validation rule)."""

from __future__ import annotations

import json
import math
import re
import struct
from datetime import UTC, datetime
from typing import Any, BinaryIO

from storage.doodles import Drawing, Stroke
from storage.text_checks import control_char

BIN_HEADER = struct.Struct("<Q2sbIH")  # key_id, countrycode, recognized, timestamp, n_strokes


BIN_NPOINTS = struct.Struct("<H")


_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\s*(?:UTC|Z|\+00:?00)?$"
)


_OWN_KEYS = ("word", "countrycode", "timestamp", "recognized", "key_id", "drawing")
MAX_DEPTH = 16
MAX_COORDINATE = 1e9


class BadRecord(ValueError):
    """A validation failure inside one line or record; its text becomes the problem message."""


class FatalRecord(BadRecord):
    """A `.bin` failure after which record boundaries are unknown: stop reading the file."""


def loads_line(text: str) -> Any:
    """One ndjson line decoded and checked: at most `MAX_DEPTH` levels of nesting, no control
    character in any key or string (BadRecord says which rule failed)."""
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except BadRecord:
        raise
    except RecursionError:
        raise BadRecord(f"nested too deeply (at most {MAX_DEPTH} levels)") from None
    except ValueError as exc:
        raise BadRecord(f"not JSON ({exc})") from None
    _check_tree(value)
    return value


def _check_tree(value: Any) -> None:
    """Walk without recursion: depth and control characters (see `loads_line`)."""
    todo: list[tuple[Any, int]] = [(value, 1)]
    while todo:
        node, depth = todo.pop()
        if depth > MAX_DEPTH:
            raise BadRecord(f"nested too deeply (at most {MAX_DEPTH} levels)")
        if isinstance(node, str):
            found = control_char(node)
            if found is not None:
                raise BadRecord(f"contains a control character ({found}); remove it")
        elif isinstance(node, dict):
            todo.extend((k, depth) for k in node)
            todo.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            todo.extend((v, depth + 1) for v in node)


def _reject_constant(name: str) -> Any:
    raise BadRecord(f"not JSON ({name} is not a number)")


def parse_ndjson_object(obj: Any) -> Drawing:
    """Validate one decoded ndjson line and build its `Drawing` (raises `ValueError`)."""
    if not isinstance(obj, dict):
        raise BadRecord(f"expected a JSON object, got {type(obj).__name__}")
    for key in ("word", "drawing"):
        if key not in obj:
            raise BadRecord(f"missing key {key!r}")
    word = obj["word"]
    if not isinstance(word, str) or not word.strip():
        raise BadRecord("'word' must be a non-empty string")
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
    raise BadRecord(f"'key_id' must be a string of digits, got {value!r}")


def _optional_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise BadRecord(f"{key!r} must be a string, got {type(value).__name__}")


def _recognized(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise BadRecord(f"'recognized' must be true or false, got {value!r}")


def parse_timestamp(value: Any) -> datetime:
    """Parse `YYYY-MM-DD HH:MM:SS[.f{1..6}] UTC` (also `T`, `Z`, no suffix) as aware UTC."""
    match = _TIMESTAMP.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise BadRecord(f"'timestamp' is not 'YYYY-MM-DD HH:MM:SS[.ffffff] UTC': {value!r}")
    year, month, day, hour, minute, second, frac = match.groups()
    micro = int((frac or "0").ljust(6, "0"))
    try:
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, UTC
        )
    except ValueError as exc:
        raise BadRecord(f"'timestamp' {value!r} is not a valid date ({exc})") from None


def _strokes(value: Any) -> tuple[Stroke, ...]:
    if not isinstance(value, list):
        raise BadRecord(f"'drawing' must be a list of strokes, got {type(value).__name__}")
    if not value:
        raise BadRecord("'drawing' has no strokes")
    strokes = tuple(_stroke(i, s) for i, s in enumerate(value, start=1))
    timed = [s.t is not None for s in strokes]
    if any(timed) and not all(timed):
        first_odd = timed.index(not timed[0]) + 1
        raise BadRecord(f"stroke {first_odd} differs from stroke 1 in having t")
    last = -math.inf
    for i, s in enumerate(strokes, start=1):
        for t in s.t or ():
            if t < last:
                raise BadRecord(f"stroke {i}: t decreases ({last} then {t})")
            last = t
    return strokes


def _stroke(index: int, value: Any) -> Stroke:
    if not isinstance(value, list) or len(value) not in (2, 3):
        raise BadRecord(f"stroke {index} must be [x, y] or [x, y, t]")
    x, y = _numbers(index, "x", value[0]), _numbers(index, "y", value[1])
    t = _times(index, value[2]) if len(value) == 3 else None
    if len(x) != len(y):
        raise BadRecord(f"stroke {index} has {len(x)} x but {len(y)} y values")
    if t is not None and len(t) != len(x):
        raise BadRecord(f"stroke {index} has {len(x)} x but {len(t)} t values")
    if not x:
        raise BadRecord(f"stroke {index} has no points")
    return Stroke(x, y, t)


def _numbers(index: int, axis: str, value: Any) -> tuple[float, ...]:
    if not isinstance(value, list):
        raise BadRecord(f"stroke {index}: {axis} must be a list of numbers")
    for v in value:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise BadRecord(f"stroke {index}: {axis} value {v!r} is not a number")
        if isinstance(v, int) and abs(v) > MAX_COORDINATE:
            raise BadRecord(f"stroke {index}: {axis} value out of range")
        if not math.isfinite(v):
            raise BadRecord(f"stroke {index}: {axis} value {v!r} is not a number")
    return tuple(float(v) for v in value)


def _times(index: int, value: Any) -> tuple[int, ...]:
    values = _numbers(index, "t", value)
    if any(not v.is_integer() for v in values):
        raise BadRecord(f"stroke {index}: t values must be whole milliseconds")
    return tuple(int(v) for v in values)


def bin_record(fh: BinaryIO, header: bytes) -> Drawing:
    if len(header) < BIN_HEADER.size:
        got, size = len(header), BIN_HEADER.size
        raise FatalRecord(f"truncated record (header has {got} of {size} bytes)")
    key_id, country, recognized, stamp, n_strokes = BIN_HEADER.unpack(header)
    if not (country.isalpha() and country.isupper()) or recognized not in (0, 1):
        raise FatalRecord(
            f"bad header (country {country!r}, recognized {recognized}): framing lost,"
            " rest of the file skipped"
        )
    strokes = []
    for i in range(1, n_strokes + 1):
        count = fh.read(2)
        if len(count) < 2:
            raise FatalRecord(f"truncated record (stroke {i} of {n_strokes} missing)")
        (n,) = BIN_NPOINTS.unpack(count)
        xy = fh.read(2 * n)
        if len(xy) < 2 * n:
            raise FatalRecord(
                f"truncated record (stroke {i} has {len(xy)} of {2 * n} coordinate bytes)"
            )
        if n:
            strokes.append(Stroke(tuple(map(float, xy[:n])), tuple(map(float, xy[n:]))))
    if len(strokes) < n_strokes:
        raise BadRecord(f"{n_strokes - len(strokes)} of {n_strokes} strokes have no points")
    if not strokes:
        raise BadRecord("record has no strokes")
    return Drawing(
        word="",
        strokes=tuple(strokes),
        key_id=str(key_id),
        countrycode=country.decode("ascii"),
        timestamp=datetime.fromtimestamp(stamp, UTC),
        recognized=bool(recognized),
    )


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
        BIN_HEADER.pack(
            int(d.key_id),
            d.countrycode.encode("ascii"),
            int(bool(d.recognized)),
            int(d.timestamp.timestamp()),
            len(d.strokes),
        )
    ]
    for s in d.strokes:
        out.append(BIN_NPOINTS.pack(len(s.x)))
        out.append(bytes(int(v) for v in s.x) + bytes(int(v) for v in s.y))
    return b"".join(out)
