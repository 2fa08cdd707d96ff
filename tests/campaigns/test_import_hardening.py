"""Issue 12, hostile imports: one transaction per import (no orphan dataset), NUL and control
characters refused per line, image pixel caps checked from the header before decoding, clear
per-line errors instead of crashes, and error texts that name the user's file, never a server
path, and name the encoding of a file that is not UTF-8."""

from __future__ import annotations

import asyncio
import io
import json
import tempfile
import time
from pathlib import Path

import pytest
from PIL import Image

from bot.core.campaigns.admin import create_from_files
from bot.core.campaigns.importing import ImportFailed, import_images, import_texts, make_spec
from bot.core.campaigns.quickdraw_import import QuickdrawImportFailed, import_quickdraw
from bot.core.campaigns.uploads import Upload, sort_uploads
from bot.core.kernel.errors import InvalidInput, LabelQuestError
from bot.demo.doodles import demo_drawing
from storage import ImageLimits, SqlStore
from storage.quickdraw_formats import drawing_to_ndjson
from tests.support.images import png_bytes
from tests.support.settings import settings_for
from tests.support.uploads import zip_of

NOW = 1_767_225_600.0
SETTINGS = settings_for(":memory:")


def _spec(name: str = "cats", game: str = "verify"):  # type: ignore[no-untyped-def]
    options = ["a", "b"] if game == "classify" else None
    return make_spec(SETTINGS, name, game, gold_rate=0.0, options=options)


async def _nothing_stored(store: SqlStore) -> None:
    assert await store.list_campaigns() == []
    assert await store.list_datasets() == []


# ---------------------------------------------------------------- hole 5: one transaction


async def test_concurrent_creates_of_one_name_leave_one_campaign_and_no_orphan(
    store: SqlStore, tmp_path: Path
) -> None:
    paths = []
    for n in range(4):
        path = tmp_path / f"t{n}.csv"
        path.write_text("text\n" + "".join(f"text {n}.{i}\n" for i in range(30)))
        paths.append(path)
    results = await asyncio.gather(
        *(import_texts(store, p, _spec("Same", "classify"), now=NOW) for p in paths),
        return_exceptions=True,
    )
    made = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(made) == 1 and all(isinstance(r, InvalidInput) for r in refused), results
    [(dataset, count)] = await store.list_datasets()
    assert count == 30 and dataset.id == made[0][0].dataset_id
    assert [c.name for c in await store.list_campaigns()] == ["Same"]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b"])
async def test_a_control_character_in_a_csv_is_refused_with_its_line(
    store: SqlStore, tmp_path: Path, char: str
) -> None:
    path = tmp_path / "texts.csv"
    path.write_text(f"text,label\nfine,a\nbad{char}text,a\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"line 3: .*control character"):
        await import_texts(store, path, _spec("T", "classify"), now=NOW)
    await _nothing_stored(store)


async def test_a_nul_in_ndjson_is_refused_with_its_line(store: SqlStore, tmp_path: Path) -> None:
    good = drawing_to_ndjson(demo_drawing("cat", 1))
    bad = json.dumps({"word": "c\u0000t", "drawing": [[[1, 2], [3, 4]]]})
    path = tmp_path / "d.ndjson"
    path.write_text(f"{good}\n{bad}\n")
    with pytest.raises(QuickdrawImportFailed, match=r"d\.ndjson line 2: .*control character"):
        await import_quickdraw(store, [path], _spec("QD", "quickdraw"), skip_bad=False, now=NOW)
    await _nothing_stored(store)


# ------------------------------------------------------------------- hole 7: pixel bombs


def _png(size: tuple[int, int], mode: str = "1") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size).save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _images(tmp: Path, files: dict[str, bytes], labels: str) -> tuple[Path, Path]:
    folder = tmp / "images"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    csv = tmp / "labels.csv"
    csv.write_text("file,label\n" + labels)
    return folder, csv


