"""A locate campaign's merged boxes as COCO and Label Studio JSON: from the command line's
export function, in chat (`/export NAME coco`), and refused for other games."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli.main import main
from bot.core.engine import Engine
from bot.core.exports.download import ExportOptions, export_file
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import InvalidInput, PermissionDenied
from bot.core.review.report import campaign_report, format_report
from bot.games.locate import parse
from storage import SqlStore, open_store
from tests.locate.seeds import seed_locate
from tests.support.engine import consented, player
from tests.support.seeds import seed_campaign
from tests.support.settings import settings_for


async def _play_both(engine: Engine, clock: ManualClock) -> dict[int, list[list[float]]]:
    """Players 1 and 2 box both scenes (player 2 two pixels to the right): item -> the
    merged boxes expected."""
    expected: dict[int, list[list[float]]] = {}
    for i, shift in ((1, 0.0), (2, 2.0)):
        p = player(i)
        await consented(engine, p)
        for _ in range(2):
            card = await engine.play.next_task(p)
            rnd = await engine.store.get_round(card.round_id or 0)
            assert rnd is not None
            item = await engine.kernel.item(rnd.item_id)
            truth = parse(item.truth or "")[1]
            boxes = [[x + shift, y, w, h] for x, y, w, h in truth]
            clock.advance(5)
            await engine.play.answer_value(p, rnd.id, json.dumps({"boxes": boxes}))
            expected[item.id] = [[x + 1, y, w, h] for x, y, w, h in truth]
    return expected


async def test_coco_and_label_studio_carry_the_merged_boxes(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    campaign = await seed_locate(store, 2)
    expected = await _play_both(engine, clock)
    coco = json.loads((await export_file(store, campaign, ExportOptions(fmt="coco"))).data)
    assert coco["categories"] == [{"id": 1, "name": "ball", "supercategory": ""}]
    assert sorted(i["id"] for i in coco["images"]) == sorted(expected)
    assert all(i["width"] == 320 and i["height"] == 240 for i in coco["images"])
    assert {i["file_name"] for i in coco["images"]} == {"scene-0.png", "scene-1.png"}
    got: dict[int, list[list[float]]] = {}
    for a in coco["annotations"]:
        got.setdefault(a["image_id"], []).append(a["bbox"])
        x, y, w, h = a["bbox"]
        assert a["area"] == pytest.approx(w * h) and a["category_id"] == 1
        assert 0.9 < a["score"] <= 1.0  # the mean IoU of the two players' boxes
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in expected.items()}

    ls = json.loads((await export_file(store, campaign, ExportOptions(fmt="labelstudio"))).data)
    assert len(ls) == 2
    for task in ls:
        (prediction,) = task["predictions"]
        want = sorted(expected[task["data"]["item_id"]])
        results: list[dict[str, Any]] = prediction["result"]
        assert [r["type"] for r in results] == ["rectanglelabels"] * len(want)
        for r, (x, y, w, h) in zip(sorted(results, key=lambda r: r["value"]["x"]), want,
                                    strict=True):  # fmt: skip
            assert (r["original_width"], r["original_height"]) == (320, 240)
            v = r["value"]
            assert v["x"] == pytest.approx(100 * x / 320, abs=1e-3)
            assert v["y"] == pytest.approx(100 * y / 240, abs=1e-3)
            assert v["width"] == pytest.approx(100 * w / 320, abs=1e-3)
            assert v["height"] == pytest.approx(100 * h / 240, abs=1e-3)
            assert v["rectanglelabels"] == ["ball"]


async def test_points_export_as_coco_keypoints_and_label_studio_keypoints(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    campaign = await seed_locate(store, 1, settings={"shape": "point"}, min_overlap=2)
    for i in (1, 2):
        p = player(i)
        await consented(engine, p)
        card = await engine.play.next_task(p)
        clock.advance(5)
        await engine.play.answer_value(p, card.round_id or 0, '{"points": [[160, 120]]}')
    coco = json.loads((await export_file(store, campaign, ExportOptions(fmt="coco"))).data)
    (ann,) = coco["annotations"]
    assert ann["keypoints"] == [160, 120, 2] and ann["num_keypoints"] == 1
    assert coco["categories"][0]["keypoints"] == ["point"]
    ls = json.loads((await export_file(store, campaign, ExportOptions(fmt="labelstudio"))).data)
    (r,) = ls[0]["predictions"][0]["result"]
    assert r["type"] == "keypointlabels"
    assert (r["value"]["x"], r["value"]["y"]) == (50.0, 50.0)


async def test_chat_export_sends_the_file_and_other_games_are_refused(
    store: SqlStore, clock: ManualClock
) -> None:
    settings = settings_for(":memory:", admins={"discord": ["u99"]})
    engine = Engine(store, settings, clock)
    admin = player(99)
    try:
        await seed_locate(store, 2)
        await _play_both(engine, clock)
        typed = await engine.campaigns.export_campaign(admin, "bikes coco")  # Telegram's words
        (doc,) = typed.files
        assert doc.filename == "bikes-coco.json" and "bikes: 2 images as coco" in typed.text
        assert len(json.loads(doc.data)["annotations"]) >= 1
        chosen = await engine.campaigns.export_campaign(admin, "bikes", "labelstudio")
        assert chosen.files[0].filename == "bikes-labelstudio.json"
        await seed_campaign(store, name="colours")
        with pytest.raises(InvalidInput, match="boxes or points of a locate campaign"):
            await engine.campaigns.export_campaign(admin, "colours", "coco")
        with pytest.raises(PermissionDenied, match="Only LabelQuest admins can export"):
            await engine.campaigns.export_campaign(player(5), "bikes", "coco")
    finally:
        await engine.close()


def test_run_py_export_writes_coco(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "lq.db")

    async def seed() -> None:
        s = await open_store(db)
        try:
            await seed_locate(s, 2)  # type: ignore[arg-type]
        finally:
            await s.close()

    asyncio.run(seed())
    out = tmp_path / "bikes.json"
    assert main(["export", "--format", "coco", "bikes", "-o", str(out), "--db", db]) == 0
    assert "wrote 2 images of 'bikes'" in capsys.readouterr().out
    coco = json.loads(out.read_text())
    assert [i["file_name"] for i in coco["images"]] == ["scene-0.png", "scene-1.png"]
    assert coco["annotations"] == []  # nothing finalized yet: images listed without boxes


async def test_the_quality_report_shows_the_mean_iou(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    campaign = await seed_locate(store, 2)
    await _play_both(engine, clock)
    r = await campaign_report(store, campaign, engine.quality)
    assert r.finalized == 2 and r.mean_iou is not None and 0.9 < r.mean_iou < 1.0
    text = format_report(r)
    assert (
        f"Agreement, mean IoU of the players' marks to the merged ones: {r.mean_iou:.3f}" in text
    )
    assert "Krippendorff" not in text
