"""The uniform aggregator API shared by every batch model (crowd-kit's shape, numpy inside).

`fit(data) -> self`, `fit_predict(data) -> {task: label}`,
`fit_predict_proba(data) -> {task: {label: probability}}`. `data` is an `AnswerTable` or an
iterable of (task, worker, label) string tuples. After `fit`, `proba_matrix_` holds the
(task x label) posterior in the table's code order, and `labels_` / `probas_` expose it by name.

Tie rule: labels whose probability is within `TIE_TOLERANCE` of the task's best are tied, and
the tie goes to the label that sorts first (code-point order of the label strings), so the
result does not depend on row order or floating-point summation order.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Self, TypeAlias

import numpy as np
import numpy.typing as npt

from bot.aggregation.table import AnswerTable

log = logging.getLogger(__name__)

FloatArray: TypeAlias = npt.NDArray[np.float64]
AnswerData: TypeAlias = AnswerTable | Iterable[tuple[str, str, str]]
TIE_TOLERANCE = 1e-9


def as_table(data: AnswerData) -> AnswerTable:
    """Accept an `AnswerTable` as is; build one from (task, worker, label) tuples otherwise."""
    return data if isinstance(data, AnswerTable) else AnswerTable.from_rows(data)


def best_codes(proba: FloatArray) -> npt.NDArray[np.intp]:
    """Per-row argmax under the tie rule (first label within TIE_TOLERANCE of the maximum)."""
    if proba.shape[0] == 0:
        return np.zeros(0, dtype=np.intp)
    top = proba.max(axis=1, keepdims=True)
    return np.asarray(np.argmax(proba >= top - TIE_TOLERANCE, axis=1), dtype=np.intp)


def normalize_rows(scores: FloatArray) -> FloatArray:
    """Rows scaled to sum to 1; an all-zero row becomes uniform."""
    totals = scores.sum(axis=1, keepdims=True)
    width = max(scores.shape[1], 1)
    safe = np.where(totals > 0, totals, 1.0)
    return np.where(totals > 0, scores / safe, 1.0 / width)


def vote_matrix(table: AnswerTable, weights: FloatArray | None = None) -> FloatArray:
    """Task x label sums of per-answer weights (1 per answer when `weights` is None)."""
    flat = np.bincount(
        table.task * table.n_labels + table.label,
        weights=weights,
        minlength=table.n_tasks * table.n_labels,
    )
    return flat.reshape(table.n_tasks, table.n_labels).astype(np.float64)


def worker_agreement(table: AnswerTable, reference: npt.NDArray[np.intp]) -> FloatArray:
    """Per-worker share of answers equal to the reference label of their task."""
    hits = (table.label == reference[table.task]).astype(np.float64)
    agree = np.bincount(table.worker, weights=hits, minlength=table.n_workers)
    total = np.bincount(table.worker, minlength=table.n_workers)
    return np.asarray(agree / np.maximum(total, 1), dtype=np.float64)


class Aggregator(ABC):
    """Base class: subclasses implement `_fit(table) -> task x label posterior`."""

    table_: AnswerTable
    proba_matrix_: FloatArray

    @abstractmethod
    def _fit(self, table: AnswerTable) -> FloatArray:
        """Fit on `table`; return the (n_tasks x n_labels) posterior, rows summing to 1."""

    def fit(self, data: AnswerData) -> Self:
        """Fit the model; results land on the trailing-underscore attributes."""
        table = as_table(data)
        self.table_ = table
        self.proba_matrix_ = self._fit(table)
        return self

    def fit_predict(self, data: AnswerData) -> dict[str, str]:
        """Fit and return the most probable label per task."""
        return self.fit(data).labels_

    def fit_predict_proba(self, data: AnswerData) -> dict[str, dict[str, float]]:
        """Fit and return the label distribution per task."""
        return self.fit(data).probas_

    @property
    def label_codes_(self) -> npt.NDArray[np.intp]:
        """Chosen label code per task code (tie rule applied)."""
        return best_codes(self.proba_matrix_)

    @property
    def confidence_(self) -> FloatArray:
        """Posterior probability of the chosen label, per task code."""
        codes = self.label_codes_
        return np.asarray(self.proba_matrix_[np.arange(codes.shape[0]), codes], dtype=np.float64)

    @property
    def labels_(self) -> dict[str, str]:
        """{task: most probable label}."""
        names = self.table_.label_names
        return {
            task: names[code]
            for task, code in zip(self.table_.task_names, self.label_codes_.tolist(), strict=True)
        }

    @property
    def probas_(self) -> dict[str, dict[str, float]]:
        """{task: {label: probability}} over the table's whole label alphabet."""
        names = self.table_.label_names
        return {
            task: dict(zip(names, row, strict=True))
            for task, row in zip(self.table_.task_names, self.proba_matrix_.tolist(), strict=True)
        }
