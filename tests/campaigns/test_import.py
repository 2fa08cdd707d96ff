"""Importing images: every kind of bad input is refused with its line number, and nothing is
stored unless --skip-bad is given; images are re-encoded without metadata."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from bot.core.campaigns.importing import ImportFailed, import_images, import_texts, make_spec
from bot.core.kernel.errors import InvalidInput
from storage import SqlStore
from tests.support.images import png_bytes
from tests.support.settings import settings_for

NOW = 1_767_225_600.0


def _spec(game: str = "verify", options: list[str] | None = None, name: str = "cats"):  # type: ignore[no-untyped-def]
    return make_spec(settings_for(":memory:"), name, game, options=options)


def _folder(tmp: Path, names: list[str]) -> Path:
    folder = tmp / "images"
    folder.mkdir(exist_ok=True)
    for i, n in enumerate(names):
        (folder / n).write_bytes(png_bytes(["red", "green", "blue"][i % 3]))
    return folder


def _csv(tmp: Path, text: str) -> Path:
    path = tmp / "labels.csv"
    path.write_text(text, encoding="utf-8")
    return path


async def test_good_import_creates_a_campaign(store: SqlStore, tmp_path: Path) -> None:
    folder = _folder(tmp_path, ["a.png", "b.png", "c.png"])
    labels = _csv(
        tmp_path,
        "file,label,gold,explanation\na.png,cat,yes,Whiskers.\nb.png,cat,,\nc.png,dog,,\n",
    )
    campaign, skipped = await import_images(store, folder, labels, _spec(), now=NOW)
    assert skipped == []
    items = await store.dataset_items(campaign.dataset_id)
    assert [(i.source, i.candidate, i.gold) for i in items] == [
        ("a.png", "cat", "yes"),
        ("b.png", "cat", None),
        ("c.png", "dog", None),
    ]
    assert items[0].gold_explanation == "Whiskers."
    assert len(await store.campaign_tallies(campaign.id)) == 3


@pytest.mark.parametrize(
    ("csv_text", "files", "expected"),
    [
        ("file,label\na.png,cat,extra\n", ["a.png"], "line 2: expected 2 fields"),
        ("file,label\na.png,cat\nmissing.png,cat\n", ["a.png"], "line 3: file not found"),
        ("file,label\na.png,cat\nbroken.png,cat\n", ["a.png"], "line 3: broken.png is a corrupt"),
        ("file,label\na.png,cat\na.png,dog\n", ["a.png"], "line 3: duplicate of line 2"),
        ("file,label\na.png,\n", ["a.png"], "line 2: the label field is empty"),
        ("file,label,gold\na.png,cat,perhaps\n", ["a.png"], "line 2: gold: answer must be"),
        ("file,label\n../etc.png,cat\n", ["a.png"], "line 2: '../etc.png' is outside"),
        ("name,label\na.png,cat\n", ["a.png"], "line 1: header must have the column(s) file"),
        ('file,label\na.png,"cat\n', ["a.png"], "line 2"),
    ],
)
async def test_bad_input_is_refused_with_its_line_and_nothing_is_stored(
    store: SqlStore, tmp_path: Path, csv_text: str, files: list[str], expected: str
) -> None:
    folder = _folder(tmp_path, files)
    (folder / "broken.png").write_bytes(png_bytes()[:60])
    with pytest.raises(ImportFailed) as exc:
        await import_images(store, folder, _csv(tmp_path, csv_text), _spec(), now=NOW)
    assert expected in exc.value.message
    assert await store.list_campaigns() == []
    assert await store.list_datasets() == []


async def test_not_an_image_at_all(store: SqlStore, tmp_path: Path) -> None:
    folder = _folder(tmp_path, ["a.png"])
    (folder / "notes.png").write_text("hello, I am text")
    labels = _csv(tmp_path, "file,label\na.png,cat\nnotes.png,cat\n")
    with pytest.raises(ImportFailed, match=r"line 3: notes\.png is not a readable image"):
        await import_images(store, folder, labels, _spec(), now=NOW)


async def test_skip_bad_stores_the_good_rows_and_lists_the_bad(
    store: SqlStore, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, ["a.png", "b.png"])
    labels = _csv(tmp_path, "file,label\na.png,cat\nzzz.png,cat\nb.png,dog\nb.png,dog\n")
    campaign, skipped = await import_images(store, folder, labels, _spec(), skip_bad=True, now=NOW)
    assert [str(p) for p in skipped] == [
        "line 3: file not found: zzz.png",
        "line 5: duplicate of line 4 (file 'b.png')",
    ]
    assert len(await store.dataset_items(campaign.dataset_id)) == 2


async def test_exif_and_gps_are_stripped(store: SqlStore, tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    img = Image.new("RGB", (64, 48), (10, 120, 200))
    for x in range(64):
        img.putpixel((x, x % 48), (x * 4, 255 - x, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 29.0)}  # GPS IFD
    exif[0x0112] = 6  # orientation: rotate 90 degrees
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    (folder / "photo.jpg").write_bytes(buf.getvalue())
    labels = _csv(tmp_path, "file,label\nphoto.jpg,sky\n")
    campaign, _ = await import_images(store, folder, labels, _spec(), now=NOW)
    [item] = await store.dataset_items(campaign.dataset_id)
    media = await store.get_media(item.id)
    assert media is not None
    stored = Image.open(io.BytesIO(media[1]))
    assert not stored.getexif() and b"SpyCam" not in media[1]
    assert stored.size == (48, 64)  # turned upright by the orientation tag


async def test_classify_import_checks_options(store: SqlStore, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="2 to 25 options"):
        _spec("classify", ["only"])
    folder = _folder(tmp_path, ["a.png", "b.png"])
    labels = _csv(tmp_path, "file,label,gold\na.png,cat,1\nb.png,bird,\n")
    with pytest.raises(ImportFailed, match="line 3: label: 'bird' is not one of: cat, dog"):
        await import_images(store, folder, labels, _spec("classify", ["cat", "dog"]), now=NOW)
    ok = _csv(tmp_path, "file,label,gold\na.png,cat,1\nb.png,dog,\n")
    campaign, _ = await import_images(
        store, folder, ok, _spec("classify", ["cat", "dog"]), now=NOW
    )
    items = await store.dataset_items(campaign.dataset_id)
    assert [(i.gold, i.truth) for i in items] == [("cat", "cat"), (None, "dog")]


async def test_text_import(store: SqlStore, tmp_path: Path) -> None:
    labels = _csv(tmp_path, "text,label\nI loved it,positive\nMeh.,\n")
    campaign, _ = await import_texts(
        store, labels, _spec("classify", ["positive", "negative"]), now=NOW
    )
    items = await store.dataset_items(campaign.dataset_id)
    assert [(i.kind, i.text) for i in items] == [("text", "I loved it"), ("text", "Meh.")]
