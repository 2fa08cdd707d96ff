"""Bradley-Terry rankings from pairwise comparisons, with a per-worker noise term (NoisyBT).

Data: one row per answer, `(worker, left, right, label)` in crowd-kit's column order, where
`label` names the item the worker preferred (`left` or `right`); abstentions ("can't tell")
are not rows (callers drop them).

**Bradley-Terry** (Bradley & Terry 1952, "Rank analysis of incomplete block designs: I. The
method of paired comparisons", Biometrika 39(3/4): 324-345): each item i has a strength
exp(s_i) and P(i beats j) = exp(s_i) / (exp(s_i) + exp(s_j)) = sigmoid(s_i - s_j). The scores
are the maximum of the likelihood, found by the MM iteration of Zermelo (1929) and Hunter
(2004, "MM algorithms for generalized Bradley-Terry models", Ann. Statist. 32(1)):
`g_i <- W_i / sum_j n_ij / (g_i + g_j)`, iterated until no log-strength moves by `tol`. It
is **regularised** with a virtual opponent: every item plays `regularization`
pseudo-wins and as many pseudo-losses against a virtual item of strength 1, so an item that
won (or lost) every comparison still gets a finite score and the fit is unique when the
comparison graph is not strongly connected.

**NoisyBT** (after Bugakova, Fedorova, Gusev & Drutsa 2019, "Aggregation of pairwise
comparisons with reduction of biases", arXiv:1906.03711; crowd-kit's `NoisyBradleyTerry`,
without its per-worker left/right bias): worker k answers by the model with probability
gamma_k and at random (each side 1/2) otherwise:
P(k says i over j) = gamma_k sigmoid(s_i - s_j) + (1 - gamma_k) / 2. Fitted by EM
(Dempster, Laird & Rubin 1977): the E-step gives each answer's posterior of being genuine,
r = gamma_k sigmoid / (gamma_k sigmoid + (1 - gamma_k) / 2); the M-step sets
gamma_k = (sum r + PRIOR_GENUINE) / (n_k + PRIOR_GENUINE + PRIOR_RANDOM) (a Beta prior
that keeps a worker with few answers near 0.8) and refits the scores by MM with the answers
weighted by r. Random answers thus count less, and a worker who answers at random counts
almost nothing.

Results: `scores_` (item -> log-strength, mean 0 over every item fitted), `ranks_`
(item -> 1 for the best; equal scores keep the order of the item names),
`comparisons_` (item -> answers it was part of), `reliability_` (worker -> gamma_k; 1.0
for every worker without the noise term).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Self

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
PRIOR_GENUINE, PRIOR_RANDOM = 4.0, 1.0


class BradleyTerry:
    """Plain Bradley-Terry by regularised MM (module docstring); every answer weighs 1."""

    noise = False

    def __init__(self, n_iter: int = 500, tol: float = 1e-9, regularization: float = 0.1) -> None:
        self.n_iter = n_iter
        self.tol = tol
        self.regularization = regularization
        self.scores_: dict[str, float] = {}
        self.ranks_: dict[str, int] = {}
        self.comparisons_: dict[str, int] = {}
        self.reliability_: dict[str, float] = {}

    def fit(self, data: Iterable[tuple[str, str, str, str]], items: Sequence[str] = ()) -> Self:
        """Fit on (worker, left, right, label) rows; `items` adds items never compared
        (score 0, ranked by the tie rule among equals)."""
        rows = [(str(w), str(a), str(b), str(lab)) for w, a, b, lab in data]
        bad = [r for r in rows if r[3] not in (r[1], r[2]) or r[1] == r[2]]
        if bad:
            raise ValueError(f"label must name the left or the right item: {bad[0]!r}")
        names = sorted({x for r in rows for x in r[1:3]} | set(items))
        workers = sorted({r[0] for r in rows})
        index = {n: i for i, n in enumerate(names)}
        windex = {w: i for i, w in enumerate(workers)}
        winner = np.array([index[r[3]] for r in rows], dtype=np.intp)
        loser = np.array([index[r[2] if r[3] == r[1] else r[1]] for r in rows], dtype=np.intp)
        worker = np.array([windex[r[0]] for r in rows], dtype=np.intp)
        scores, gamma = self._fit(len(names), winner, loser, worker, len(workers))
        self.scores_ = {n: float(scores[i]) for i, n in enumerate(names)}
        self.reliability_ = {w: float(gamma[i]) for i, w in enumerate(workers)}
        counts = np.bincount(np.concatenate([winner, loser]), minlength=len(names))
        self.comparisons_ = {n: int(counts[i]) for i, n in enumerate(names)}
        self.ranks_ = rank(self.scores_)
        return self

    def fit_predict(
        self, data: Iterable[tuple[str, str, str, str]], items: Sequence[str] = ()
    ) -> dict[str, float]:
        return self.fit(data, items).scores_

    def _fit(
        self, n: int, winner: IntArray, loser: IntArray, worker: IntArray, n_workers: int
    ) -> tuple[FloatArray, FloatArray]:
        gamma = np.ones(n_workers)
        weight = np.ones(len(winner))
        strength = np.ones(n)
        for _ in range(self.n_iter):
            if self.noise:
                gamma, weight = self._e_step(strength, gamma, winner, loser, worker)
            new = self._mm(strength, weight, winner, loser)
            change = float(np.max(np.abs(np.log(new) - np.log(strength)))) if n else 0.0
            strength = new
            if change < self.tol:
                break
        log_s = np.log(strength) if n else np.zeros(0)
        return log_s - (log_s.mean() if n else 0.0), gamma

    def _mm(
        self, strength: FloatArray, weight: FloatArray, winner: IntArray, loser: IntArray
    ) -> FloatArray:
        """Several MM steps on the weighted answers, against the virtual opponent too."""
        n, alpha = len(strength), self.regularization
        wins = np.bincount(winner, weights=weight, minlength=n) + alpha
        for _ in range(10):
            per = weight / (strength[winner] + strength[loser])
            denom: FloatArray = np.bincount(winner, weights=per, minlength=n).astype(float)
            denom = denom + np.bincount(loser, weights=per, minlength=n)
            denom = denom + 2 * alpha / (strength + 1.0)
            strength = wins / denom
        return strength

    def _e_step(
        self,
        strength: FloatArray,
        gamma: FloatArray,
        winner: IntArray,
        loser: IntArray,
        worker: IntArray,
    ) -> tuple[FloatArray, FloatArray]:
        """Posterior that each answer is genuine; then each worker's gamma (Beta prior)."""
        p = strength[winner] / (strength[winner] + strength[loser])
        genuine = gamma[worker] * p
        r = genuine / (genuine + (1.0 - gamma[worker]) / 2.0)
        total = np.bincount(worker, weights=r, minlength=len(gamma))
        count = np.bincount(worker, minlength=len(gamma))
        gamma = (total + PRIOR_GENUINE) / (count + PRIOR_GENUINE + PRIOR_RANDOM)
        return gamma, r


