"""Pure checks of a push of items (`POST /api/v1/campaigns/{id}/items`): the JSON body to
drafts, or `InvalidInput` whose message starts with the field it is about (`items[3].image`).

Rules (one item):
- `source` (required, 1 to `SOURCE_MAX` characters): the caller's id of the item, unique in
  the campaign's dataset; a source twice in one request is refused;
- exactly one of `image` (base64 of PNG, JPEG, WEBP or GIF bytes, at most `IMAGE_MAX_BYTES`
  decoded; checked and re-encoded later like an imported image), `text` (1 to `TEXT_MAX`
  characters) or `strokes` (Quick, Draw! strokes `[[xs, ys], ...]` or `[[xs, ys, ts], ...]`,
  at most `POINTS_MAX` points), and the kind must be one the campaign's game plays (image or
  text: verify and classify; strokes: quickdraw);
- `prediction`: the label a model gave. A verify campaign needs it (it is the candidate label
  players confirm or reject), a quickdraw campaign needs it (the doodle's word), a classify
  campaign keeps it as the item's candidate when given (it must be one of the options);
- `truth` (optional): a hidden reference answer for evaluation, as in imports (verify: yes or
  no; classify: an option; quickdraw: defaults to the word);
- `priority` (optional integer, `PRIORITY_MIN` to `PRIORITY_MAX`, default 0): higher is
  served first (migration 010).
No control characters in any string (PostgreSQL cannot store NUL).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from bot.core.intake import texts
from bot.core.kernel.errors import InvalidInput
from bot.games.base import Game
from storage import BadRecord, CampaignRow, Drawing, ItemRow, control_problem, parse_ndjson_object

ITEMS_MAX = 500
SOURCE_MAX = 500
TEXT_MAX = 2000
LABEL_MAX = 200
IMAGE_MAX_BYTES = 10 * 1024 * 1024
POINTS_MAX = 20_000
PRIORITY_MIN, PRIORITY_MAX = -1_000_000, 1_000_000
FIELDS = ("source", "image", "text", "strokes", "prediction", "truth", "priority")
KIND_OF = {"image": "image", "text": "text", "strokes": "doodle"}
_PROBE_ITEM = ItemRow(0, 0, "image", "", None, None, None, None, None, {})


@dataclass(frozen=True, slots=True)
class Draft:
    """One checked item of a push, before its image is decoded (`image` is raw bytes)."""

    index: int
    source: str
    kind: str
    text: str | None = None
    image: bytes | None = None
    drawing: Drawing | None = None
    prediction: str | None = None
    truth: str | None = None
    priority: int = 0

    @property
    def field(self) -> str:
        return f"items[{self.index}]"


def parse_push(body: Any, campaign: CampaignRow, game: Game) -> list[Draft]:
    """The drafts of a push body (see the module rules)."""
    if not isinstance(body, dict):
        raise InvalidInput(texts.BODY_NOT_OBJECT, field="body")
    extra = sorted(set(body) - {"items"})
    if extra:
        raise InvalidInput(texts.UNKNOWN_FIELD, field=extra[0], known="items")
    items = body.get("items")
    if not isinstance(items, list) or not items:
        raise InvalidInput(texts.ITEMS_NOT_LIST, field="items", most=ITEMS_MAX)
    if len(items) > ITEMS_MAX:
        raise InvalidInput(texts.TOO_MANY_ITEMS, field="items", most=ITEMS_MAX, count=len(items))
    drafts: list[Draft] = []
    first: dict[str, int] = {}
    for i, raw in enumerate(items):
        draft = parse_item(i, raw, campaign, game)
        if draft.source in first:
            raise InvalidInput(
                texts.SOURCE_TWICE, field=f"items[{i}].source", first=first[draft.source]
            )
        first[draft.source] = i
        drafts.append(draft)
    return drafts


def parse_item(i: int, raw: Any, campaign: CampaignRow, game: Game) -> Draft:
    """One item of a push (see the module rules)."""
    at = f"items[{i}]"
    if not isinstance(raw, dict):
        raise InvalidInput(texts.BODY_NOT_OBJECT, field=at)
    extra = sorted(set(raw) - set(FIELDS))
    if extra:
        raise InvalidInput(texts.UNKNOWN_FIELD, field=f"{at}.{extra[0]}", known=", ".join(FIELDS))
    source = _string(raw, at, "source", SOURCE_MAX, required=True)
    assert source is not None
    given = [k for k in ("image", "text", "strokes") if raw.get(k) is not None]
    if len(given) != 1:
        raise InvalidInput(texts.ONE_CONTENT, field=at)
    kind = KIND_OF[given[0]]
    if kind not in game.item_kinds:
        kinds = " or ".join(sorted(game.item_kinds))
        raise InvalidInput(
            texts.WRONG_KIND,
            field=f"{at}.{given[0]}",
            campaign=campaign.name,
            game=game.name,
            kinds=kinds,
            kind=kind,
        )
    prediction, truth = _labels(raw, at, campaign, game)
    return Draft(
        index=i,
        source=source,
        kind=kind,
        text=_string(raw, at, "text", TEXT_MAX),
        image=_image(raw, at),
        drawing=_drawing(raw, at, prediction),
        prediction=prediction,
        truth=truth,
        priority=_priority(raw, at),
    )


def _string(
    raw: dict[str, Any], at: str, key: str, most: int, *, required: bool = False
) -> str | None:
    value = raw.get(key)
    field = f"{at}.{key}" if at else key
    if value is None:
        if required:
            raise InvalidInput(texts.REQUIRED, field=field)
        return None
    if not isinstance(value, str):
        raise InvalidInput(texts.NOT_STRING, field=field)
    value = value.strip()
    if not 0 < len(value) <= most:
        raise InvalidInput(texts.BAD_LENGTH, field=field, most=most, count=len(value))
    problem = control_problem(value)
    if problem is not None:
        raise InvalidInput(texts.CONTROL, field=field, problem=problem)
    return value


def _labels(
    raw: dict[str, Any], at: str, campaign: CampaignRow, game: Game
) -> tuple[str | None, str | None]:
    prediction = _string(raw, at, "prediction", LABEL_MAX)
    truth = _string(raw, at, "truth", LABEL_MAX)
    if game.name == "verify":
        if prediction is None:
            raise InvalidInput(
                texts.PREDICTION_NEEDED, field=f"{at}.prediction", game=game.name,
                why=texts.VERIFY_WHY,
            )  # fmt: skip
        if truth is not None:
            truth = _answer(game, campaign, truth, f"{at}.truth")
            if truth not in ("yes", "no"):
                raise InvalidInput(texts.TRUTH_YES_NO, field=f"{at}.truth")
        return prediction, truth
    if game.free_text:
        if prediction is None:
            raise InvalidInput(
                texts.PREDICTION_NEEDED, field=f"{at}.prediction", game=game.name,
                why=texts.DOODLE_WHY,
            )  # fmt: skip
        word = _answer(game, campaign, prediction, f"{at}.prediction")
        return word, word if truth is None else _answer(game, campaign, truth, f"{at}.truth")
    if prediction is not None:
        prediction = _answer(game, campaign, prediction, f"{at}.prediction")
    if truth is not None:
        truth = _answer(game, campaign, truth, f"{at}.truth")
    return prediction, truth


def _answer(game: Game, campaign: CampaignRow, value: str, field: str) -> str:
    try:
        return game.normalize(campaign, _PROBE_ITEM, value)
    except InvalidInput as exc:
        raise InvalidInput(texts.NOT_AN_ANSWER, field=field, problem=exc.message) from None


def _image(raw: dict[str, Any], at: str) -> bytes | None:
    value = raw.get("image")
    if value is None:
        return None
    field = f"{at}.image"
    if not isinstance(value, str):
        raise InvalidInput(texts.NOT_STRING, field=field)
    if len(value) > (IMAGE_MAX_BYTES // 3 + 1) * 4 + 4:
        size_mb = len(value) * 3 / 4 / (1024 * 1024)
        raise InvalidInput(
            texts.IMAGE_TOO_BIG, field=field, most_mb=IMAGE_MAX_BYTES // (1024 * 1024),
            size_mb=size_mb,
        )  # fmt: skip
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(texts.NOT_BASE64, field=field) from None
    if not data:
        raise InvalidInput(texts.REQUIRED, field=field)
    return data


def _drawing(raw: dict[str, Any], at: str, word: str | None) -> Drawing | None:
    value = raw.get("strokes")
    if value is None:
        return None
    field = f"{at}.strokes"
    try:
        drawing = parse_ndjson_object({"word": word or "?", "drawing": value})
    except (BadRecord, ValueError) as exc:
        problem = str(exc).replace("'drawing'", "strokes")
        raise InvalidInput(texts.BAD_STROKES, field=field, problem=problem) from None
    points = sum(len(s.x) for s in drawing.strokes)
    if points > POINTS_MAX:
        raise InvalidInput(texts.TOO_MANY_POINTS, field=field, most=POINTS_MAX, count=points)
    return drawing


def _priority(raw: dict[str, Any], at: str) -> int:
    value = raw.get("priority", 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        if not (isinstance(value, float) and value.is_integer()):
            raise InvalidInput(
                texts.NOT_PRIORITY, field=f"{at}.priority", low=PRIORITY_MIN, high=PRIORITY_MAX
            )
        value = int(value)
    if not PRIORITY_MIN <= value <= PRIORITY_MAX:
        raise InvalidInput(
            texts.NOT_PRIORITY, field=f"{at}.priority", low=PRIORITY_MIN, high=PRIORITY_MAX
        )
    return value


LABEL_FIELDS = ("label", "gold", "explanation")
EXPLANATION_MAX = 1000


def parse_label(body: Any) -> tuple[str, bool, str | None]:
    """(label, gold, explanation) of a `PUT .../label` body: `label` required (1 to
    `LABEL_MAX` characters), `gold` optional boolean, `explanation` optional text (only with
    `gold`: what players see after answering the new gold item)."""
    if not isinstance(body, dict):
        raise InvalidInput(texts.BODY_NOT_OBJECT, field="body")
    extra = sorted(set(body) - set(LABEL_FIELDS))
    if extra:
        raise InvalidInput(texts.UNKNOWN_FIELD, field=extra[0], known=", ".join(LABEL_FIELDS))
    label = _string(body, "", "label", LABEL_MAX, required=True)
    gold = body.get("gold", False)
    if gold is None:
        gold = False
    if not isinstance(gold, bool):
        raise InvalidInput(texts.NOT_BOOLEAN, field="gold")
    explanation = _string(body, "", "explanation", EXPLANATION_MAX)
    if explanation is not None and not gold:
        raise InvalidInput(texts.EXPLANATION_WITHOUT_GOLD, field="explanation")
    assert label is not None
    return label, gold, explanation
