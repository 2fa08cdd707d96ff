"""Live aggregation of one item: a reliability-weighted vote with a Bayesian posterior.

Model (Toloka's dynamic overlap, [T2] in docs/quality.md): a player of accuracy q who answers
`a` is right with probability q and otherwise picks one of the other Y-1 options uniformly.
With a uniform prior over the Y options the posterior of option o after votes v is

    P(o) ∝ Π_v [ q_v if label_v = o else (1 - q_v) / (Y - 1) ]

Dividing out the factor common to every option gives the score

    S(o) = Σ_{v: label_v = o} logit(q_v)  +  n_o · log(Y - 1),     P(o) = softmax(S)(o)

so a tally keeps, per label, only `n_o` and `Σ logit(q_v)`: updates are O(1), commutative,
and Y may grow (free-text guesses). Abstentions ("not sure") count toward the overlap but
carry no evidence. q is clamped to [0.01, 0.99] so no single vote is decisive.

Decision: FINALIZED when n >= min_overlap and max P >= threshold; REVIEW when n reaches
max_overlap still below the threshold; OPEN otherwise. (Callers pass the campaign's
max_overlap plus the item's `extra_overlap`, which grows when a moderator sends the item
back from review.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storage import TALLY_FINALIZED, TALLY_OPEN, TALLY_REVIEW

Q_MIN, Q_MAX = 0.01, 0.99
Counts = dict[str, list[float]]


def logit(q: float) -> float:
    q = min(Q_MAX, max(Q_MIN, q))
    return math.log(q / (1.0 - q))


def add_vote(counts: Counts, label: str, q: float, *, evidence: bool) -> None:
    """Record one counted answer in place. Abstentions are kept under their label with no
    evidence so the tally still shows them."""
    entry = counts.setdefault(label, [0.0, 0.0, 0.0])
    if len(entry) < 3:
        entry.append(0.0)
    entry[0] += 1
    if evidence:
        entry[1] += logit(q)
        entry[2] += 1


def posterior(counts: Counts, options: Sequence[str]) -> dict[str, float]:
    """P(option) over `options` ∪ the evidence labels seen (at least two outcomes)."""
    labels = list(dict.fromkeys([*options, *(k for k, v in counts.items() if _ev(v) > 0)]))
    if not labels:
        return {}
    y = max(2, len(labels))
    scores = {}
    for lab in labels:
        entry = counts.get(lab)
        scores[lab] = 0.0 if entry is None else entry[1] + _ev(entry) * math.log(y - 1)
    top = max(scores.values())
    exps = {k: math.exp(s - top) for k, s in scores.items()}
    total = sum(exps.values())
    return {k: v / total for k, v in exps.items()}


def _ev(entry: list[float]) -> float:
    return entry[2] if len(entry) > 2 else 0.0


@dataclass(frozen=True, slots=True)
class Summary:
    label: str | None
    confidence: float | None
    agreement: float | None
    status: str


def summarize(
    counts: Counts,
    options: Sequence[str],
    n_answers: int,
    *,
    min_overlap: int,
    max_overlap: int,
    threshold: float,
) -> Summary:
    """The current label, its posterior confidence, the share of evidence votes that agree,
    and the decision (see module docstring). Ties go to the label seen first in `options`."""
    post = posterior(counts, options)
    evidence_votes = sum(_ev(v) for v in counts.values())
    if not post or evidence_votes == 0:
        status = TALLY_REVIEW if n_answers >= max_overlap else TALLY_OPEN
        return Summary(None, None, None, status)
    label = max(post, key=lambda k: (post[k], -_order(k, options)))
    conf = post[label]
    agree = _ev(counts.get(label, [0, 0, 0])) / evidence_votes
    if n_answers >= min_overlap and conf >= threshold:
        status = TALLY_FINALIZED
    elif n_answers >= max_overlap:
        status = TALLY_REVIEW
    else:
        status = TALLY_OPEN
    return Summary(label, round(conf, 6), round(agree, 6), status)


def _order(label: str, options: Sequence[str]) -> int:
    try:
        return list(options).index(label)
    except ValueError:
        return len(options)


def rebuild(votes: Iterable[tuple[str, float, bool]]) -> tuple[Counts, int]:
    """Counts and n from scratch, from (label, q, is_evidence) of every counted answer."""
    counts: Counts = {}
    n = 0
    for label, q, evidence in votes:
        add_vote(counts, label, q, evidence=evidence)
        n += 1
    return counts, n
