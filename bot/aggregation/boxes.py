"""Boxes and points on an image from several players: match, cluster, merge.

The usual practice of crowdsourced object localisation (Papadopoulos et al. 2017, "Training
object class detectors with click supervision", CVPR, and "Extreme clicking for efficient
object annotation", ICCV; Zooniverse's `aggregation-for-caesar` box and point reducers, which
cluster shapes across volunteers and report each cluster's consensus shape; Su, Deng and
Fei-Fei 2012, "Crowdsourcing annotations for visual object detection"):

1. **Match.** Two boxes are the same object when their intersection over union
   (`iou`, Jaccard index of the two rectangles) reaches a threshold (0.5 is the PASCAL VOC /
   COCO convention); two points when their Euclidean distance is within a radius (similarity
   `1 - d / radius`).
2. **Cluster** (`cluster`): greedy, one mark per answer per cluster. Answers are taken in a
   canonical order (sorted by their marks, then weight) so the result does not depend on the
   order they arrived in or on who gave them. For each answer the (mark, cluster) pairs at or
   above the threshold are assigned best-first, one-to-one, against each cluster's current
   merged mark; a mark left over starts a new cluster.
3. **Merge** (`merge`): each cluster's consensus is the reliability-weighted mean of its
   members' coordinates (x, y, w, h for boxes, x, y for points), each member weighted by its
   player's reliability (an accuracy in (0, 1)).

Marks are plain tuples in the image's pixel coordinates, origin top-left: a box is
(x, y, w, h), a point (x, y). This module is pure (no I/O) and knows nothing of games.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Mark = tuple[float, ...]
"""A box (x, y, w, h) or a point (x, y)."""

Similarity = Callable[[Mark, Mark], float]


def iou(a: Mark, b: Mark) -> float:
    """Intersection over union of two boxes (x, y, w, h): 0 for disjoint, 1 for equal."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = ix * iy
    union = aw * ah + bw * bh - inter
    return inter / union if union > 0 else 0.0


def distance(a: Mark, b: Mark) -> float:
    """Euclidean distance between two points (x, y)."""
    return math.hypot(a[0] - b[0], a[1] - b[1])


def point_similarity(radius: float) -> Similarity:
    """`1 - distance / radius` (1 at the same spot, 0 at the radius, negative beyond)."""
    r = max(radius, 1e-9)
    return lambda a, b: 1.0 - distance(a, b) / r


@dataclass(slots=True)
class Cluster:
    """One object: its members as (answer index, mark), their weights, the merged mark."""

    members: list[tuple[int, Mark]] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    merged: Mark = ()

    @property
    def support(self) -> int:
        """How many answers (players) marked this object."""
        return len(self.members)

    def add(self, answer: int, mark: Mark, weight: float) -> None:
        self.members.append((answer, mark))
        self.weights.append(weight)
        self.merged = merge([m for _, m in self.members], self.weights)


def merge(marks: Sequence[Mark], weights: Sequence[float]) -> Mark:
    """The reliability-weighted mean of `marks` coordinate by coordinate (plain mean when
    the weights sum to zero)."""
    total = sum(weights)
    if total <= 0:
        weights, total = [1.0] * len(marks), float(len(marks))
    dims = len(marks[0])
    return tuple(sum(w * m[d] for m, w in zip(marks, weights, strict=True)) / total
                 for d in range(dims))  # fmt: skip


def canonical_order(answers: Sequence[Sequence[Mark]], weights: Sequence[float]) -> list[int]:
    """Answer indices sorted by (marks, weight): the order `cluster` takes them in."""
    return sorted(range(len(answers)), key=lambda i: (sorted(answers[i]), weights[i]))


def cluster(
    answers: Sequence[Sequence[Mark]],
    weights: Sequence[float],
    similarity: Similarity,
    threshold: float,
) -> list[Cluster]:
    """Cluster the marks of all answers (see the module docstring, step 2); each cluster's
    members carry the index of their answer in `answers`. Clusters come out sorted by their
    merged mark."""
    clusters: list[Cluster] = []
    for i in canonical_order(answers, weights):
        marks = sorted(answers[i])
        pairs = sorted(
            ((similarity(m, c.merged), j, k) for j, m in enumerate(marks)
             for k, c in enumerate(clusters)),
            key=lambda p: (-p[0], p[1], p[2]),
        )  # fmt: skip
        used_marks: set[int] = set()
        used_clusters: set[int] = set()
        for sim, j, k in pairs:
            if sim < threshold or j in used_marks or k in used_clusters:
                continue
            used_marks.add(j)
            used_clusters.add(k)
            clusters[k].add(i, marks[j], weights[i])
        for j, m in enumerate(marks):
            if j not in used_marks:
                c = Cluster()
                c.add(i, m, weights[i])
                clusters.append(c)
    return sorted(clusters, key=lambda c: c.merged)


def match_count(
    truth: Sequence[Mark], found: Sequence[Mark], similarity: Similarity, threshold: float
) -> int:
    """How many marks of `truth` are matched one-to-one by marks of `found` at a similarity
    of at least `threshold` (best pairs first: the detection-benchmark matching of PASCAL
    VOC, Everingham et al. 2010)."""
    pairs = sorted(
        ((similarity(t, f), i, j) for i, t in enumerate(truth) for j, f in enumerate(found)),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    used_t: set[int] = set()
    used_f: set[int] = set()
    for sim, i, j in pairs:
        if sim >= threshold and i not in used_t and j not in used_f:
            used_t.add(i)
            used_f.add(j)
    return len(used_t)


def agreement(clusters: Sequence[Cluster], similarity: Similarity) -> float | None:
    """Mean similarity of every member to its cluster's merged mark (boxes: mean IoU;
    points with `point_similarity`: 1 - mean distance / radius); None without members."""
    values = [similarity(m, c.merged) for c in clusters for _, m in c.members]
    return sum(values) / len(values) if values else None
