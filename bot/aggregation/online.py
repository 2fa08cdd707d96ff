"""Online (live) quality rules, run by the engine on every answer. Pure functions, no I/O.

Vocabulary as in docs/quality.md (Toloka's dynamic overlap, [T2]):

* worker accuracy q: the Beta-posterior mean of a worker's gold record
  (`beta_reliability`; Toloka's smoothing K gives `q = (K + correct) / (2K + total)`);
* posterior over an item's options from skill-weighted votes (`weighted_posterior`);
* the stop rule between `min_overlap` and `max_overlap` answers (`decide`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)

# A vote's accuracy is kept inside this range: q = 1 would make one vote final forever and
# q = 0 would make every other option certain.
Q_MIN = 0.001
Q_MAX = 0.999


def beta_reliability(correct: int, total: int, prior_correct: float, prior_wrong: float) -> float:
    """Posterior mean accuracy under a Beta(prior_correct, prior_wrong) prior:
    `(prior_correct + correct) / (prior_correct + prior_wrong + total)`.

    With both priors = K this is Toloka's smoothed skill `(K + correct) / (2K + total)`.
    """
    if total < 0 or not 0 <= correct <= total:
        raise ValueError(f"need 0 <= correct <= total, got correct={correct}, total={total}")
    if prior_correct <= 0 or prior_wrong <= 0:
        raise ValueError(
            f"Beta prior parameters must be > 0, got {prior_correct} and {prior_wrong}"
        )
    return (prior_correct + correct) / (prior_correct + prior_wrong + total)


def worker_accuracy(correct: int, total: int, smoothing: float = 0.5) -> float:
    """Toloka's worker accuracy `q = (K + correct) / (2K + total)` with K = `smoothing`."""
    return beta_reliability(correct, total, smoothing, smoothing)


def clamp_accuracy(q: float) -> float:
    """q kept inside [Q_MIN, Q_MAX] (NaN counts as a coin flip, 0.5)."""
    if math.isnan(q):
        return 0.5
    return min(max(q, Q_MIN), Q_MAX)


def weighted_posterior(
    votes: Sequence[tuple[str, float]], options: Sequence[str]
) -> dict[str, float]:
    """Toloka's dynamic-overlap posterior over an item's options.

    Each vote is (label, q). Uniform prior over the Y options; a vote for option a multiplies
    a by q and every other option by (1 - q) / (Y - 1); the result is normalised:

        P(a) proportional to prod over votes v of (q_v if label_v == a else (1 - q_v)/(Y - 1))

    The option set is `options` plus any voted label not among them (free-text guesses), in
    that order. Y is the size of that set but at least 2: with a single known label, an
    implicit "something else" option takes the remaining mass, so the returned values then sum
    to less than 1. q is clamped to [Q_MIN, Q_MAX]. No options and no votes gives {}.
    """
    names = list(dict.fromkeys([*options, *(label for label, _ in votes)]))
    if not names:
        return {}
    y = max(len(names), 2)
    position = {name: i for i, name in enumerate(names)}
    # log-space so that long vote lists cannot underflow
    scores = [0.0] * y
    for label, q in votes:
        q = clamp_accuracy(q)
        wrong = math.log((1.0 - q) / (y - 1))
        right = math.log(q)
        for i in range(y):
            scores[i] += wrong
        scores[position[label]] += right - wrong
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    total = sum(weights)
    return {name: weights[i] / total for i, name in enumerate(names)}


class Decision(StrEnum):
    """What the stop rule says about an item after its latest answer."""

    OPEN = "open"  # keep collecting answers
    FINALIZED = "finalized"  # confident enough: retire with the leading label
    REVIEW = "review"  # max overlap reached without confidence: flag "contested"


def decide(
    n_answers: int,
    posterior: dict[str, float],
    min_overlap: int,
    max_overlap: int,
    threshold: float,
) -> Decision:
    """The dynamic-overlap stop rule.

    * FINALIZED when n_answers >= min_overlap and max(posterior) >= threshold (this includes
      n_answers >= max_overlap with a confident posterior);
    * REVIEW when n_answers >= max_overlap and max(posterior) < threshold;
    * OPEN otherwise (fewer than min_overlap answers, or not yet confident).
    """
    if min_overlap < 1 or max_overlap < min_overlap:
        raise ValueError(
            f"need 1 <= min_overlap <= max_overlap, got min_overlap={min_overlap}, "
            f"max_overlap={max_overlap}"
        )
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    best = max(posterior.values(), default=0.0)
    if n_answers >= min_overlap and best >= threshold:
        return Decision.FINALIZED
    if n_answers >= max_overlap:
        return Decision.REVIEW
    return Decision.OPEN


@dataclass(frozen=True)
class OnlineTally:
    """Per-item running state: the votes so far. Immutable; `add` returns a new tally.

    `counts` are raw votes per label, `evidence` the summed accuracy q per label (Toloka's
    "candidate answer" is the label with the largest summed q).
    """

    votes: tuple[tuple[str, float], ...] = ()

    def add(self, label: str, q: float) -> OnlineTally:
        return OnlineTally((*self.votes, (label, clamp_accuracy(q))))

    @property
    def n_answers(self) -> int:
        return len(self.votes)

    @property
    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for label, _ in self.votes:
            result[label] = result.get(label, 0) + 1
        return result

    @property
    def evidence(self) -> dict[str, float]:
        result: dict[str, float] = {}
        for label, q in self.votes:
            result[label] = result.get(label, 0.0) + q
        return result

    def candidate(self) -> str | None:
        """Label with the largest summed q; ties go to the label voted first."""
        evidence = self.evidence
        return max(evidence, key=evidence.__getitem__) if evidence else None

    def posterior(self, options: Sequence[str]) -> dict[str, float]:
        return weighted_posterior(self.votes, options)

    def decide(
        self, options: Sequence[str], min_overlap: int, max_overlap: int, threshold: float
    ) -> Decision:
        return decide(self.n_answers, self.posterior(options), min_overlap, max_overlap, threshold)
