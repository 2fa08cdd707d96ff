"""Dawid-Skene (full confusion matrices) and one-coin Dawid-Skene (one accuracy per worker).

Both are fitted by EM (Dempster, Laird & Rubin 1977) started from majority-vote posteriors,
as in crowd-kit; see `bot.aggregation.em` for the shared E-step.
"""

from __future__ import annotations

import logging

import numpy as np

from bot.aggregation.base import Aggregator, FloatArray, normalize_rows, vote_matrix
from bot.aggregation.em import EMIndex, EMResult, log_normalized, run_em
from bot.aggregation.table import AnswerTable

log = logging.getLogger(__name__)

PROBABILITY_FLOOR = 1e-10


class _EMAggregator(Aggregator):
    """Shared fit: MV initialisation, EM, results on `priors_`, `errors_`, `loglik_history_`."""

    n_iter: int
    tol: float
    priors_: dict[str, float]
    errors_: FloatArray
    loglik_history_: list[float]

    def _m_step(self, counts: FloatArray, posterior: FloatArray) -> tuple[FloatArray, FloatArray]:
        raise NotImplementedError

    stop = "loglik"

    def _fit(self, table: AnswerTable) -> FloatArray:
        initial = normalize_rows(vote_matrix(table))
        result = run_em(
            EMIndex.build(table), initial, self._m_step, self.n_iter, self.tol, stop=self.stop
        )
        self._store(table, result)
        return result.posterior

    def _store(self, table: AnswerTable, result: EMResult) -> None:
        self.priors_ = dict(zip(table.label_names, np.exp(result.log_prior).tolist(), strict=True))
        self.errors_ = np.exp(result.log_confusion)
        self.loglik_history_ = result.loglik_history


class DawidSkene(_EMAggregator):
    """Dawid & Skene, "Maximum Likelihood Estimation of Observer Error-Rates Using the EM
    Algorithm", JRSS C 28(1), 1979.

    Model: z_t ~ Categorical(p); worker w answers l with probability E_w[z_t, l] (a full
    K x K confusion matrix per worker). Fitted exactly as crowd-kit 1.4.2's `DawidSkene()`:

    * start from majority-vote posteriors;
    * M-step: p_k = mean_t P(z_t = k); E_w[k, l] = C_w[k, l] / sum_l' C_w[k, l'], where
      C_w[k, l] is the expected number of w's answers l on tasks whose truth is k, floored at
      1e-10 (maximum likelihood; a worker who never used a label gives it 1e-10);
    * E-step: P(z_t = k) proportional to p_k * prod over t's answers of E_w[k, l];
    * stop with crowd-kit's ELBO rule (see `bot.aggregation.em.run_em`), at most `n_iter`
      rounds. That early stop is part of why it scores what it scores on real data.

    `errors_[w, k, l]` = P(worker w answers l | truth k), codes as in `table_`.
    """

    stop = "crowdkit"

    def __init__(self, n_iter: int = 100, tol: float = 1e-5) -> None:
        self.n_iter = n_iter
        self.tol = tol

    def _m_step(self, counts: FloatArray, posterior: FloatArray) -> tuple[FloatArray, FloatArray]:
        log_prior = _log_mean_prior(posterior)
        floored = np.maximum(counts, PROBABILITY_FLOOR)
        return log_prior, np.log(floored / floored.sum(axis=2, keepdims=True))


