"""A generated pairwise-comparison set with known true scores (tests, bench, demo).

Items `i00`..: true scores evenly spread over [-`spread`/2, `spread`/2]; each worker has an
accuracy (the chance to answer by the Bradley-Terry model rather than at random): most
workers are good (0.8..1.0), `spammers` answer at random. Pairs are drawn uniformly (never an
item with itself); each answer is (worker, left, right, winner). Deterministic per `seed`
(`random.Random`), so its rows can be recorded once and replayed (crowd-kit literals).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ToyPairs:
    truth: dict[str, float]
    rows: list[tuple[str, str, str, str]]


def generate(
    seed: int = 17,
    n_items: int = 10,
    n_workers: int = 12,
    n_answers: int = 600,
    spread: float = 6.0,
    spammers: int = 2,
) -> ToyPairs:
    rng = random.Random(seed)
    names = [f"i{i:02d}" for i in range(n_items)]
    truth = {n: spread * (i / max(n_items - 1, 1) - 0.5) for i, n in enumerate(names)}
    skill = {f"w{k:02d}": 0.0 if k < spammers else rng.uniform(0.8, 1.0) for k in range(n_workers)}
    workers = sorted(skill)
    rows: list[tuple[str, str, str, str]] = []
    for _ in range(n_answers):
        left, right = rng.sample(names, 2)
        worker = rng.choice(workers)
        p_left = 1.0 / (1.0 + math.exp(truth[right] - truth[left]))
        if rng.random() >= skill[worker]:
            p_left = 0.5
        rows.append((worker, left, right, left if rng.random() < p_left else right))
    return ToyPairs(truth, rows)