async def test_a_pixel_bomb_is_refused_from_its_header(store: SqlStore, tmp_path: Path) -> None:
    folder, csv = _images(tmp_path, {"big.png": _png((10_000, 10_000))}, "big.png,cat\n")
    started = time.process_time()
    with pytest.raises(ImportFailed, match=r"line 2: big\.png is 10000 x 10000 pixels"):
        await import_images(store, folder, csv, _spec(), now=NOW)
    assert time.process_time() - started < 1.0  # never decoded
    await _nothing_stored(store)


async def test_the_pixel_budget_of_one_upload(store: SqlStore, tmp_path: Path) -> None:
    files = {f"{n}.png": _png((1000, 1000), "RGB") for n in range(5)}
    folder, csv = _images(tmp_path, files, "".join(f"{n}.png,cat\n" for n in range(5)))
    limits = ImageLimits(max_pixels=2_000_000, max_total_pixels=3_500_000, max_problems=20)
    with pytest.raises(ImportFailed, match=r"line 5: .*pixels in total"):
        await import_images(store, folder, csv, _spec(), skip_bad=True, now=NOW, limits=limits)
    await _nothing_stored(store)


@pytest.mark.parametrize(("fmt", "name"), [("BMP", "a.bmp"), ("TIFF", "a.tif"), ("PNG", "b.bmp")])
async def test_only_named_formats_are_accepted(
    store: SqlStore, tmp_path: Path, fmt: str, name: str
) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buf, fmt)
    folder, csv = _images(tmp_path, {name: buf.getvalue()}, f"{name},cat\n")
    if fmt == "PNG":  # the content decides, not the file name
        campaign, _ = await import_images(store, folder, csv, _spec(), now=NOW)
        assert campaign.name == "cats"
        return
    with pytest.raises(ImportFailed, match=rf"line 2: {name} is a {fmt} image.*PNG, JPEG, WEBP"):
        await import_images(store, folder, csv, _spec(), now=NOW)


async def test_decoding_stops_after_the_problem_limit(store: SqlStore, tmp_path: Path) -> None:
    files = {f"{n}.png": b"not an image" for n in range(60)}
    folder, csv = _images(tmp_path, files, "".join(f"{n}.png,cat\n" for n in range(60)))
    limits = ImageLimits(max_problems=20)
    with pytest.raises(ImportFailed) as exc:
        await import_images(store, folder, csv, _spec(), skip_bad=True, now=NOW, limits=limits)
    assert len(exc.value.problems) == 21 and "stopped after 20 problems" in exc.value.message
    assert "line 22:" not in exc.value.message


# ------------------------------------------------------------- hole 13: crashes -> errors


async def test_deeply_nested_ndjson_and_huge_numbers_are_per_line_errors(
    store: SqlStore, tmp_path: Path
) -> None:
    good = drawing_to_ndjson(demo_drawing("cat", 1))
    nested = '{"word": "cat", "drawing": ' + "[" * 100_000 + "]" * 100_000 + "}"
    huge = '{"word": "cat", "drawing": [[[' + "9" * 400 + "], [1]]]}"
    path = tmp_path / "d.ndjson"
    path.write_text(f"{good}\n{nested}\n{huge}\n")
    with pytest.raises(QuickdrawImportFailed) as exc:
        await import_quickdraw(store, [path], _spec("QD", "quickdraw"), skip_bad=False, now=NOW)
    text = exc.value.message
    assert "d.ndjson line 2: nested too deeply" in text
    assert "d.ndjson line 3: stroke 1: x value out of range" in text
    await _nothing_stored(store)


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ({"x" * 300 + "/a.png": b"1"}, "longer than 255"),
        ({"a": b"1", "a/b": b"2"}, "'a' is both a file and a folder"),
    ],
)
async def test_impossible_archive_names_are_refused_by_name(
    store: SqlStore, entries: dict[str, bytes], expected: str
) -> None:
    files = sort_uploads([Upload("set.zip", zip_of(entries))], _limits())
    with pytest.raises(InvalidInput, match=expected) as exc:
        await create_from_files(store, SETTINGS, _spec(), files, skip_bad=False, now=NOW)
    assert "set.zip" in exc.value.message
    await _nothing_stored(store)


