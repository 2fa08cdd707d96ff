"""Locate (issue 17): an image and an instruction ("Box every bicycle", "Tap the landmark");
the player marks boxes or points on the web canvas.

An answer is JSON in the item image's pixel coordinates, origin top-left: boxes
`{"boxes": [[x, y, w, h], ...]}` or points `{"points": [[x, y], ...]}`; an empty list means
"nothing to mark here" (it is evidence, not an abstention). `normalize` checks it (valid JSON,
the campaign's shape, every mark inside the image `item.meta["width"]` x `["height"]`,
positive sizes, at most `max_marks`) and stores a canonical compact form: coordinates rounded
to 0.1 px, marks sorted. Gold and truth are the same JSON. There are no option buttons: the
card links to the canvas.

Campaign settings: `shape` box (default) or point; `instruction`; `min_support` (players who
must mark an object for it to count, default 2: a plain count of answers, not weighted);
`iou` (box match threshold, default 0.5); `radius` (point match distance in image pixels,
default 5% of the image's longer side); `max_marks` (default 20).

Verdict (`judge`, geometry in `bot.aggregation.boxes`): the marks of all answers are
clustered (boxes by IoU >= `iou`, points by distance <= `radius`; one mark per answer per
cluster), clusters marked by at least `min_support` answers are kept and each merged into the
reliability-weighted mean mark. The label is the canonical JSON of the merged marks. An answer
*matches* the label when it has exactly one mark in every kept cluster and no mark in a
dropped one; the confidence is the reliability-weighted share of matching answers. The
agreement is the mean IoU of the kept clusters' members to their merged box (points:
1 - mean distance / radius); with nothing kept, the weighted share of answers that marked
nothing.

Gold (`is_correct`): right when every gold mark is matched one-to-one by a mark of the answer
(IoU >= 0.5 for boxes, distance <= 5% of the image's longer side for points: the defaults,
as `is_correct` does not see the campaign) and the answer has no extra mark.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from bot.aggregation import boxes as geo
from bot.errors import InvalidInput
from bot.games.base import Option, Verdict
from storage.rows import CampaignRow, ItemRow

BOX, POINT = "box", "point"
KEY = {BOX: "boxes", POINT: "points"}
DIMS = {BOX: 4, POINT: 2}
DEFAULT_MIN_SUPPORT = 2
DEFAULT_IOU = 0.5
DEFAULT_MAX_MARKS = 20
MAX_MAX_MARKS = 100
RADIUS_SHARE = 0.05
FALLBACK_RADIUS = 20.0
MAX_INSTRUCTION = 200
MAX_ANSWER_CHARS = 20_000
OPEN_CANVAS = "Open the canvas to answer."
DEFAULT_QUESTION = "Mark what the instruction asks for on the image."
_SLACK = 0.5  # px: a mark may overhang the edge by rounding on the canvas


def shape_of(campaign: CampaignRow) -> str:
    return str(campaign.settings.get("shape") or BOX)


def instruction_of(campaign: CampaignRow) -> str:
    return str(campaign.settings.get("instruction") or campaign.question or DEFAULT_QUESTION)


def size_of(item: ItemRow) -> tuple[float, float] | None:
    """The item image's (width, height) in pixels from its meta, None when unknown."""
    try:
        w, h = float(item.meta["width"]), float(item.meta["height"])
    except (KeyError, TypeError, ValueError):
        return None
    return (w, h) if w > 0 and h > 0 else None


def radius_of(campaign: CampaignRow | None, item: ItemRow) -> float:
    """The point match distance: the `radius` setting, else 5% of the longer side."""
    if campaign is not None and campaign.settings.get("radius"):
        return float(campaign.settings["radius"])
    size = size_of(item)
    return RADIUS_SHARE * max(size) if size else FALLBACK_RADIUS


def parse(label: str) -> tuple[str, list[geo.Mark]]:
    """(shape, marks) of a stored (canonical) answer; ValueError when it is not one."""
    data = json.loads(label)
    if not isinstance(data, dict) or len(data) != 1:
        raise ValueError(label)
    for shape, key in KEY.items():
        if key in data:
            return shape, [tuple(float(v) for v in m) for m in data[key]]
    raise ValueError(label)


def dump(shape: str, marks: Sequence[geo.Mark]) -> str:
    """Canonical compact JSON: coordinates rounded to 0.1 px, marks sorted."""
    rounded = sorted(tuple(_num(v) for v in m) for m in marks)
    return json.dumps({KEY[shape]: [list(m) for m in rounded]}, separators=(",", ":"))


def similarity_of(shape: str, campaign: CampaignRow | None, item: ItemRow) -> geo.Similarity:
    return geo.iou if shape == BOX else geo.point_similarity(radius_of(campaign, item))


