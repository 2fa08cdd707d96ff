"""A generated multi-label answer set with known truth (tests, bench, crowd-kit comparison).

Items have a true attribute set (each attribute present with probability `density`, at
least... nothing forced: an empty set is "none"). Workers have one accuracy per attribute,
drawn uniformly from [`low`, `high`]: for each attribute a worker reports the truth with that
probability and flips it otherwise. Each item is answered by `overlap` distinct workers.
Everything comes from `random.Random(seed)`, so a seed names one data set exactly.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

NONE = "none"


@dataclass(frozen=True, slots=True)
class MultilabelSet:
    attributes: tuple[str, ...]
    truth: dict[str, frozenset[str]]
    rows: list[tuple[str, str, str]]  # (task, worker, label) with label `a|b` or `none`


def as_label(attributes: Sequence[str], chosen: frozenset[str]) -> str:
    return "|".join(a for a in attributes if a in chosen) or NONE


def generate(
    seed: int = 17,
    *,
    n_tasks: int = 200,
    attributes: Sequence[str] = ("red", "green", "blue", "yellow", "purple"),
    n_workers: int = 15,
    overlap: int = 5,
    density: float = 0.35,
    low: float = 0.55,
    high: float = 0.95,
) -> MultilabelSet:
    rng = random.Random(seed)
    attrs = tuple(attributes)
    skill = {f"w{w:02d}": {a: rng.uniform(low, high) for a in attrs} for w in range(n_workers)}
    workers = sorted(skill)
    truth: dict[str, frozenset[str]] = {}
    rows: list[tuple[str, str, str]] = []
    for t in range(n_tasks):
        task = f"t{t:04d}"
        true = frozenset(a for a in attrs if rng.random() < density)
        truth[task] = true
        for worker in rng.sample(workers, overlap):
            said = frozenset(a for a in attrs if (a in true) == (rng.random() < skill[worker][a]))
            rows.append((task, worker, as_label(attrs, said)))
    return MultilabelSet(attrs, truth, rows)


def scores(
    attributes: Sequence[str],
    truth: dict[str, frozenset[str]],
    predicted: dict[str, frozenset[str]],
) -> dict[str, float]:
    """Per-attribute accuracy (mean over task x attribute decisions), micro-averaged F1 of
    the present attributes, and the exact-match share, in percent, over the truth's tasks."""
    tp = fp = fn = right = exact = 0
    for task, true in truth.items():
        got = predicted.get(task, frozenset())
        exact += got == true
        for a in attributes:
            right += (a in got) == (a in true)
            tp += a in got and a in true
            fp += a in got and a not in true
            fn += a not in got and a in true
    n = max(1, len(truth))
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return {
        "attribute_accuracy": 100.0 * right / (n * max(1, len(attributes))),
        "micro_f1": 100.0 * f1,
        "exact_match": 100.0 * exact / n,
    }
