"""Batch re-aggregation of a campaign's answers with the aggregators of `bot.aggregation`.

What a batch method sees (the same rule for exports, the quality report and the demo): every
stored answer that names a label, gold items' answers included, because they tell the model
who is reliable. Abstentions ("not sure") are left out, as they carry no evidence. The live
quality rules' flags are NOT applied: a batch method is an independent second opinion that
judges workers from the answers alone (Dawid-Skene and its variants learn to discount a
spammer; plain majority vote does not).

Per task the result is the method's label, its posterior confidence, how many answers it
saw and the share of them that agree with the label.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from bot.aggregation import METHODS
from bot.games.base import Game
from storage import AnswerRow, CampaignRow, ItemRow

log = logging.getLogger(__name__)

LIVE = "live"
Row = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class MethodLabel:
    label: str
    confidence: float
    n_answers: int
    agreement: float


def evidence_of(
    game: Game, campaign: CampaignRow, items: Mapping[int, ItemRow]
) -> Callable[[AnswerRow], bool]:
    """Whether an answer names a label (free-text games: every answer does)."""
    cache: dict[int, frozenset[str]] = {}

    def check(a: AnswerRow) -> bool:
        if game.free_text:
            return True
        allowed = cache.get(a.item_id)
        if allowed is None:
            item = items.get(a.item_id)
            allowed = frozenset(game.evidence_options(campaign, item)) if item else frozenset()
            cache[a.item_id] = allowed
        return a.label in allowed

    return check


def method_rows(
    answers: Iterable[AnswerRow], names_label: Callable[[AnswerRow], bool]
) -> list[Row]:
    """(task, worker, label) rows a batch method sees (see the module docstring)."""
    return [(str(a.item_id), str(a.player_id), a.label) for a in answers if names_label(a)]


def fit_method(method: str, rows: list[Row]) -> dict[int, MethodLabel]:
    """Fit one batch aggregator (`bot.aggregation.METHODS` name) on `rows`: {item id: result}.
    CPU-bound: callers on the event loop run it in a thread."""
    cls = METHODS.get(method)
    if cls is None:
        raise ValueError(f"unknown method {method!r} (use {', '.join(METHODS)})")
    if not rows:
        return {}
    model = cls().fit(rows)
    per_task: dict[str, Counter[str]] = {}
    for task, _worker, label in rows:
        per_task.setdefault(task, Counter())[label] += 1
    out: dict[int, MethodLabel] = {}
    labels = model.labels_
    confidence = dict(zip(model.table_.task_names, model.confidence_.tolist(), strict=True))
    for task, label in labels.items():
        votes = per_task[task]
        n = sum(votes.values())
        out[int(task)] = MethodLabel(label, float(confidence[task]), n, votes[label] / n)
    return out


def fit_all(rows: list[Row], methods: Iterable[str] | None = None) -> dict[str, dict[int, str]]:
    """Labels of several batch methods (all of them by default): {method: {item id: label}}."""
    return {m: {k: v.label for k, v in fit_method(m, rows).items()} for m in (methods or METHODS)}