def _limits():  # type: ignore[no-untyped-def]
    from bot.core.campaigns.admin import limits

    return limits(SETTINGS)


# ------------------------------------------------ hole 14: no server paths, name the encoding


async def _refusal(store: SqlStore, uploads: list[Upload], skip_bad: bool = False) -> str:
    files = sort_uploads(uploads, _limits())
    with pytest.raises(LabelQuestError) as exc:
        await create_from_files(
            store, SETTINGS, _spec("Up", "classify"), files, skip_bad=skip_bad, now=NOW
        )
    await _nothing_stored(store)
    text = exc.value.message
    assert tempfile.gettempdir() not in text and "labelquest-upload" not in text, text
    return text


@pytest.mark.parametrize(
    ("encoding", "looks"), [("utf-16", "UTF-16"), ("latin-1", "latin-1"), ("utf-16-be", "UTF-16")]
)
async def test_a_csv_not_in_utf8_names_its_encoding(
    store: SqlStore, encoding: str, looks: str
) -> None:
    data = "text,label\ncafé crème,a\nnaïve,b\n".encode(encoding)
    text = await _refusal(store, [Upload("mine.csv", data)])
    assert f"mine.csv is not UTF-8 (it looks like {looks}); save it as UTF-8" in text


async def test_labels_inside_an_archive_not_in_utf8_name_the_entry(store: SqlStore) -> None:
    data = zip_of(
        {"set/a.png": png_bytes(), "set/labels.csv": "file,label\na.png,café\n".encode("cp1252")}
    )
    text = await _refusal(store, [Upload("set.zip", data)])
    assert "set/labels.csv is not UTF-8 (it looks like latin-1)" in text


async def test_quickdraw_in_utf16_names_its_encoding(store: SqlStore) -> None:
    data = (drawing_to_ndjson(demo_drawing("cat", 1)) + "\n").encode("utf-16")
    files = sort_uploads([Upload("cats.ndjson", data)], _limits())
    with pytest.raises(LabelQuestError) as exc:
        await create_from_files(
            store, SETTINGS, _spec("QD", "quickdraw"), files, skip_bad=False, now=NOW
        )
    assert "cats.ndjson is not UTF-8 (it looks like UTF-16)" in exc.value.message
    assert tempfile.gettempdir() not in exc.value.message


async def test_broken_images_in_an_upload_show_no_server_path(store: SqlStore) -> None:
    data = zip_of(
        {
            "set/a.png": png_bytes()[:60],
            "set/b.png": b"text",
            "set/labels.csv": b"file,label\na.png,red\nb.png,red\nc.png,red\n",
        }
    )
    text = await _refusal(store, [Upload("set.zip", data)])
    assert "line 2: a.png" in text and "line 4: file not found: c.png" in text
    assert "BytesIO" not in text and "0x" not in text


# ------------------------------------------------------------- hole 16: Quick, Draw! skip-bad


async def test_quickdraw_uploads_refuse_bad_lines_unless_skip_bad(store: SqlStore) -> None:
    good = drawing_to_ndjson(demo_drawing("cat", 1))
    data = f'{good}\n{{"word": "cat", "drawing": [[[1]]]}}\n{good}\n'.encode()
    files = sort_uploads([Upload("cats.ndjson", data)], _limits())
    with pytest.raises(QuickdrawImportFailed, match=r"cats\.ndjson line 2: "):
        await create_from_files(
            store, SETTINGS, _spec("QD", "quickdraw"), files, skip_bad=False, now=NOW
        )
    await _nothing_stored(store)
    campaign, skipped = await create_from_files(
        store, SETTINGS, _spec("QD", "quickdraw"), files, skip_bad=True, now=NOW
    )
    assert campaign.name == "QD" and len(skipped) == 1 and skipped[0].startswith("cats.ndjson")
