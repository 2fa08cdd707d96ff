"""Quick, Draw! readers on small inline fixtures of every format, good and malformed."""

from __future__ import annotations

import json
import struct
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from storage.doodles import Drawing, Stroke
from storage.quickdraw_formats import (
    ParseProblem,
    QuickDrawFormat,
    detect_format,
    drawing_to_bin,
    drawing_to_ndjson,
    format_timestamp,
    iter_drawings,
    parse_timestamp,
    read_quickdraw,
)

RAW = {
    "word": "cat",
    "countrycode": "US",
    "timestamp": "2017-03-02 23:25:10.07453 UTC",
    "recognized": True,
    "key_id": "5201136883597312",
    "drawing": [[[10.5, 20, -3], [0, 5, 9], [0, 17, 33]], [[7, 7], [8, 8], [300, 340]]],
}
SIMPLIFIED = {
    "key_id": "6420579601088512",
    "drawing": [[[0, 255], [0, 100]], [[30, 30], [40, 40]]],
    "word": "cat",
    "recognized": False,
    "countrycode": "GB",
    "timestamp": "2017-01-05 10:00:00.5 UTC",
}


def _line(obj: dict[str, Any], **changes: Any) -> str:
    return json.dumps({**obj, **changes})


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _bin_record(
    key: int = 42,
    country: bytes = b"US",
    recognized: int = 1,
    stamp: int = 1_488_497_110,
    strokes: list[tuple[list[int], list[int]]] | None = None,
) -> bytes:
    strokes = [([0, 255, 10], [0, 50, 60]), ([5, 5], [9, 9])] if strokes is None else strokes
    out = struct.pack("<Q2sbIH", key, country, recognized, stamp, len(strokes))
    for xs, ys in strokes:
        out += struct.pack("<H", len(xs)) + bytes(xs) + bytes(ys)
    return out


def _problems(path: Path) -> list[str]:
    return [str(p) for p in read_quickdraw(path).problems]


# ------------------------------------------------------------------------- good inputs


def test_raw_ndjson_keeps_metadata_and_timing(tmp_path: Path) -> None:
    path = _write(tmp_path, "cat.ndjson", [_line(RAW)])
    (drawing,) = read_quickdraw(path).drawings
    assert drawing.key_id == "5201136883597312"
    assert drawing.countrycode == "US" and drawing.recognized is True
    assert drawing.timestamp == datetime(2017, 3, 2, 23, 25, 10, 74530, tzinfo=UTC)
    assert drawing.strokes[0] == Stroke((10.5, 20.0, -3.0), (0.0, 5.0, 9.0), (0, 17, 33))
    assert drawing.timed


def test_simplified_ndjson_has_no_timing_and_any_key_order(tmp_path: Path) -> None:
    path = _write(tmp_path, "cat.ndjson", [_line(SIMPLIFIED)])
    result = read_quickdraw(path)
    (drawing,) = result.drawings
    assert not drawing.timed and drawing.strokes[1].x == (30.0, 30.0)
    assert drawing.recognized is False
    assert result.per_file_counts[path].format is QuickDrawFormat.SIMPLIFIED


def test_binary_records_decode_with_word_from_file_name(tmp_path: Path) -> None:
    path = tmp_path / "The Eiffel Tower.bin"
    path.write_bytes(_bin_record(key=2**63 + 5) + _bin_record(key=7, recognized=0))
    first, second = read_quickdraw(path).drawings
    assert first.word == "The Eiffel Tower"
    assert first.key_id == str(2**63 + 5)
    assert first.timestamp == datetime(2017, 3, 2, 23, 25, 10, tzinfo=UTC)
    assert first.strokes[0].x == (0.0, 255.0, 10.0) and first.strokes[1].y == (9.0, 9.0)
    assert (second.key_id, second.recognized) == ("7", False)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("x.ndjson", _line(RAW) + "\n", QuickDrawFormat.RAW),
        ("x.ndjson", _line(SIMPLIFIED) + "\n", QuickDrawFormat.SIMPLIFIED),
        ("x.ndjson", _bin_record().decode("latin-1"), QuickDrawFormat.BINARY),
        ("x.bin", _line(RAW) + "\n", QuickDrawFormat.RAW),
        ("x.data", _bin_record().decode("latin-1"), QuickDrawFormat.BINARY),
        ("x.bin", _bin_record()[:30].decode("latin-1"), QuickDrawFormat.BINARY),
        ("x.bin", bytes(784 * 2).decode("latin-1"), QuickDrawFormat.UNKNOWN),
        ("x.ndjson", _bin_record()[:30].decode("latin-1"), QuickDrawFormat.UNKNOWN),
    ],
)
def test_format_is_detected_from_content_not_name(
    tmp_path: Path, name: str, content: str, expected: QuickDrawFormat
) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1"))
    assert detect_format(path) is expected


