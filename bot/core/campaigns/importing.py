"""Import use cases: a folder of images (or a CSV of texts) plus labels becomes a dataset and
an active campaign. All-or-nothing by default: with any bad line nothing is stored and every
problem is listed with its line number; `skip_bad` stores the good rows and lists the bad.

Labels CSV, per game:
- verify: `label` is the candidate label shown with the image ("Is this a cat?"); `gold`
  (optional) is the known answer, yes or no; `explanation` is shown after a gold answer.
- classify: `label` (optional) is a reference answer kept hidden for accuracy reports; a
  `gold` of 1/true/yes/gold makes the row a gold item whose answer is `label` (or `gold` may
  name the answer directly).
- transcribe: `label` is the text the image shows, kept hidden as the truth (normalised by
  the campaign's `case` and `spaces` settings); a truthy `gold` makes it a gold item whose
  answer is that text.
- `truth` (optional, every game) is a hidden reference answer used only for evaluation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.core.campaigns import texts
from bot.core.kernel import texts as kernel_texts
from bot.core.kernel.errors import InvalidInput, LabelQuestError
from bot.core.kernel.settings import EngineSettings
from bot.games.base import Game
from bot.games.registry import get_game
from storage import (
    CampaignRow,
    DuplicateName,
    ImageLimits,
    ItemRow,
    LabelRow,
    NewCampaign,
    NewDataset,
    NewItem,
    OverBudget,
    PixelBudget,
    Problem,
    Store,
    image_size,
    load_image,
    read_labels_csv,
)

TRUTHY = {"1", "true", "yes", "y", "gold", "x"}
UNKNOWN_MARKS = "?"  # locate: the label column of an image whose boxes are not known
_NO_ITEM = ItemRow(0, 0, "image", "", None, None, None, None, None, {})


class ImportFailed(LabelQuestError):
    """Bad input: nothing was stored. `problems` lists every bad line, each named with the
    file it is in (`file`: the labels file as the user knows it) when that is known."""

    key = "import_failed"

    def __init__(self, problems: list[Problem], file: str | None = None) -> None:
        prefix = f"{file} " if file else ""
        lines = "\n".join(f"  {prefix}{p}" if p.line else f"  {p}" for p in problems[:50])
        more = kernel_texts.AND_MORE.format(count=len(problems) - 50) if len(problems) > 50 else ""
        super().__init__(kernel_texts.IMPORT_REFUSED + f"\n{lines}{more}")
        self.problems = problems


@dataclass(frozen=True, slots=True)
class CampaignSpec:
    name: str
    game: str
    question: str
    options: list[str]
    min_overlap: int
    max_overlap: int
    confidence: float
    gold_rate: float
    reward_multiplier: float = 1.0
    community_id: int | None = None
    created_by: str = "cli"
    status: str = "active"
    settings: dict[str, object] = field(default_factory=dict)


def make_spec(
    settings: EngineSettings,
    name: str,
    game_name: str,
    *,
    options: list[str] | None = None,
    question: str | None = None,
    min_overlap: int | None = None,
    max_overlap: int | None = None,
    confidence: float | None = None,
    gold_rate: float | None = None,
    reward_multiplier: float = 1.0,
    community_id: int | None = None,
    created_by: str = "cli",
    game_settings: Mapping[str, str] | None = None,
) -> CampaignSpec:
    """A validated campaign spec; defaults from `[game]` in the config."""
    g = settings.game
    game = get_game(game_name)
    name = name.strip()
    if not name or len(name) > 60:
        raise InvalidInput(texts.CAMPAIGN_NAME_LENGTH)
    lo = g.min_overlap if min_overlap is None else min_overlap
    hi = max(g.max_overlap, lo) if max_overlap is None else max_overlap
    if lo < 1 or hi < lo:
        raise InvalidInput(texts.BAD_OVERLAP, lo=lo, hi=hi)
    conf = g.confidence if confidence is None else confidence
    if not 0.5 <= conf < 1:
        raise InvalidInput(texts.BAD_CONFIDENCE, conf=conf)
    rate = g.gold_rate if gold_rate is None else gold_rate
    if not 0 <= rate <= 1:
        raise InvalidInput(texts.BAD_GOLD_RATE, rate=rate)
    if not 0 < reward_multiplier <= 10:
        raise InvalidInput(texts.BAD_REWARD_MULTIPLIER, multiplier=reward_multiplier)
    return CampaignSpec(
        name,
        game.name,
        question or game.default_question(),
        game.check_options(options or []),
        lo,
        hi,
        conf,
        rate,
        reward_multiplier,
        community_id,
        created_by,
        settings=dict(game.check_settings(game_settings or {})),
    )


async def import_images(
    store: Store,
    folder: Path,
    labels: Path,
    spec: CampaignSpec,
    *,
    skip_bad: bool = False,
    now: float,
    limits: ImageLimits | None = None,
    names: tuple[str, str] | None = None,
) -> tuple[CampaignRow, list[Problem]]:
    """Images named in `labels` from `folder` -> dataset + campaign. Returns the campaign and
    the problems skipped (empty unless `skip_bad`). `names` is (source, labels file) as the
    user knows them, for uploads (default: the paths)."""
    if not await asyncio.to_thread(folder.is_dir):
        raise InvalidInput(texts.NOT_A_FOLDER, folder=folder)
    source, labels_name = names or (str(folder), str(labels))
    rows, problems = read_labels_csv(labels, display=labels_name)
    limits = limits or ImageLimits()
    items, bad, stopped = await asyncio.to_thread(
        _image_items, folder, rows, get_game(spec.game), spec, limits, len(problems)
    )
    if stopped:
        raise ImportFailed(sorted(problems + bad, key=lambda p: p.line), labels_name)
    found = problems + bad
    return await _store(store, "image", source, items, found, spec, skip_bad, now, labels_name)


async def import_texts(
    store: Store,
    labels: Path,
    spec: CampaignSpec,
    *,
    skip_bad: bool = False,
    now: float,
    name: str | None = None,
) -> tuple[CampaignRow, list[Problem]]:
    """Texts in the `text` column of `labels` -> dataset + campaign (`name`: the file's name
    as the user knows it)."""
    rows, problems = read_labels_csv(labels, text_items=True, display=name)
    game = get_game(spec.game)
    items, bad = [], []
    for row in rows:
        try:
            items.append(_item(row, "text", None, None, game, spec))
        except InvalidInput as exc:
            bad.append(Problem(row.line, exc.message))
    source = name or str(labels)
    found = problems + bad
    return await _store(store, "text", source, items, found, spec, skip_bad, now, source)


async def _store(
    store: Store,
    kind: str,
    source: str,
    items: list[NewItem],
    problems: list[Problem],
    spec: CampaignSpec,
    skip_bad: bool,
    now: float,
    file: str | None = None,
) -> tuple[CampaignRow, list[Problem]]:
    problems.sort(key=lambda p: p.line)
    if problems and not skip_bad:
        raise ImportFailed(problems, file)
    if not items:
        raise ImportFailed(problems or [Problem(0, texts.NOTHING_TO_IMPORT)], file)
    return await store_import(store, kind, source, items, spec, now), problems


async def store_import(
    store: Store, kind: str, source: str, items: list[NewItem], spec: CampaignSpec, now: float
) -> CampaignRow:
    """Dataset, items and campaign in one transaction: a taken name leaves nothing."""
    try:
        return await store.create_imported(
            NewDataset(spec.name, kind, source[:500]), items, _new_campaign(spec, 0), now
        )
    except DuplicateName:
        raise InvalidInput(texts.CAMPAIGN_EXISTS, name=spec.name) from None


def _new_campaign(spec: CampaignSpec, dataset_id: int) -> NewCampaign:
    return NewCampaign(
        spec.name,
        spec.game,
        dataset_id,
        spec.question,
        spec.options,
        spec.min_overlap,
        spec.max_overlap,
        spec.confidence,
        spec.gold_rate,
        spec.reward_multiplier,
        spec.status,
        spec.community_id,
        spec.created_by,
        dict(spec.settings),
    )


async def create_campaign(
    store: Store, spec: CampaignSpec, dataset_id: int, now: float
) -> CampaignRow:
    try:
        return await store.create_campaign(_new_campaign(spec, dataset_id), now)
    except DuplicateName:
        raise InvalidInput(texts.CAMPAIGN_EXISTS, name=spec.name) from None


def _image_items(
    folder: Path,
    rows: list[LabelRow],
    game: Game,
    spec: CampaignSpec,
    limits: ImageLimits,
    found: int = 0,
) -> tuple[list[NewItem], list[Problem], bool]:
    """Decode the images in order; after `limits.max_problems` problems (counting the
    `found` ones of the CSV) the rest is left undecoded and the import fails (True)."""
    items: list[NewItem] = []
    problems: list[Problem] = []
    budget = PixelBudget(limits.max_total_pixels)
    for row in rows:
        if found + len(problems) >= limits.max_problems:
            most = found + len(problems)
            problems.append(Problem(0, texts.TOO_MANY_PROBLEMS.format(most=most)))
            return items, problems, True
        try:
            data, mime = load_image(folder, row.file or "", limits, budget)
            items.append(_item(row, "image", data, mime, game, spec))
        except OverBudget as exc:
            problems.append(Problem(row.line, str(exc)))
            return items, problems, True
        except ValueError as exc:
            problems.append(Problem(row.line, str(exc)))
        except InvalidInput as exc:
            problems.append(Problem(row.line, exc.message))
    return items, problems, False


def _item(
    row: LabelRow, kind: str, data: bytes | None, mime: str | None, game: Game, spec: CampaignSpec
) -> NewItem:
    """One item, its gold and truth normalised by the game (InvalidInput names the issue).
    An image's size goes into its meta (`width`, `height`: games that mark the image need it)."""
    meta: dict[str, Any] = {}
    if data is not None and kind == "image":
        meta["width"], meta["height"] = image_size(data)
    at = replace(_NO_ITEM, meta=meta)
    candidate = None
    gold = truth = None
    if game.name == "verify":
        if not row.label:
            raise InvalidInput(texts.VERIFY_NEEDS_LABEL)
        candidate = row.label
        if row.gold is not None:
            gold = _answer(game, spec, row.gold, "gold", at)
            if gold == "not_sure":
                raise InvalidInput(texts.GOLD_YES_OR_NO)
    else:
        if row.gold is not None:
            value = row.label if row.gold.lower() in TRUTHY else row.gold
            gold = _answer(game, spec, value, "gold", at)
        elif row.label and not (game.name == "locate" and row.label == UNKNOWN_MARKS):
            truth = _answer(game, spec, row.label, "label", at)
    if row.truth is not None:
        truth = _answer(game, spec, row.truth, "truth", at)
    if gold is not None and truth is None:
        truth = gold
    return NewItem(
        kind=kind,
        source=row.file or f"line-{row.line}",
        text=row.text,
        candidate=candidate,
        gold=gold,
        gold_explanation=row.explanation if gold is not None else None,
        truth=truth,
        meta=meta,
        media=data,
        mime=mime,
    )


def _answer(
    game: Game, spec: CampaignSpec, value: str, column: str, item: ItemRow = _NO_ITEM
) -> str:
    probe = CampaignRow(
        0,
        spec.name,
        spec.game,
        0,
        spec.question,
        spec.options,
        1,
        1,
        0.8,
        0,
        1,
        "draft",
        None,
        "",
        dict(spec.settings),  # typed games normalise by the campaign's settings
        0.0,
    )
    try:
        return game.normalize(probe, item, value)
    except InvalidInput as exc:
        raise InvalidInput(texts.COLUMN_PROBLEM, column=column, message=exc.message) from None
