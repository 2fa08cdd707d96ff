"""Importing a locate campaign: each image records its size; the label column is the known
boxes (JSON, checked against that size), `?` when they are not known; a gold row's boxes
are its gold answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from bot.core.campaigns.importing import ImportFailed, import_images, make_spec
from storage import SqlStore
from tests.support.settings import settings_for

NOW = 1_767_225_600.0


def _folder(tmp: Path) -> Path:
    folder = tmp / "imgs"
    folder.mkdir()
    for name, size in (("a.png", (200, 100)), ("b.png", (64, 48)), ("c.png", (30, 30))):
        Image.new("RGB", size, "white").save(folder / name)
    return folder


def _spec() -> object:
    raw = {"instruction": "Box every bicycle"}
    return make_spec(settings_for(":memory:"), "bikes", "locate", game_settings=raw)


async def test_locate_import_records_sizes_truth_and_gold(store: SqlStore, tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(
        'file,label,gold\na.png,"{""boxes"": [[10, 10, 50.04, 20]]}",\nb.png,?,\n'
        'c.png,"{""boxes"": []}",yes\n'
    )
    campaign, _ = await import_images(store, _folder(tmp_path), labels, _spec(), now=NOW)  # type: ignore[arg-type]
    items = {i.source: i for i in await store.campaign_items(campaign.id)}
    assert items["a.png"].meta == {"width": 200, "height": 100}
    assert items["a.png"].truth == '{"boxes":[[10,10,50,20]]}'
    assert items["b.png"].truth is None and items["b.png"].meta["width"] == 64
    assert items["c.png"].gold == '{"boxes":[]}'
    assert campaign.settings["instruction"] == "Box every bicycle"


async def test_boxes_outside_the_image_are_refused_with_their_line(
    store: SqlStore, tmp_path: Path
) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text('file,label\na.png,"{""boxes"": [[190, 10, 50, 20]]}"\nb.png,?\n')
    with pytest.raises(ImportFailed) as failed:
        await import_images(store, _folder(tmp_path), labels, _spec(), now=NOW)  # type: ignore[arg-type]
    assert "line 2" in str(failed.value) and "box 1 is outside the image (200 x 100" in str(
        failed.value
    )
