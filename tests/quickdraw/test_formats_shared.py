"""Optional: the real Quick, Draw! samples import without loss and export back unchanged."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from storage.quickdraw_formats import (
    QuickDrawFormat,
    drawing_to_ndjson,
    read_quickdraw,
)

FOLDERS = {
    "raw": QuickDrawFormat.RAW,
    "simplified": QuickDrawFormat.SIMPLIFIED,
    "binary_derived": QuickDrawFormat.BINARY,
}


@pytest.fixture
def samples(shared_dir: Path) -> Path:
    root = shared_dir / "datasets" / "quickdraw"
    if not root.is_dir():
        pytest.skip(f"optional check: {root} is not present")
    return root


def _manifest(root: Path) -> dict[str, int]:
    with (root / "MANIFEST.tsv").open(encoding="utf-8", newline="") as fh:
        return {row["path"]: int(row["items"]) for row in csv.DictReader(fh, delimiter="\t")}


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_every_sample_file_imports_without_loss(samples: Path, folder: str) -> None:
    manifest = _manifest(samples)
    result = read_quickdraw(samples / folder)
    expected = {p: n for p, n in manifest.items() if p.startswith(f"{folder}/")}
    got = {f"{folder}/{p.name}": c.drawings for p, c in result.per_file_counts.items()}
    assert got == expected
    assert result.problems == [] and result.empty_files == []
    assert {c.format for c in result.per_file_counts.values()} == {FOLDERS[folder]}


@pytest.mark.parametrize("folder", ["raw", "simplified"])
def test_ndjson_export_reproduces_every_sample_line(samples: Path, folder: str) -> None:
    for path in sorted((samples / folder).glob("*.ndjson")):
        lines = path.read_text(encoding="utf-8").splitlines()
        exported = [drawing_to_ndjson(d) for d in read_quickdraw(path).drawings]
        assert exported == lines, path.name


def test_binary_decodes_to_the_simplified_drawings_of_its_category(samples: Path) -> None:
    for path in sorted((samples / "binary_derived").glob("*.bin")):
        binary = read_quickdraw(path).drawings
        simple = read_quickdraw(samples / "simplified" / f"{path.stem}.ndjson").drawings
        assert len(binary) == len(simple) == 25
        for b, s in zip(binary, simple, strict=True):
            assert (b.word, b.key_id, b.countrycode, b.recognized, b.strokes) == (
                s.word,
                s.key_id,
                s.countrycode,
                s.recognized,
                s.strokes,
            )
            assert s.timestamp is not None
            assert b.timestamp == s.timestamp.replace(microsecond=0)


def test_raw_and_simplified_list_the_same_drawings(samples: Path) -> None:
    raw = read_quickdraw(samples / "raw").drawings
    simple = {d.key_id: d for d in read_quickdraw(samples / "simplified").drawings}
    shared = [d for d in raw if d.key_id in simple]
    assert len(shared) == 3 * 344
    assert all(simple[d.key_id].word == d.word and d.timed for d in shared)
