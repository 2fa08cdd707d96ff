"""`AnswerTable`: long-form crowd answers as factorized integer codes.

One row per (task, worker) answer. Every string column is replaced by an ``int64`` code into a
sorted vocabulary (code-point order), so the codes do not depend on row order and the models
work on plain numpy arrays.

Duplicate policy (applied here, so every aggregator and metric sees the same data): every row
is one judgment. A worker who answered the same task twice casts two votes, as in crowd-kit
and in the truth-inference literature the public datasets come from (Zheng et al., PVLDB
2017); repeated judgments are evidence, and in those datasets they are mostly repeated
assignments rather than corrections. `repeated_answers` counts rows beyond a pair's first.
(LabelQuest's own store never produces repeats: answers are unique per item and player.)
"""

from __future__ import annotations

import csv
import io
import itertools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.aggregation.fastcsv import plain_columns

log = logging.getLogger(__name__)

IntArray = npt.NDArray[np.int64]
REQUIRED_COLUMNS = ("worker", "task", "label")
MAX_REPORTED_ERRORS = 20


class MalformedRows(ValueError):
    """Rows of an answers file that cannot be read; `errors` holds one message per bad row."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        shown = self.errors[:MAX_REPORTED_ERRORS]
        more = len(self.errors) - len(shown)
        text = "\n".join(shown) + (f"\n... and {more} more malformed rows" if more > 0 else "")
        super().__init__(text)


def _factorize(values: Sequence[str]) -> tuple[IntArray, tuple[str, ...]]:
    """Codes into the sorted vocabulary of `values`: one C-level dict pass (setdefault maps each
    value to the row of its first appearance), then numpy remaps rows to sorted codes."""
    first_row_of: dict[str, int] = {}
    first = np.fromiter(
        map(first_row_of.setdefault, values, itertools.count()), dtype=np.int64, count=len(values)
    )
    names = list(first_row_of)
    rows = np.fromiter(first_row_of.values(), dtype=np.int64, count=len(names))
    order = sorted(range(len(names)), key=names.__getitem__)
    code_of_row = np.zeros(len(values), dtype=np.int64)
    code_of_row[rows[order]] = np.arange(len(names), dtype=np.int64)
    return code_of_row[first], tuple(names[i] for i in order)


def _by_task_worker(task: IntArray, worker: IntArray) -> tuple[npt.NDArray[np.intp], int]:
    """Row order sorted by (task, worker), stable; and how many rows repeat a pair."""
    key = task * (int(worker.max()) + 1 if worker.size else 1) + worker
    order = np.asarray(np.argsort(key, kind="stable"), dtype=np.intp)
    t, w = task[order], worker[order]
    repeats = int(np.count_nonzero((t[1:] == t[:-1]) & (w[1:] == w[:-1]))) if t.size else 0
    return order, repeats


@dataclass(frozen=True)
class AnswerTable:
    """Answers: parallel code arrays plus the string vocabularies they index.

    Rows are sorted by (task, worker) code, which the EM models rely on for speed."""

    task: IntArray
    worker: IntArray
    label: IntArray
    task_names: tuple[str, ...]
    worker_names: tuple[str, ...]
    label_names: tuple[str, ...]
    repeated_answers: int = field(default=0)

    @property
    def n_answers(self) -> int:
        return int(self.task.shape[0])

    @property
    def n_tasks(self) -> int:
        return len(self.task_names)

    @property
    def n_workers(self) -> int:
        return len(self.worker_names)

    @property
    def n_labels(self) -> int:
        return len(self.label_names)

    @classmethod
    def from_columns(
        cls, tasks: Sequence[str], workers: Sequence[str], labels: Sequence[str]
    ) -> AnswerTable:
        """Build from three equally long string columns (every row kept, see module doc)."""
        if not len(tasks) == len(workers) == len(labels):
            raise ValueError("task, worker and label columns must have the same length")
        task, task_names = _factorize(tasks)
        worker, worker_names = _factorize(workers)
        label, label_names = _factorize(labels)
        order, repeats = _by_task_worker(task, worker)
        task, worker, label = task[order], worker[order], label[order]
        return cls(task, worker, label, task_names, worker_names, label_names, repeats)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str]]) -> AnswerTable:
        """Build from (task, worker, label) string tuples."""
        materialized = list(rows)
        for number, row in enumerate(materialized, start=1):
            if len(row) != 3 or not all(isinstance(v, str) and v for v in row):
                raise MalformedRows([f"row {number}: expected 3 non-empty strings, got {row!r}"])
        if not materialized:
            return cls.from_columns((), (), ())
        tasks, workers, labels = zip(*materialized, strict=True)
        return cls.from_columns(tasks, workers, labels)

    @classmethod
    def from_csv(cls, path: Path) -> AnswerTable:
        """Read a CSV whose header names `worker`, `task` and `label` (any order, extra columns
        ignored). Fully blank lines are skipped. Rows with a wrong field count or an empty
        required field raise `MalformedRows` listing every bad row with its 1-based line."""
        data = path.read_bytes()
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        header_end = data.find(b"\n")
        header_line = (data if header_end < 0 else data[:header_end]).decode("utf-8")
        header = next(csv.reader([header_line.rstrip("\r")]), None) if header_line else None
        positions = _header_positions(path, header)
        n_fields = len(header or ())
        body = b"" if header_end < 0 else data[header_end + 1 :]
        fast = plain_columns(body, n_fields, positions)
        if fast is not None:
            return cls._from_codes(*fast)
        text = data.decode("utf-8")
        columns = _csv_columns(text, n_fields, positions)
        if columns is None:
            raise MalformedRows(_find_bad_rows(path, n_fields, positions))
        return cls.from_columns(*columns)

    @classmethod
    def _from_codes(
        cls,
        task: tuple[IntArray, tuple[str, ...]],
        worker: tuple[IntArray, tuple[str, ...]],
        label: tuple[IntArray, tuple[str, ...]],
    ) -> AnswerTable:
        order, repeats = _by_task_worker(task[0], worker[0])
        return cls(
            task[0][order],
            worker[0][order],
            label[0][order],
            task[1],
            worker[1],
            label[1],
            repeats,
        )

    def counts(self) -> npt.NDArray[np.float64]:
        """Task x label vote counts (one vote per answer row)."""
        flat = np.bincount(
            self.task * self.n_labels + self.label, minlength=self.n_tasks * self.n_labels
        )
        return flat.reshape(self.n_tasks, self.n_labels).astype(np.float64)


def _header_positions(path: Path, header: list[str] | None) -> tuple[int, int, int]:
    """Column positions of task, worker, label; a clear error when one is missing."""
    task, worker, label = _find_columns(path, header, ("task", "worker", "label"))
    return task, worker, label


def _find_columns(path: Path, header: list[str] | None, wanted: Sequence[str]) -> list[int]:
    if header is None:
        raise MalformedRows([f"{path.name} line 1: empty file, expected a header"])
    names = [name.strip().lower() for name in header]
    missing = [col for col in wanted if col not in names]
    if missing:
        raise MalformedRows(
            [f"{path.name} line 1: header lacks column(s) {', '.join(missing)} (got {header})"]
        )
    return [names.index(col) for col in wanted]


def read_gold_csv(path: Path) -> dict[str, str]:
    """{task: label} from a CSV whose header names `task` and `label` (other columns ignored).

    Raises `MalformedRows` (every bad line, 1-based) for a wrong field count, an empty field,
    or a task given two different labels. Fully blank lines are skipped."""
    gold: dict[str, str] = {}
    errors: list[str] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        task_at, label_at = _find_columns(path, header, ("task", "label"))
        n_fields = len(header or ())
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not row:
                continue
            if len(row) != n_fields:
                errors.append(
                    f"{path.name} line {line}: expected {n_fields} fields, got {len(row)}"
                )
            elif not row[task_at] or not row[label_at]:
                errors.append(f"{path.name} line {line}: empty task or label")
            elif gold.setdefault(row[task_at], row[label_at]) != row[label_at]:
                errors.append(f"{path.name} line {line}: task {row[task_at]!r} has two labels")
    if errors:
        raise MalformedRows(errors)
    return gold


Columns = tuple[Sequence[str], Sequence[str], Sequence[str]]


def _csv_columns(text: str, n_fields: int, positions: tuple[int, int, int]) -> Columns | None:
    """The csv-module path (quoted fields, CRLF, blank lines); None when any row is bad."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader, None)
    rows = [row for row in reader if row]
    if any(len(row) != n_fields for row in rows):
        return None
    if not rows:
        return (), (), ()
    columns = list(zip(*rows, strict=True))
    task, worker, label = (columns[p] for p in positions)
    if "" in task or "" in worker or "" in label:
        return None
    return task, worker, label


def _find_bad_rows(path: Path, n_fields: int, positions: tuple[int, int, int]) -> list[str]:
    """Re-read the file tracking physical line numbers (quoted fields may span lines)."""
    errors: list[str] = []
    names = ("task", "worker", "label")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not row:
                continue
            if len(row) != n_fields:
                errors.append(
                    f"{path.name} line {line}: expected {n_fields} fields, got {len(row)}"
                )
                continue
            empty = [name for name, p in zip(names, positions, strict=True) if not row[p]]
            if empty:
                errors.append(f"{path.name} line {line}: empty {', '.join(empty)}")
    return errors
