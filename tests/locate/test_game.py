"""The locate game's rules: answers checked and stored canonically, the verdict over toy
answers (agreement finalizes, disagreement goes to review, min_support), gold, settings."""

from __future__ import annotations

import json

import pytest

from bot.core.kernel.errors import InvalidInput
from bot.games.locate import LocateGame
from storage.rows import CampaignRow, ItemRow

GAME = LocateGame()


def campaign(**raw: str) -> CampaignRow:
    s = GAME.check_settings(raw)
    return CampaignRow(1, "c", "locate", 1, "", [], 2, 5, 0.8, 0.0, 1, "active", None, "", s, 0.0)


def item(gold: str | None = None, width: int = 200, height: int = 100) -> ItemRow:
    meta = {"width": width, "height": height}
    return ItemRow(1, 1, "image", "scene.png", None, None, gold, None, None, meta)


BIKE = "[[20, 10, 40, 30]]"
C = campaign(instruction="Box every bicycle")


def norm(value: str, c: CampaignRow = C, it: ItemRow | None = None) -> str:
    return GAME.normalize(c, it or item(), value)


def test_an_answer_is_stored_compact_rounded_and_sorted() -> None:
    stored = norm('{"boxes": [[50.04, 10, 20, 30.333], [1, 2, 3, 4.25]]}')
    assert stored == '{"boxes":[[1,2,3,4.2],[50,10,20,30.3]]}'
    assert norm('{"boxes": []}') == '{"boxes":[]}'  # "nothing to mark here"
    assert norm(stored) == stored


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", r'must be \{"boxes": \[\.\.\.\]\}'),
        ('{"points": [[1, 2]]}', "asks for boxes, not points"),
        ('{"boxes": [[1, 2, 3]]}', r"box 1 must be \[x, y, w, h\] with 4 numbers"),
        ('{"boxes": [[1, 2, 3, "4"]]}', "box 1 must be"),
        ('{"boxes": [[1, 2, 0, 4]]}', "box 1 must have a positive width and height"),
        ('{"boxes": [[1, 2, 3, 4], [190, 2, 30, 4]]}', r"box 2 is outside the image \(200 x 100"),
        ('{"boxes": [[-5, 2, 3, 4]]}', "box 1 is outside the image"),
        ('{"boxes": ' + json.dumps([[1, 1, 2, 2]] * 21) + "}", "at most 20 marks per answer"),
        ('{"boxes": [[1, 2, NaN, 4]]}', "box 1 must be"),
    ],
)
def test_bad_answers_are_refused_naming_the_problem(value: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        norm(value)


def test_points_campaigns_take_points_inside_the_image() -> None:
    c = campaign(shape="point", max_marks="2")
    assert norm('{"points": [[10.26, 5], [3, 4]]}', c) == '{"points":[[3,4],[10.3,5]]}'
    with pytest.raises(InvalidInput, match="asks for points, not boxes"):
        norm('{"boxes": []}', c)
    with pytest.raises(InvalidInput, match="point 1 is outside the image"):
        norm('{"points": [[201, 5]]}', c)
    with pytest.raises(InvalidInput, match="at most 2 marks"):
        norm('{"points": [[1, 1], [2, 2], [3, 3]]}', c)


def test_settings_are_checked_by_name() -> None:
    with pytest.raises(InvalidInput, match="shape must be box or point"):
        GAME.check_settings({"shape": "circle"})
    with pytest.raises(InvalidInput, match=r"iou must be 0\.05 to 1"):
        GAME.check_settings({"iou": "1.5"})
    with pytest.raises(InvalidInput, match="min_support must be a whole number"):
        GAME.check_settings({"min_support": "two"})
    with pytest.raises(InvalidInput, match="take no setting colour"):
        GAME.check_settings({"colour": "red"})
    s = GAME.check_settings({"instruction": "  Box   every bicycle "})
    assert s == {"shape": "box", "instruction": "Box every bicycle", "min_support": 2,
                 "iou": 0.5, "max_marks": 20}  # fmt: skip
    assert GAME.question(C, item()) == "Box every bicycle\nOpen the canvas to answer."
    assert GAME.options(C, item()) == [] and not GAME.takes_text(item())


def answers(*marks: str) -> list[str]:
    return [norm('{"boxes": ' + m + "}") for m in marks]


def test_players_who_agree_finalize_the_merged_box() -> None:
    v = GAME.judge(C, item(), answers(BIKE, "[[22, 12, 40, 30]]", "[[20, 10, 38, 30]]"),
                   [0.9, 0.9, 0.9])  # fmt: skip
    assert json.loads(v.label or "") == {"boxes": [[20.7, 10.7, 39.3, 30]]}
    assert v.confidence == 1.0
    assert v.agreement is not None and 0.85 < v.agreement < 1.0


def test_disagreement_lowers_the_confidence_below_the_threshold() -> None:
    # two players box the bicycle, two box something else: every answer misses a kept box
    v = GAME.judge(C, item(), answers(BIKE, BIKE, "[[120, 50, 30, 30]]", "[[121, 50, 30, 30]]"),
                   [0.9] * 4)  # fmt: skip
    assert len(json.loads(v.label or "")["boxes"]) == 2
    assert v.confidence == 0.0


def test_a_stray_box_needs_min_support_to_count() -> None:
    three = answers(BIKE, BIKE, "[[20, 10, 40, 30], [150, 60, 20, 20]]")
    v = GAME.judge(C, item(), three, [0.9, 0.9, 0.9])
    assert json.loads(v.label or "") == {"boxes": [[20, 10, 40, 30]]}
    assert v.confidence == pytest.approx(2 / 3)  # the third answer has an extra box
    strict = campaign(min_support="3")
    v3 = GAME.judge(strict, item(), answers(BIKE, BIKE, "[]"), [0.9] * 3)
    assert json.loads(v3.label or "") == {"boxes": []}  # two of three is not enough
    assert v3.confidence == pytest.approx(1 / 3)


def test_nothing_to_mark_is_an_answer_players_can_agree_on() -> None:
    v = GAME.judge(C, item(), answers("[]", "[]"), [0.8, 0.8])
    assert (v.label, v.confidence, v.agreement) == ('{"boxes":[]}', 1.0, 1.0)


def test_the_confidence_is_reliability_weighted() -> None:
    v = GAME.judge(C, item(), answers(BIKE, BIKE, "[]"), [0.9, 0.9, 0.2])
    assert v.confidence == pytest.approx(1.8 / 2.0)


def test_points_cluster_by_distance() -> None:
    c = campaign(shape="point", radius="5")
    pts = [GAME.normalize(c, item(), '{"points": ' + p + "}")
           for p in ("[[50, 50]]", "[[53, 54]]", "[[58, 50]]")]  # fmt: skip
    v = GAME.judge(c, item(), pts, [1.0, 1.0, 1.0])
    assert json.loads(v.label or "") == {"points": [[51.5, 52]]}
    assert v.confidence == pytest.approx(2 / 3)


def test_gold_needs_every_box_matched_and_no_extra() -> None:
    gold = norm('{"boxes": [[20, 10, 40, 30], [120, 50, 30, 30]]}')
    g = item(gold=gold)
    assert GAME.is_correct(item(), gold) is None
    assert GAME.is_correct(g, norm('{"boxes": [[24, 12, 40, 30], [121, 50, 30, 30]]}'))
    assert not GAME.is_correct(g, norm('{"boxes": [[20, 10, 40, 30]]}'))  # one missed
    extra = '{"boxes": [[20, 10, 40, 30], [120, 50, 30, 30], [0, 0, 5, 5]]}'
    assert not GAME.is_correct(g, norm(extra))
    assert not GAME.is_correct(g, norm('{"boxes": [[40, 10, 40, 30], [120, 50, 30, 30]]}'))
    assert GAME.describe(C, g, gold) == "2 boxes"
    assert GAME.describe(C, g, '{"boxes":[]}') == "nothing marked"
