"""Agreement and accuracy metrics over long-form answers."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from bot.aggregation.base import AnswerData, as_table

log = logging.getLogger(__name__)


def krippendorff_alpha_nominal(data: AnswerData) -> float:
    """Krippendorff's alpha for nominal data, tasks as units and workers as coders.

    Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011 (Annenberg School for
    Communication, University of Pennsylvania). Only units with at least two answers are
    pairable. With m_u answers in unit u and n_uc of them equal to c, the coincidences are
    o_ck = sum_u n_uc (n_uk - [c == k]) / (m_u - 1), n_c = sum_k o_ck and n = sum_c n_c;

        alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k

    1 is perfect agreement, 0 is chance level. NaN when it is undefined: fewer than two
    pairable values, or every pairable value the same (no variation to explain).
    The duplicate policy of `AnswerTable` applies (one answer per worker per task).
    """
    table = as_table(data)
    votes = table.counts()
    per_unit = votes.sum(axis=1)
    pairable = per_unit >= 2
    votes, per_unit = votes[pairable], per_unit[pairable]
    totals = votes.sum(axis=0)
    n = float(totals.sum())
    expected = n * n - float(np.square(totals).sum())
    if n < 2 or expected <= 0:
        return math.nan
    observed = float(np.sum((per_unit**2 - np.square(votes).sum(axis=1)) / (per_unit - 1)))
    return 1.0 - (n - 1.0) * observed / expected


@dataclass(frozen=True)
class Accuracy:
    """Agreement of predicted labels with gold: `correct` of `scored` gold tasks that have a
    prediction; `missing` gold tasks had none (they are not counted as wrong)."""

    correct: int
    scored: int
    missing: int

    @property
    def value(self) -> float:
        return self.correct / self.scored if self.scored else math.nan


def accuracy(predicted: Mapping[str, str], gold: Mapping[str, str]) -> Accuracy:
    """Share of gold tasks whose predicted label equals the gold label (exact string match)."""
    correct = scored = missing = 0
    for task, truth in gold.items():
        guess = predicted.get(task)
        if guess is None:
            missing += 1
            continue
        scored += 1
        correct += guess == truth
    return Accuracy(correct, scored, missing)