def test_binary_whose_key_starts_with_a_brace_is_still_binary(tmp_path: Path) -> None:
    path = tmp_path / "apple.ndjson"
    path.write_bytes(_bin_record(key=ord("{")))
    assert detect_format(path) is QuickDrawFormat.BINARY
    assert [d.key_id for d in read_quickdraw(path).drawings] == ["123"]


def test_bitmap_dump_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "cat.bin"
    path.write_bytes(bytes(784 * 3))
    result = read_quickdraw(path)
    assert result.empty_files == [path]
    assert "28x28 bitmap dump" in str(result.problems[0])


def test_crlf_bom_and_blank_lines_are_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "cat.ndjson"
    path.write_bytes(b"\xef\xbb\xbf" + _line(RAW).encode() + b"\r\n\r\n" + _line(RAW).encode())
    result = read_quickdraw(path)
    assert len(result.drawings) == 2 and not result.problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-03-02 23:25:10.07453 UTC", datetime(2017, 3, 2, 23, 25, 10, 74530, tzinfo=UTC)),
        ("2017-03-02 23:25:10.1 UTC", datetime(2017, 3, 2, 23, 25, 10, 100000, tzinfo=UTC)),
        ("2017-03-02 23:25:10 UTC", datetime(2017, 3, 2, 23, 25, 10, tzinfo=UTC)),
        ("2017-03-08 21:12:07.266040", datetime(2017, 3, 8, 21, 12, 7, 266040, tzinfo=UTC)),
        ("2017-03-08T21:12:07Z", datetime(2017, 3, 8, 21, 12, 7, tzinfo=UTC)),
    ],
)
def test_timestamps_parse_tolerantly_as_utc(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text)
    assert parsed == expected and parsed.utcoffset() is not None


