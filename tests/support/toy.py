"""Toy answer sets with known correct labels, shared by the aggregation tests."""

from __future__ import annotations

import random

Rows = list[tuple[str, str, str]]  # (task, worker, label)


def clear_majority() -> tuple[Rows, dict[str, str]]:
    """Six tasks, five workers; every task has a clear (>= 4 of 5) majority for the truth."""
    truth = {"t1": "cat", "t2": "dog", "t3": "cat", "t4": "bird", "t5": "dog", "t6": "bird"}
    wrong = {"cat": "dog", "dog": "bird", "bird": "cat"}
    rows: Rows = []
    for i, (task, label) in enumerate(truth.items()):
        for j, worker in enumerate(["ann", "bob", "cy", "dee", "eve"]):
            # each worker errs once, never two workers on the same task
            answer = wrong[label] if j == i % 5 and i < 5 else label
            rows.append((task, worker, answer))
    return rows, truth


def experts_and_noise(n_tasks: int = 48, seed: int = 3) -> tuple[Rows, dict[str, str]]:
    """Two experts who are always right and three noisy workers who are each right on half the
    tasks, cycling through every right/wrong pattern: on 1 task in 8 all three noisy workers
    are wrong and outvote the experts. Majority vote gets those wrong; models that learn
    per-worker reliability recover them."""
    rng = random.Random(seed)
    truth = {f"task{i:03d}": rng.choice("ab") for i in range(n_tasks)}
    rows: Rows = []
    for i, (task, label) in enumerate(truth.items()):
        other = "b" if label == "a" else "a"
        rows += [(task, "expert1", label), (task, "expert2", label)]
        rows += [(task, f"noisy{k}", label if (i % 8) >> k & 1 else other) for k in range(3)]
    return rows, truth


def synthetic(
    n_tasks: int,
    accuracies: list[float],
    labels: str = "abc",
    overlap: int = 5,
    seed: int = 0,
) -> tuple[Rows, dict[str, str]]:
    """Random tasks; each gets `overlap` distinct workers; a worker is right with its accuracy,
    otherwise answers a uniformly chosen wrong label."""
    rng = random.Random(seed)
    truth = {f"t{i}": rng.choice(labels) for i in range(n_tasks)}
    rows: Rows = []
    workers = list(range(len(accuracies)))
    for task, label in truth.items():
        for w in rng.sample(workers, min(overlap, len(workers))):
            if rng.random() < accuracies[w]:
                answer = label
            else:
                answer = rng.choice([x for x in labels if x != label])
            rows.append((task, f"w{w}", answer))
    return rows, truth


def accuracy_of(labels: dict[str, str], truth: dict[str, str]) -> float:
    return sum(labels.get(task) == label for task, label in truth.items()) / len(truth)
