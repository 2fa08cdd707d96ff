"""A locate campaign's boxes and points in the formats detection tools load: COCO and Label
Studio (issue 17; docs/locate.md#admins).

Which label an item exports: a gold item its gold marks (score 1), an item an expert
reviewed the expert's label (score 1), a finalized item the merged marks of the live tally
(score = the verdict's agreement: mean IoU of the players' boxes to the merged box, for
points 1 - mean distance / radius). Open and review items are listed without marks.
Coordinates are the item image's pixels as stored (origin top-left).

- `coco`: COCO object detection JSON (Lin et al. 2014; cocodataset.org/#format-data):
  `images` (id = item id, file_name = the item's source name, width, height), `categories`
  (one: the campaign's object, from its instruction: "Box every bicycle" -> "bicycle"),
  `annotations` with `bbox` [x, y, w, h], `area`, `iscrowd` 0 and `score`. Points are COCO
  keypoints: the category has `keypoints: ["point"]` and each annotation
  `keypoints: [x, y, 2]`, `num_keypoints: 1` and a 1 x 1 `bbox` centred on the point.
- `labelstudio`: Label Studio's task import JSON with `predictions` (labelstud.io/guide/
  predictions): one task per item, `data.image` the source name; boxes as `rectanglelabels`
  and points as `keypointlabels`, each with `original_width`/`original_height` and x, y
  (and width, height) in percent of the image size (0-100), the label the category. The
  labeling config that loads them: `<RectangleLabels name="label" toName="image">` (or
  `<KeyPointLabels ...>`) and `<Image name="image" value="$image"/>`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bot.aggregation.boxes import Mark
from bot.games.locate import BOX, instruction_of, parse, shape_of
from storage import TALLY_FINALIZED, CampaignRow, ItemRow, Store, image_size

COCO, LABELSTUDIO = "coco", "labelstudio"
DETECTION_FORMATS = (COCO, LABELSTUDIO)
_FILLER = {"box", "boxes", "mark", "tap", "click", "point", "at", "to", "on", "every", "each",
           "all", "the", "a", "an", "any", "draw", "around", "find", "locate"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Located:
    """One item's image and the marks it exports (`marks` None: no label yet)."""

    item: ItemRow
    width: int
    height: int
    marks: list[Mark] | None
    score: float | None


def category_of(campaign: CampaignRow) -> str:
    """The object a locate campaign marks: its instruction without the verbs and
    quantifiers ("Box every bicycle" -> "bicycle"), else the campaign's name."""
    words = re.findall(r"[\w'-]+", instruction_of(campaign).lower())
    kept = [w for w in words if w not in _FILLER]
    return " ".join(kept[:4]) or campaign.name


async def located(store: Store, campaign: CampaignRow) -> list[Located]:
    """Every item of `campaign` with its size and exported marks (module rules)."""
    tallies = {t.item_id: t for t in await store.campaign_tallies(campaign.id)}
    out = []
    for item in await store.campaign_items(campaign.id):
        width, height = await _size(store, item)
        t = tallies.get(item.id)
        label, score = None, None
        if item.gold is not None:
            label, score = item.gold, 1.0
        elif t is not None and t.reviewed_label is not None:
            label, score = t.reviewed_label, 1.0
        elif t is not None and t.status == TALLY_FINALIZED and t.label is not None:
            label, score = t.label, t.agreement
        marks = _marks(label)
        out.append(Located(item, width, height, marks, None if marks is None else score))
    return out


def coco(campaign: CampaignRow, rows: list[Located]) -> bytes:
    """COCO JSON of `rows` (module rules)."""
    points = shape_of(campaign) != BOX
    category: dict[str, Any] = {"id": 1, "name": category_of(campaign), "supercategory": ""}
    if points:
        category |= {"keypoints": ["point"], "skeleton": []}
    images: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for r in rows:
        images.append(
            {"id": r.item.id, "file_name": r.item.source, "width": r.width, "height": r.height}
        )
        for m in r.marks or []:
            ann: dict[str, Any] = {
                "id": len(annotations) + 1,
                "image_id": r.item.id,
                "category_id": 1,
                "iscrowd": 0,
                "score": _score(r.score),
            }
            if points:
                x, y = m
                ann |= {"bbox": [x - 0.5, y - 0.5, 1, 1], "area": 1,
                        "keypoints": [x, y, 2], "num_keypoints": 1}  # fmt: skip
            else:
                x, y, w, h = m
                ann |= {"bbox": [x, y, w, h], "area": round(w * h, 2)}
            annotations.append(ann)
    info = {"description": f"LabelQuest campaign {campaign.name}", "version": "1.0"}
    doc = {"info": info, "images": images, "annotations": annotations, "categories": [category]}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()


def labelstudio(campaign: CampaignRow, rows: list[Located]) -> bytes:
    """Label Studio import JSON with predictions (module rules)."""
    name = category_of(campaign)
    points = shape_of(campaign) != BOX
    tasks = []
    for r in rows:
        task: dict[str, Any] = {"data": {"image": r.item.source, "item_id": r.item.id}}
        if r.marks is not None:
            result = [_ls_result(m, r, name, points, n) for n, m in enumerate(r.marks, 1)]
            task["predictions"] = [
                {"model_version": "labelquest", "score": _score(r.score), "result": result}
            ]
        tasks.append(task)
    return json.dumps(tasks, ensure_ascii=False, indent=1).encode()


def _ls_result(m: Mark, r: Located, name: str, points: bool, n: int) -> dict[str, Any]:
    def pct(v: float, side: int) -> float:
        return round(100.0 * v / side, 4)

    if points:
        kind = "keypointlabels"
        value: dict[str, Any] = {"x": pct(m[0], r.width), "y": pct(m[1], r.height),
                                 "width": 1.0, kind: [name]}  # fmt: skip
    else:
        kind = "rectanglelabels"
        value = {"x": pct(m[0], r.width), "y": pct(m[1], r.height), "width": pct(m[2], r.width),
                 "height": pct(m[3], r.height), "rotation": 0, kind: [name]}  # fmt: skip
    return {"id": f"i{r.item.id}m{n}", "type": kind, "from_name": "label", "to_name": "image",
            "original_width": r.width, "original_height": r.height, "image_rotation": 0,
            "value": value, "score": _score(r.score)}  # fmt: skip


def _score(score: float | None) -> float:
    return round(1.0 if score is None else float(score), 4)


def _marks(label: str | None) -> list[Mark] | None:
    if label is None:
        return None
    try:
        return parse(label)[1]
    except (ValueError, TypeError):
        return None


async def _size(store: Store, item: ItemRow) -> tuple[int, int]:
    """The image's size from its meta, else read from the stored image (older imports)."""
    try:
        return int(item.meta["width"]), int(item.meta["height"])
    except (KeyError, TypeError, ValueError):
        pass
    media = await store.get_media(item.id)
    if media is None:
        return 0, 0
    return image_size(media[1])
