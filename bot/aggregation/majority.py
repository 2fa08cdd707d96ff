"""Vote-counting aggregators: plain majority vote and Wawa (worker agreement with aggregate)."""

from __future__ import annotations

import logging

import numpy as np

from bot.aggregation.base import (
    Aggregator,
    FloatArray,
    best_codes,
    normalize_rows,
    vote_matrix,
    worker_agreement,
)
from bot.aggregation.table import AnswerTable

log = logging.getLogger(__name__)


class MajorityVote(Aggregator):
    """Majority vote: every answer counts once; P(task = l) = share of the task's votes for l.

    The oldest aggregation rule (plurality voting; e.g. Sheng, Provost & Ipeirotis, "Get
    Another Label?", KDD 2008, as the baseline). `skills_` holds each worker's agreement with
    the result, crowd-kit's definition.
    """

    skills_: dict[str, float]

    def _fit(self, table: AnswerTable) -> FloatArray:
        proba = normalize_rows(vote_matrix(table))
        agreement = worker_agreement(table, best_codes(proba))
        self.skills_ = dict(zip(table.worker_names, agreement.tolist(), strict=True))
        return proba


class Wawa(Aggregator):
    """Wawa, "Worker Agreement With Aggregate", as in crowd-kit (Toloka's Appen-style rule).

    1. Majority vote gives a reference label per task.
    2. Skill of worker w = share of w's answers equal to the reference label.
    3. P(task = l) is proportional to the summed skills of the workers who answered l
       (a task whose voters all have skill 0 falls back to plain vote shares).
    """

    skills_: dict[str, float]

    def _fit(self, table: AnswerTable) -> FloatArray:
        votes = vote_matrix(table)
        skills = worker_agreement(table, best_codes(normalize_rows(votes)))
        weighted = vote_matrix(table, skills[table.worker])
        dead = weighted.sum(axis=1) <= 0
        weighted[dead] = votes[dead]
        self.skills_ = dict(zip(table.worker_names, skills.tolist(), strict=True))
        return np.asarray(normalize_rows(weighted), dtype=np.float64)