# ------------------------------------------------------------------------ bad inputs


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"word": "cat", "drawing": [', "cat.ndjson line 2: not JSON ("),
        (_line({k: v for k, v in RAW.items() if k != "drawing"}), "missing key 'drawing'"),
        (_line(RAW, word=" "), "'word' must be a non-empty string"),
        (_line(RAW, key_id=5.0), "'key_id' must be a string of digits"),
        (
            _line(RAW, drawing=[[[1, 2, 3, 4, 5], [1, 2, 3, 4], [0, 1, 2, 3, 4]]]),
            "stroke 1 has 5 x",
        ),
        (
            _line(RAW, drawing=[[[1], [1], [0]], [[1], [1], [1]], [[1, 2, 3], [1, 2], [2, 3, 4]]]),
            "cat.ndjson line 2: stroke 3 has 3 x but 2 y values",
        ),
        (_line(RAW, drawing=[[[1, 2], [1, 2], [0, 1, 2]]]), "stroke 1 has 2 x but 3 t values"),
        (
            _line(RAW, drawing=[[[1, "a"], [1, 2], [0, 1]]]),
            "stroke 1: x value 'a' is not a number",
        ),
        (_line(RAW, drawing=[[[1, True], [1, 2], [0, 1]]]), "x value True is not a number"),
        ('{"word":"cat","drawing":[[[NaN],[1],[0]]]}', "NaN is not a number"),
        (_line(RAW, drawing=[[[1, 2], [1, 2], [5, 3]]]), "stroke 1: t decreases (5 then 3)"),
        (_line(RAW, drawing=[[[1], [1], [9]], [[1], [1], [4]]]), "stroke 2: t decreases"),
        (_line(RAW, drawing=[[[1], [1], [0]], [[1], [1]]]), "stroke 2 differs from stroke 1"),
        (_line(RAW, drawing=[]), "'drawing' has no strokes"),
        (_line(RAW, drawing=[[[], [], []]]), "stroke 1 has no points"),
        (_line(RAW, drawing=[[[1, 2]]]), "stroke 1 must be [x, y] or [x, y, t]"),
        (_line(RAW, timestamp="yesterday"), "'timestamp' is not"),
        (_line(RAW, timestamp="2017-02-30 10:00:00 UTC"), "is not a valid date"),
        (_line(RAW, recognized="maybe"), "'recognized' must be true or false"),
        ('["not", "an", "object"]', "expected a JSON object, got list"),
    ],
)
def test_malformed_ndjson_line_is_skipped_and_named(
    tmp_path: Path, line: str, message: str
) -> None:
    path = _write(tmp_path, "cat.ndjson", [_line(RAW), line, _line(RAW)])
    result = read_quickdraw(path)
    assert len(result.drawings) == 2
    (problem,) = result.problems
    assert problem.line == 2 and problem.path == path
    assert str(problem).startswith("cat.ndjson line 2: ")
    assert message in str(problem)


def test_line_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cat.ndjson"
    path.write_bytes(_line(RAW).encode() + b"\n\xff\xfe{}\n")
    assert _problems(path) == [
        "cat.ndjson line 2: not UTF-8 (it looks like UTF-16); save it as UTF-8"
    ]


def test_binary_whose_only_record_is_cut_short_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "apple.bin"
    path.write_bytes(_bin_record()[:-1])
    result = read_quickdraw(path)
    assert result.empty_files == [path]
    assert [str(p) for p in result.problems] == [
        "apple.bin record 1 at byte 0: truncated record (stroke 2 has 3 of 4 coordinate bytes)"
    ]


def test_truncated_binary_record_is_reported_with_index_and_offset(tmp_path: Path) -> None:
    whole = _bin_record() * 3
    path = tmp_path / "apple.bin"
    path.write_bytes(whole + _bin_record()[:-4])
    result = read_quickdraw(path)
    assert len(result.drawings) == 3
    (problem,) = result.problems
    assert (problem.line, problem.byte_offset) == (4, len(whole))
    assert str(problem).startswith(f"apple.bin record 4 at byte {len(whole)}: truncated record")


def test_binary_cut_inside_the_header_is_truncated_too(tmp_path: Path) -> None:
    path = tmp_path / "apple.bin"
    path.write_bytes(_bin_record() + _bin_record()[:9])
    assert _problems(path) == [
        f"apple.bin record 2 at byte {len(_bin_record())}: truncated record (header has 9 of 17"
        " bytes)"
    ]


def test_binary_with_lost_framing_stops_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "apple.bin"
    path.write_bytes(_bin_record() + _bin_record(recognized=7) + _bin_record())
    result = read_quickdraw(path)
    assert len(result.drawings) == 1
    assert "framing lost" in str(result.problems[0])


def test_binary_record_without_strokes_is_skipped_but_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "apple.bin"
    path.write_bytes(_bin_record() + _bin_record(strokes=[]) + _bin_record(key=9))
    result = read_quickdraw(path)
    assert [d.key_id for d in result.drawings] == ["42", "9"]
    assert [str(p) for p in result.problems] == [
        f"apple.bin record 2 at byte {len(_bin_record())}: record has no strokes"
    ]


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file_is_an_empty_file_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "cat.ndjson"
    path.write_bytes(content)
    result = read_quickdraw(path)
    assert result.empty_files == [path] and not result.ok
    assert [str(p) for p in result.problems] == ["cat.ndjson: empty file (no drawings)"]


