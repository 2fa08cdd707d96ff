"""Vectorised EM machinery shared by the Dawid-Skene family (numpy only).

The latent-class model of Dawid & Skene (1979): task t has a hidden true label z_t drawn from
class priors p; worker w answering t reports l with probability E_w[z_t, l]. Every model of
the family differs only in its M-step (how `E_w` and `p` are estimated from expected counts),
so the E-step, expected counts and log-likelihood live here, computed as weighted
`np.bincount`s over the answers' task and (worker, label) codes: O(answers x labels) per
iteration and no Python loop over rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.aggregation.base import FloatArray
from bot.aggregation.table import AnswerTable

log = logging.getLogger(__name__)

IntpArray = npt.NDArray[np.intp]
POSTERIOR_DECIMALS = 12
CROWDKIT_EPS = 1e-10  # crowd-kit 1.4.2 floors probabilities at 10**-10
# (expected counts W x K_true x K_obs, posterior T x K) -> (log priors K, log confusions W x K x K)
MStep = Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]


@dataclass(frozen=True)
class EMIndex:
    """The answers as two code arrays, so both EM sums are weighted `np.bincount`s."""

    n_tasks: int
    n_workers: int
    n_labels: int
    pair_of_answer: IntpArray  # (worker, label) pair code of each answer: worker * K + label
    task_of_answer: IntpArray  # task code of each answer (table order)

    @classmethod
    def build(cls, table: AnswerTable) -> EMIndex:
        k = table.n_labels
        return cls(
            n_tasks=table.n_tasks,
            n_workers=table.n_workers,
            n_labels=k,
            pair_of_answer=(table.worker * k + table.label).astype(np.intp),
            task_of_answer=table.task.astype(np.intp),
        )

    def expected_counts(self, posterior: FloatArray) -> FloatArray:
        """C[w, k, l] = sum over w's answers l of P(z_t = k): soft confusion counts.

        One weighted bincount per true label k over the answers' (worker, label) pair codes:
        a single pass in table order, no gather of a rows x K block (7x faster than a sorted
        segment sum on 1M answers)."""
        k, size = self.n_labels, self.n_workers * self.n_labels
        by_label = np.ascontiguousarray(posterior.T)  # K x T: each gather reads one row
        flat = np.empty((size, k))
        for true in range(k):
            weights = by_label[true][self.task_of_answer]
            flat[:, true] = np.bincount(self.pair_of_answer, weights=weights, minlength=size)
        # flat rows are (worker, observed) pairs, columns true labels -> W x true x observed
        return np.ascontiguousarray(flat.reshape(self.n_workers, k, k).transpose(0, 2, 1))

    def answer_sums(self, log_confusion: FloatArray) -> FloatArray:
        """T x K: sum over t's answers l of log E_w[k, l] (zero for a task without answers),
        one weighted bincount per label k over the answers' task codes."""
        k = self.n_labels
        # row k holds log E_w[k, l] at index w * K + l, the pair code of an answer
        by_label = np.ascontiguousarray(
            log_confusion.transpose(1, 0, 2).reshape(k, self.n_workers * k)
        )
        out = np.empty((self.n_tasks, k))
        for true in range(k):
            weights = by_label[true][self.pair_of_answer]
            out[:, true] = np.bincount(
                self.task_of_answer, weights=weights, minlength=self.n_tasks
            )
        return out


def posterior_from_joint(joint: FloatArray) -> tuple[FloatArray, float]:
    """Row-normalised exp(joint) and the total log-likelihood (sum of row log-sum-exps)."""
    top = joint.max(axis=1, keepdims=True) if joint.size else np.zeros((0, 1))
    scaled = np.exp(joint - top)
    totals = scaled.sum(axis=1, keepdims=True)
    loglik = float(np.sum(np.log(totals) + top)) if joint.size else 0.0
    return scaled / totals, loglik


@dataclass
class EMResult:
    posterior: FloatArray
    log_prior: FloatArray
    log_confusion: FloatArray
    loglik_history: list[float]


def run_em(
    index: EMIndex,
    initial: FloatArray,
    m_step: MStep,
    n_iter: int,
    tol: float,
    *,
    stop: str = "loglik",
) -> EMResult:
    """EM from an initial posterior: M-step, then alternate E-step and M-step.

    Stopping rules (`stop`):

    * ``"loglik"``: until the log-likelihood per answer changes by less than `tol`.
    * ``"crowdkit"``: crowd-kit's rule for its DawidSkene. After each E/M round it computes
      the evidence lower bound per answer, E_q[log p(z) + log p(answers | z)] + H(q), but with
      the log class prior counted once per *answer* rather than once per task, and it stops at
      the first round whose gain is below `tol` (a drop included). Because of that extra prior
      weight the figure can fall early, so EM often stops after two or three rounds on sparse
      data: in effect early-stopped EM, which regularises. On the 19 public truth datasets it
      scores a mean accuracy of 0.826 against 0.820 for EM run to convergence
      (bench/aggregate.py), so LabelQuest keeps the rule on purpose.

    Either way at most `n_iter` rounds run.
    """
    posterior = initial
    n_answers = max(int(index.pair_of_answer.size), 1)
    per_task = np.bincount(index.task_of_answer, minlength=index.n_tasks).astype(np.float64)
    history: list[float] = []
    log_prior, log_confusion = m_step(index.expected_counts(posterior), posterior)
    sums = index.answer_sums(log_confusion)
    last = -np.inf
    for _ in range(n_iter):
        posterior, loglik = posterior_from_joint(sums + log_prior[None, :])
        # Summation order follows the id codes, so renaming ids perturbs the last bits; EM
        # would amplify that into a broken tie between symmetric labels. Rounding each E-step
        # wipes such noise out while it is still ~1e-16.
        posterior = np.round(posterior, POSTERIOR_DECIMALS)
        log_prior, log_confusion = m_step(index.expected_counts(posterior), posterior)
        sums = index.answer_sums(log_confusion)
        if stop == "crowdkit":
            value = _crowdkit_bound(posterior, log_prior, sums, per_task)
            history.append(value / n_answers)
            if history[-1] - last < tol:
                break
            last = history[-1]
        else:
            history.append(loglik / n_answers)
            if len(history) > 1 and abs(history[-1] - history[-2]) < tol:
                break
    log.debug("EM stopped after %d iterations", len(history))
    return EMResult(posterior, log_prior, log_confusion, history)


def _crowdkit_bound(
    posterior: FloatArray,
    log_prior: FloatArray,
    answer_sums: FloatArray,
    answers_per_task: FloatArray,
) -> float:
    """crowd-kit's DawidSkene ELBO (see `run_em`): prior weighted by answers per task."""
    joint = answer_sums + answers_per_task[:, None] * log_prior[None, :]
    clipped = np.maximum(posterior, CROWDKIT_EPS)
    entropy = -float(np.sum(clipped * np.log(clipped)))
    return float(np.sum(posterior * joint)) + entropy


def log_normalized(counts: FloatArray, axis: int = -1) -> FloatArray:
    """log(counts / counts.sum(axis)), with zeros floored so logs stay finite."""
    totals = counts.sum(axis=axis, keepdims=True)
    width = counts.shape[axis] if counts.ndim else 1
    probs = np.where(totals > 0, counts / np.where(totals > 0, totals, 1.0), 1.0 / max(width, 1))
    return np.asarray(np.log(np.maximum(probs, 1e-300)), dtype=np.float64)
