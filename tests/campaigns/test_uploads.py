"""Uploaded files: sorted by kind, size limits, and archives unpacked safely (zip bombs,
path traversal and links refused whole); exports fit a platform's upload limit."""

from __future__ import annotations

import csv
import io
import random
import stat
import zipfile
from pathlib import Path

import pytest

from bot.core.campaigns.args import parse
from bot.core.campaigns.uploads import (
    Limits,
    Upload,
    check_size,
    labels_location,
    sort_uploads,
    unpack,
)
from bot.core.exports.files import fit
from bot.core.exports.labels import render
from bot.core.kernel.errors import InvalidInput

LIMITS = Limits(max_upload_bytes=1_000_000, max_unpacked_bytes=2_000_000, max_files=50)


def make_zip(entries: dict[str, bytes], *, link: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        if link is not None:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return buf.getvalue()


def test_uploads_are_sorted_by_kind() -> None:
    s = sort_uploads([Upload("a.ZIP", b"z"), Upload("labels.csv", b"c")], LIMITS)
    assert s.archive is not None and s.csv is not None and s.quickdraw == ()
    qd = sort_uploads([Upload("cat.ndjson", b"{}"), Upload("dog.bin", b"x")], LIMITS)
    assert [u.filename for u in qd.quickdraw] == ["cat.ndjson", "dog.bin"]
    with pytest.raises(InvalidInput, match=r"report\.pdf: not a file I can import"):
        sort_uploads([Upload("report.pdf", b"%PDF")], LIMITS)
    with pytest.raises(InvalidInput, match="only Quick, Draw! files"):
        sort_uploads([Upload("cat.ndjson", b"{}"), Upload("l.csv", b"c")], LIMITS)


def test_size_limits_say_what_to_do() -> None:
    with pytest.raises(InvalidInput, match=r"big\.zip is 2\.0 MB; uploads may be at most 1 MB"):
        sort_uploads([Upload("big.zip", b"x" * 2 * 2**20)], LIMITS)
    with pytest.raises(InvalidInput, match=r"at most 20 MB \(Telegram.*run\.py import"):
        check_size("huge.zip", 30 * 2**20, 20 * 2**20, "Telegram lets bots download 20 MB")


def test_an_archive_unpacks_and_its_labels_are_found(tmp_path: Path) -> None:
    data = make_zip(
        {
            "birds/labels.csv": b"file,label\na.png,x\n",
            "birds/a.png": b"png",
            "__MACOSX/birds/._a.png": b"junk",
            "birds/.DS_Store": b"junk",
        }
    )
    files = unpack(Upload("birds.zip", data), tmp_path, LIMITS)
    assert sorted(f.relative_to(tmp_path).as_posix() for f in files) == [
        "birds/a.png",
        "birds/labels.csv",
    ]
    folder, labels = labels_location(files, tmp_path, separate_csv=False)
    assert folder == tmp_path / "birds" and labels.name == "labels.csv"
    folder, _ = labels_location(files, tmp_path, separate_csv=True)
    assert folder == tmp_path / "birds"  # a zipped folder: names are relative to it


@pytest.mark.parametrize(
    ("entries", "link", "message"),
    [
        ({"../evil.png": b"x"}, None, "points outside the archive"),
        ({"/etc/evil.png": b"x"}, None, "points outside the archive"),
        ({"a\\..\\..\\evil.png": b"x"}, None, "points outside the archive"),
        ({"a.png": b"x"}, "link.png", "is a link"),
        ({f"{i}.png": b"x" for i in range(51)}, None, "at most 50"),
        ({"bomb.png": b"\0" * 1_500_000}, None, "expands more than 200 times"),
        ({"A.png": b"x", "a.png": b"y"}, None, "appears twice"),
    ],
)
def test_dangerous_archives_are_refused_whole(
    tmp_path: Path, entries: dict[str, bytes], link: str | None, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        unpack(Upload("x.zip", make_zip(entries, link=link)), tmp_path, LIMITS)


def test_the_unpacked_total_is_counted_not_trusted(tmp_path: Path) -> None:
    rnd = random.Random(1).randbytes(800_000)  # does not compress
    data = make_zip({"a.bin": rnd, "b.bin": rnd, "c.bin": rnd})
    with pytest.raises(InvalidInput, match="max_unpacked_mb"):
        unpack(Upload("x.zip", data), tmp_path, LIMITS)


def test_a_broken_archive_is_named() -> None:
    with pytest.raises(InvalidInput, match=r"x\.zip: not a readable \.zip"):
        unpack(Upload("x.zip", b"PK not really"), Path("/nonexistent"), LIMITS)


def _rows(n: int) -> list[dict[str, object]]:
    return [
        {"item_id": i, "source": f"img-{i:06d}-{i * 7919 % 10007}.png", "label": "cat"}
        for i in range(n)
    ]


def _render(rows: list[dict[str, object]]) -> bytes:
    return render(rows, ("item_id", "source", "label"), "csv")


def test_an_export_that_fits_goes_as_it_is() -> None:
    (only,) = fit("birds-labels.csv", _rows(10), _render, 1_000_000)
    assert only.filename == "birds-labels.csv" and only.data == _render(_rows(10))


def test_a_large_export_is_zipped_then_split_by_rows() -> None:
    rows = _rows(20_000)
    raw = _render(rows)
    (packed,) = fit("l.csv", rows, _render, len(raw) - 1)
    assert packed.filename == "l.csv.zip"
    with zipfile.ZipFile(io.BytesIO(packed.data)) as zf:
        assert zf.read("l.csv") == raw
    limit = len(packed.data) // 3
    parts = fit("l.csv", rows, _render, limit)
    assert len(parts) >= 3 and all(len(p.data) <= limit for p in parts)
    assert parts[0].filename == f"l.part1of{len(parts)}.csv.zip"
    seen = []
    for p in parts:
        with zipfile.ZipFile(io.BytesIO(p.data)) as zf:
            (name,) = zf.namelist()
            table = list(csv.DictReader(zf.read(name).decode().splitlines()))
        seen += [int(r["item_id"]) for r in table]
    assert seen == list(range(20_000))  # every row once, none cut


def test_campaign_text_commands() -> None:
    cmd = parse(
        'create Garden birds game=verify question="Is this a {label}?" overlap=2-4 '
        "gold=10% reward=1.5 start=yes"
    )
    assert (cmd.action, cmd.name) == ("create", "Garden birds")
    assert cmd.text("question") == "Is this a {label}?"
    assert cmd.overlap() == (2, 4) and cmd.number("gold_rate") == 0.1
    assert cmd.number("reward") == 1.5 and cmd.flag("start")
    smart = parse("create Birds question=“Is it red?” game=classify options=red,green")
    assert smart.text("question") == "Is it red?" and smart.labels() == ["red", "green"]
    sched = parse("schedule Birds every=30 hours=9-21 max=8 quiet=sat,sun")
    assert sched.integer("every") == 30 and sched.integer("max_per_day") == 8
    assert parse("").action == "help"
    with pytest.raises(InvalidInput, match="no option 'colour'"):
        parse("create Birds colour=red")
    with pytest.raises(InvalidInput, match="unknown action 'launch'"):
        parse("launch Birds")
    with pytest.raises(InvalidInput, match="every: expected a whole number"):
        parse("schedule Birds every=soon").integer("every")
    with pytest.raises(InvalidInput, match="quotes"):
        parse('create Birds question="unclosed')