def test_file_with_only_bad_lines_is_empty_but_one_good_line_is_enough(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.ndjson", ["{", "[]"])
    good = _write(tmp_path, "good.ndjson", ["{", _line(RAW)])
    result = read_quickdraw([bad, good])
    assert result.empty_files == [bad]
    assert result.per_file_counts[good].drawings == 1
    assert result.per_file_counts[bad].problems == 2


def test_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "nope.ndjson"
    result = read_quickdraw(path)
    assert result.empty_files == [path]
    assert "cannot read file" in str(result.problems[0])


def test_iter_drawings_yields_drawings_and_problems_in_file_order(tmp_path: Path) -> None:
    path = _write(tmp_path, "cat.ndjson", [_line(RAW), "oops", _line(SIMPLIFIED)])
    kinds = [type(item) for item in iter_drawings(path)]
    assert kinds == [Drawing, ParseProblem, Drawing]


# --------------------------------------------------------------------- options, folders


def test_limits_recognized_only_and_folders(tmp_path: Path) -> None:
    _write(tmp_path, "a.ndjson", [_line(RAW), _line(SIMPLIFIED), _line(RAW)])
    (tmp_path / "b.bin").write_bytes(_bin_record() * 2)
    (tmp_path / "notes.txt").write_text("not data")
    everything = read_quickdraw(tmp_path)
    assert sorted(p.name for p in everything.per_file_counts) == ["a.ndjson", "b.bin"]
    assert len(everything.drawings) == 5
    assert len(read_quickdraw(tmp_path, limit=4).drawings) == 4
    assert len(read_quickdraw(tmp_path, per_file_limit=1).drawings) == 2
    assert len(read_quickdraw([tmp_path / "a.ndjson", tmp_path]).drawings) == 5  # once each
    only = read_quickdraw(tmp_path, recognized_only=True)
    assert all(d.recognized for d in only.drawings) and len(only.drawings) == 4
    assert only.per_file_counts[tmp_path / "a.ndjson"].filtered == 1


# -------------------------------------------------------------------------- writing


def test_round_trip_drawing_to_ndjson_to_drawing(tmp_path: Path) -> None:
    original = read_quickdraw(_write(tmp_path, "cat.ndjson", [_line(RAW)])).drawings[0]
    line = drawing_to_ndjson(original)
    again = read_quickdraw(_write(tmp_path, "again.ndjson", [line])).drawings[0]
    assert again == original
    assert json.loads(line)["key_id"] == "5201136883597312"


def test_ndjson_export_overrides_recognized_and_keeps_quickdraw_layout() -> None:
    drawing = Drawing(
        word="The Eiffel Tower",
        strokes=(Stroke((0.0, 1.5), (2.0, 3.0), (0, 40)),),
        key_id="123",
        countrycode="FR",
        timestamp=datetime(2024, 1, 1, 12, 0, 0, 250000, tzinfo=UTC),
        recognized=True,
    )
    line = drawing_to_ndjson(drawing, recognized=False)
    assert line == (
        '{"word":"The Eiffel Tower","countrycode":"FR","timestamp":"2024-01-01 12:00:00.25 UTC",'
        '"recognized":false,"key_id":"123","drawing":[[[0,1.5],[2,3],[0,40]]]}'
    )


def test_timestamp_format_trims_zeros_and_converts_to_utc() -> None:
    from datetime import timedelta, timezone

    paris = timezone(timedelta(hours=1))
    assert format_timestamp(datetime(2017, 1, 1, 13, 0, 0, 120000, tzinfo=paris)) == (
        "2017-01-01 12:00:00.12 UTC"
    )
    assert format_timestamp(datetime(2017, 1, 1, 12, 0, 0)) == "2017-01-01 12:00:00 UTC"


def test_binary_encoder_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "cat.bin"
    path.write_bytes(_bin_record() + _bin_record(key=99, country=b"DE"))
    drawings = read_quickdraw(path).drawings
    assert b"".join(drawing_to_bin(d) for d in drawings) == path.read_bytes()
