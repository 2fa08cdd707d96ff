"""Import use cases: a folder of images (or a CSV of texts) plus labels becomes a dataset and
an active campaign. All-or-nothing by default: with any bad line nothing is stored and every
problem is listed with its line number; `skip_bad` stores the good rows and lists the bad.

Labels CSV, per game:
- verify: `label` is the candidate label shown with the image ("Is this a cat?"); `gold`
  (optional) is the known answer, yes or no; `explanation` is shown after a gold answer.
- classify: `label` (optional) is a reference answer kept hidden for accuracy reports; a
  `gold` of 1/true/yes/gold makes the row a gold item whose answer is `label` (or `gold` may
  name the answer directly).
- `truth` (optional, both games) is a hidden reference answer used only for evaluation.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.campaigns import texts
from bot.core.kernel import texts as kernel_texts
from bot.core.kernel.errors import InvalidInput, LabelQuestError
from bot.core.kernel.settings import EngineSettings
from bot.games.base import Game
from bot.games.registry import get_game
from storage import (
    CampaignRow,
    DatasetRow,
    DuplicateName,
    ItemRow,
    LabelRow,
    NewCampaign,
    NewItem,
    Problem,
    Store,
    load_image,
    read_labels_csv,
)

TRUTHY = {"1", "true", "yes", "y", "gold", "x"}
_NO_ITEM = ItemRow(0, 0, "image", "", None, None, None, None, None, {})


class ImportFailed(LabelQuestError):
    """Bad input: nothing was stored. `problems` lists every bad line."""

    key = "import_failed"

    def __init__(self, problems: list[Problem]) -> None:
        lines = "\n".join(f"  {p}" for p in problems[:50])
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
    )


async def import_images(
    store: Store,
    folder: Path,
    labels: Path,
    spec: CampaignSpec,
    *,
    skip_bad: bool = False,
    now: float,
) -> tuple[CampaignRow, list[Problem]]:
    """Images named in `labels` from `folder` -> dataset + campaign. Returns the campaign and
    the problems skipped (empty unless `skip_bad`)."""
    if not await asyncio.to_thread(folder.is_dir):
        raise InvalidInput(texts.NOT_A_FOLDER, folder=folder)
    rows, problems = read_labels_csv(labels)
    items, bad = await asyncio.to_thread(_image_items, folder, rows, get_game(spec.game), spec)
    return await _store(store, "image", str(folder), items, problems + bad, spec, skip_bad, now)


async def import_texts(
    store: Store, labels: Path, spec: CampaignSpec, *, skip_bad: bool = False, now: float
) -> tuple[CampaignRow, list[Problem]]:
    """Texts in the `text` column of `labels` -> dataset + campaign."""
    rows, problems = read_labels_csv(labels, text_items=True)
    game = get_game(spec.game)
    items, bad = [], []
    for row in rows:
        try:
            items.append(_item(row, "text", None, None, game, spec))
        except InvalidInput as exc:
            bad.append(Problem(row.line, exc.message))
    return await _store(store, "text", str(labels), items, problems + bad, spec, skip_bad, now)


async def _store(
    store: Store,
    kind: str,
    source: str,
    items: list[NewItem],
    problems: list[Problem],
    spec: CampaignSpec,
    skip_bad: bool,
    now: float,
) -> tuple[CampaignRow, list[Problem]]:
    problems.sort(key=lambda p: p.line)
    if problems and not skip_bad:
        raise ImportFailed(problems)
    if not items:
        raise ImportFailed(problems or [Problem(0, texts.NOTHING_TO_IMPORT)])
    if await store.get_campaign_by_name(spec.name) is not None:
        raise InvalidInput(texts.CAMPAIGN_EXISTS, name=spec.name)
    dataset = await _dataset(store, spec.name, kind, source, now)
    await store.add_items(dataset.id, items, now)
    return await create_campaign(store, spec, dataset.id, now), problems


async def _dataset(store: Store, name: str, kind: str, source: str, now: float) -> DatasetRow:
    base, n = name, 1
    while True:
        try:
            return await store.create_dataset(name, kind, source, now)
        except DuplicateName:
            n += 1
            name = f"{base} ({n})"


async def create_campaign(
    store: Store, spec: CampaignSpec, dataset_id: int, now: float
) -> CampaignRow:
    try:
        return await store.create_campaign(
            NewCampaign(
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
            ),
            now,
        )
    except DuplicateName as exc:
        raise InvalidInput(str(exc)) from None


def _image_items(
    folder: Path, rows: list[LabelRow], game: Game, spec: CampaignSpec
) -> tuple[list[NewItem], list[Problem]]:
    items, problems = [], []
    for row in rows:
        try:
            data, mime = load_image(folder, row.file or "")
            items.append(_item(row, "image", data, mime, game, spec))
        except ValueError as exc:
            problems.append(Problem(row.line, str(exc)))
        except InvalidInput as exc:
            problems.append(Problem(row.line, exc.message))
    return items, problems


def _item(
    row: LabelRow, kind: str, data: bytes | None, mime: str | None, game: Game, spec: CampaignSpec
) -> NewItem:
    """One item, its gold and truth normalised by the game (InvalidInput names the issue)."""
    candidate = None
    gold = truth = None
    if game.name == "verify":
        if not row.label:
            raise InvalidInput(texts.VERIFY_NEEDS_LABEL)
        candidate = row.label
        if row.gold is not None:
            gold = _answer(game, spec, row.gold, "gold")
            if gold == "not_sure":
                raise InvalidInput(texts.GOLD_YES_OR_NO)
    else:
        if row.gold is not None:
            value = row.label if row.gold.lower() in TRUTHY else row.gold
            gold = _answer(game, spec, value, "gold")
        elif row.label:
            truth = _answer(game, spec, row.label, "label")
    if row.truth is not None:
        truth = _answer(game, spec, row.truth, "truth")
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
        media=data,
        mime=mime,
    )


def _answer(game: Game, spec: CampaignSpec, value: str, column: str) -> str:
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
        {},
        0.0,
    )
    try:
        return game.normalize(probe, _NO_ITEM, value)
    except InvalidInput as exc:
        raise InvalidInput(texts.COLUMN_PROBLEM, column=column, message=exc.message) from None