def threshold_of(shape: str, campaign: CampaignRow | None) -> float:
    if shape == POINT:
        return 0.0
    return float(campaign.settings.get("iou") or DEFAULT_IOU) if campaign else DEFAULT_IOU


class LocateGame:
    name: ClassVar[str] = "locate"
    title: ClassVar[str] = "Locate (boxes and points)"
    item_kinds: ClassVar[frozenset[str]] = frozenset({"image"})
    free_text: ClassVar[bool] = True
    """No option buttons: every distinct answer is an outcome (review picks among them)."""
    settings_keys: ClassVar[Mapping[str, str]] = {
        "shape": "box (players draw boxes, the default) or point (players tap points)",
        "instruction": 'what to mark, shown on the card and the canvas, e.g. "Box every bicycle"',
        "min_support": f"players who must mark an object for it to count (default "
        f"{DEFAULT_MIN_SUPPORT})",
        "iou": f"box match threshold, intersection over union 0..1 (default {DEFAULT_IOU})",
        "radius": "point match distance in image pixels (default 5% of the longer side)",
        "max_marks": f"the most marks one answer may have, 1 to {MAX_MAX_MARKS} (default "
        f"{DEFAULT_MAX_MARKS})",
    }

    def check_settings(self, raw: Mapping[str, str]) -> dict[str, Any]:
        unknown = sorted(set(raw) - set(self.settings_keys))
        if unknown:
            known = ", ".join(self.settings_keys)
            raise InvalidInput(f"locate campaigns take no setting {', '.join(unknown)} "
                               f"(they take {known})")  # fmt: skip
        shape = str(raw.get("shape") or BOX).strip().lower()
        if shape not in KEY:
            raise InvalidInput(f"locate setting shape must be box or point, not {shape!r}")
        out: dict[str, Any] = {"shape": shape}
        instruction = " ".join(str(raw.get("instruction", "")).split())
        if len(instruction) > MAX_INSTRUCTION:
            raise InvalidInput(
                f"locate setting instruction is longer than {MAX_INSTRUCTION} characters"
            )
        if instruction:
            out["instruction"] = instruction
        out["min_support"] = int(_number(raw, "min_support", DEFAULT_MIN_SUPPORT, 1, 50, True))
        out["iou"] = _number(raw, "iou", DEFAULT_IOU, 0.05, 1.0, False)
        if str(raw.get("radius") or "").strip():
            out["radius"] = _number(raw, "radius", 0, 0.5, 10_000, False)
        out["max_marks"] = int(_number(raw, "max_marks", DEFAULT_MAX_MARKS, 1, MAX_MAX_MARKS,
                                       True))  # fmt: skip
        return out

    def takes_text(self, item: ItemRow) -> bool:
        return False

    def check_options(self, options: Sequence[str]) -> list[str]:
        if options:
            raise InvalidInput("locate campaigns take no options: players mark the image")
        return []

    def default_question(self) -> str:
        return DEFAULT_QUESTION

    def question(self, campaign: CampaignRow, item: ItemRow) -> str:
        return f"{instruction_of(campaign)}\n{OPEN_CANVAS}"

    def options(self, campaign: CampaignRow, item: ItemRow) -> list[Option]:
        return []

    def evidence_options(self, campaign: CampaignRow, item: ItemRow) -> list[str]:
        return []

    def normalize(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        shape = shape_of(campaign)
        marks = _read_marks(label, shape)
        most = int(campaign.settings.get("max_marks") or DEFAULT_MAX_MARKS)
        if len(marks) > most:
            raise InvalidInput(f"at most {most} marks per answer, not {len(marks)}")
        size = size_of(item)
        for n, mark in enumerate(marks, 1):
            _check_mark(shape, mark, size, n)
        return dump(shape, [_clamp(m, size) for m in marks])

    def is_correct(self, item: ItemRow, label: str) -> bool | None:
        if item.gold is None:
            return None
        try:
            shape, gold = parse(item.gold)
            answer_shape, marks = parse(label)
        except (ValueError, TypeError):
            return False
        if shape != answer_shape or len(gold) != len(marks):
            return False
        sim = similarity_of(shape, None, item)
        return geo.match_count(gold, marks, sim, threshold_of(shape, None)) == len(gold)

    def describe(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        try:
            shape, marks = parse(label)
        except (ValueError, TypeError):
            return label
        if not marks:
            return "nothing marked"
        one, many = ("box", "boxes") if shape == BOX else ("point", "points")
        return f"{len(marks)} {one if len(marks) == 1 else many}"

    def is_evidence(self, campaign: CampaignRow, item: ItemRow, label: str) -> bool:
        """Every well-formed answer is evidence (an empty one says "nothing here")."""
        try:
            return parse(label)[0] == shape_of(campaign)
        except (ValueError, TypeError):
            return False

    def judge(
        self,
        campaign: CampaignRow,
        item: ItemRow,
        answers: Sequence[str],
        weights: Sequence[float],
    ) -> Verdict:
        """The verdict of the module docstring."""
        shape = shape_of(campaign)
        parsed = [parse(a)[1] for a in answers]
        if not parsed:
            return Verdict(None, 0.0, None)
        sim = similarity_of(shape, campaign, item)
        clusters = geo.cluster(parsed, weights, sim, threshold_of(shape, campaign))
        need = int(campaign.settings.get("min_support") or DEFAULT_MIN_SUPPORT)
        kept = [c for c in clusters if c.support >= need]
        label = dump(shape, [c.merged for c in kept])
        total = sum(weights) or 1.0
        confidence = sum(w for i, w in enumerate(weights)
                         if _matches(i, len(parsed[i]), kept)) / total  # fmt: skip
        agreement = geo.agreement(kept, sim)
        if agreement is None:
            agreement = sum(w for p, w in zip(parsed, weights, strict=True) if not p) / total
        return Verdict(label, min(1.0, confidence), max(0.0, agreement))


def _matches(answer: int, n_marks: int, kept: Sequence[geo.Cluster]) -> bool:
    """One mark in every kept cluster and none elsewhere."""
    hits = sum(1 for c in kept if any(i == answer for i, _ in c.members))
    return hits == len(kept) and n_marks == len(kept)


def _num(v: float) -> float | int:
    r = round(v, 1)
    return int(r) if r == int(r) else r


def _read_marks(label: str, shape: str) -> list[geo.Mark]:
    key, other = KEY[shape], KEY[POINT if shape == BOX else BOX]
    if len(label) > MAX_ANSWER_CHARS:
        raise InvalidInput(f"the answer is longer than {MAX_ANSWER_CHARS} characters")
    try:
        data = json.loads(label)
    except (ValueError, RecursionError):
        raise InvalidInput(f'the answer is not valid JSON (expected {{"{key}": [...]}})') from None
    if not isinstance(data, dict) or set(data) != {key}:
        if isinstance(data, dict) and other in data:
            raise InvalidInput(f"this campaign asks for {key}, not {other}")
        raise InvalidInput(f'the answer must be {{"{key}": [...]}}')
    raw = data[key]
    if not isinstance(raw, list):
        raise InvalidInput(f'"{key}" must be a list')
    dims = DIMS[shape]
    marks: list[geo.Mark] = []
    for n, m in enumerate(raw, 1):
        ok = isinstance(m, list) and len(m) == dims
        if ok and all(isinstance(v, int | float) and not isinstance(v, bool) for v in m):
            values = tuple(float(v) for v in m)
            if all(math.isfinite(v) for v in values):
                marks.append(values)
                continue
        what = "[x, y, w, h]" if shape == BOX else "[x, y]"
        raise InvalidInput(f"{shape} {n} must be {what} with {dims} numbers")
    return marks


def _check_mark(shape: str, mark: geo.Mark, size: tuple[float, float] | None, n: int) -> None:
    x, y = mark[0], mark[1]
    w, h = (mark[2], mark[3]) if shape == BOX else (0.0, 0.0)
    if shape == BOX and (round(w, 1) <= 0 or round(h, 1) <= 0):
        raise InvalidInput(f"box {n} must have a positive width and height")
    W, H = size or (math.inf, math.inf)
    if x < -_SLACK or y < -_SLACK or x + w > W + _SLACK or y + h > H + _SLACK:
        where = f" ({W:g} x {H:g} pixels)" if size else ""
        raise InvalidInput(f"{shape} {n} is outside the image{where}")


def _clamp(mark: geo.Mark, size: tuple[float, float] | None) -> geo.Mark:
    """`mark` moved inside the image (it may overhang by `_SLACK`)."""
    W, H = size or (math.inf, math.inf)
    x, y = min(max(mark[0], 0.0), W), min(max(mark[1], 0.0), H)
    if len(mark) == 2:
        return (x, y)
    return (x, y, min(mark[2], W - x), min(mark[3], H - y))


def _number(raw: Mapping[str, str], key: str, default: float, lo: float, hi: float,
            whole: bool) -> float:  # fmt: skip
    text = str(raw.get(key) or "").strip()
    if not text:
        return default
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise InvalidInput(f"locate setting {key} must be {kind}, not {text!r}") from None
    if not (lo <= value <= hi) or not math.isfinite(value):
        raise InvalidInput(f"locate setting {key} must be {lo:g} to {hi:g}, not {text}")
    return value