class ShrunkDawidSkene(DawidSkene):
    """Dawid-Skene whose confusion matrices are shrunk toward each worker's one-coin matrix:
    LabelQuest's default aggregator.

    Same model, start and stopping rule as `DawidSkene`; the M-step is a MAP estimate with a
    Dirichlet prior on each row of E_w centred on the worker's own one-coin matrix O_w
    (accuracy s_w on the diagonal, (1 - s_w)/(K - 1) elsewhere, with
    s_w = (expected correct + 1) / (answers + 2)) and of total strength `strength`:

        E_w[k, :] proportional to C_w[k, :] + strength * O_w[k, :]

    A worker with few answers therefore behaves like the symmetric one-coin model (Karger, Oh
    & Shah, NIPS 2011), which sparse workers cannot out-fit, while a worker with many answers
    keeps their own asymmetric confusions (the idea of Kim & Ghahramani's hierarchical
    "Bayesian Classifier Combination", AISTATS 2012, with the worker's own accuracy as the
    centre). `strength` = 5 was chosen on the 19 public truth datasets as a whole (mean
    accuracy 0.831 against 0.826 for `DawidSkene`, bench/aggregate.py), never per dataset;
    fitting uses the answers only.
    """

    def __init__(self, strength: float = 5.0, n_iter: int = 100, tol: float = 1e-5) -> None:
        super().__init__(n_iter, tol)
        self.strength = strength

    def _m_step(self, counts: FloatArray, posterior: FloatArray) -> tuple[FloatArray, FloatArray]:
        k = counts.shape[1]
        log_prior = _log_mean_prior(posterior)
        if k < 2:
            return log_prior, np.zeros_like(counts)
        total = counts.sum(axis=(1, 2))
        skill = (np.trace(counts, axis1=1, axis2=2) + 1.0) / (total + 2.0)
        centre = np.exp(one_coin_log_confusion(skill, k))
        shrunk = np.maximum(counts + self.strength * centre, PROBABILITY_FLOOR)
        return log_prior, np.log(shrunk / shrunk.sum(axis=2, keepdims=True))


class OneCoinDawidSkene(_EMAggregator):
    """One-coin (homogeneous) Dawid-Skene: each worker has one accuracy s_w, and a wrong answer
    is uniform over the other K - 1 labels: E_w[k, k] = s_w, E_w[k, l != k] = (1 - s_w)/(K - 1).

    The symmetric model studied by Karger, Oh & Shah, "Iterative Learning for Reliable
    Crowdsourcing Systems", NIPS 2011, and by Zhang, Chen, Zhou & Jordan, "Spectral Methods
    Meet EM", NIPS 2014 (and crowd-kit's `OneCoinDawidSkene`). M-step:
    s_w = (expected correct answers of w + smoothing) / (answers of w + 2 * smoothing), clipped
    to [1e-10, 1 - 1e-10]; p as in `DawidSkene`. `skills_` holds s_w by worker name.
    """

    skills_: dict[str, float]

    def __init__(self, n_iter: int = 100, tol: float = 1e-5, smoothing: float = 0.01) -> None:
        self.n_iter = n_iter
        self.tol = tol
        self.smoothing = smoothing

    def _m_step(self, counts: FloatArray, posterior: FloatArray) -> tuple[FloatArray, FloatArray]:
        k = counts.shape[1]
        correct = np.trace(counts, axis1=1, axis2=2)
        total = counts.sum(axis=(1, 2))
        skill = np.clip(
            (correct + self.smoothing) / (total + 2 * self.smoothing),
            PROBABILITY_FLOOR,
            1 - PROBABILITY_FLOOR,
        )
        log_prior = log_normalized(np.maximum(posterior.sum(axis=0), PROBABILITY_FLOOR))
        return log_prior, one_coin_log_confusion(skill, k)

    def _store(self, table: AnswerTable, result: EMResult) -> None:
        super()._store(table, result)
        k = table.n_labels
        diagonal = self.errors_[:, 0, 0] if k else np.zeros(table.n_workers)
        self.skills_ = dict(zip(table.worker_names, diagonal.tolist(), strict=True))


def one_coin_log_confusion(skill: FloatArray, n_labels: int) -> FloatArray:
    """W x K x K log confusion with `skill` on the diagonal, the rest spread evenly."""
    if n_labels < 2:
        return np.zeros((skill.shape[0], n_labels, n_labels))
    off = (1.0 - skill) / (n_labels - 1)
    eye = np.eye(n_labels, dtype=bool)
    matrix = np.where(eye, skill[:, None, None], off[:, None, None])
    return np.asarray(np.log(matrix), dtype=np.float64)


def _log_mean_prior(posterior: FloatArray) -> FloatArray:
    """log of p_k = mean_t P(z_t = k), floored at 1e-10 (uniform when there are no tasks)."""
    if posterior.shape[0] == 0:
        return np.full(posterior.shape[1], -np.log(max(posterior.shape[1], 1)))
    return np.asarray(np.log(np.maximum(posterior.mean(axis=0), PROBABILITY_FLOOR)))