class NoisyBT(BradleyTerry):
    """Bradley-Terry with each worker's probability of answering at random (module
    docstring), fitted by EM; `reliability_` holds each worker's gamma."""

    noise = True


def rank(scores: dict[str, float]) -> dict[str, int]:
    """1 for the highest score; equal scores keep the order of the names."""
    order = sorted(scores, key=lambda n: (-scores[n], n))
    return {n: i + 1 for i, n in enumerate(order)}


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rank correlation of two equally long sequences (average ranks for ties);
    1.0 when either is constant and both are equal, 0.0 when only one is constant."""
    if len(a) != len(b):
        raise ValueError("spearman needs two sequences of the same length")
    ra, rb = _average_ranks(np.asarray(a, float)), _average_ranks(np.asarray(b, float))
    sa, sb = ra.std(), rb.std()
    if sa == 0 or sb == 0:
        return 1.0 if np.array_equal(ra, rb) else 0.0
    return float(np.mean((ra - ra.mean()) * (rb - rb.mean())) / (sa * sb))


def _average_ranks(x: FloatArray) -> FloatArray:
    order = np.argsort(x, kind="mergesort")
    ranks = np.empty(len(x))
    ranks[order] = np.arange(len(x), dtype=float)
    for value in np.unique(x):
        tied = x == value
        ranks[tied] = ranks[tied].mean()
    return ranks
