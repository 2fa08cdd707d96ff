"""Binary relevance: a multi-label answer aggregated one attribute at a time.

Model (Tsoumakas & Katakis, "Multi-Label Classification: An Overview", IJDWM 3(3), 2007; in
crowdsourcing as crowd-kit 1.4.2's `BinaryRelevance(DawidSkene())`): every answer is a set of
attributes; for each attribute `a` seen in any answer, each (task, worker) answer becomes a
binary judgment `1` (the set has `a`) or `0` (it has not), and an independent base aggregator
(by default the project's Dawid-Skene, `bot.aggregation.dawid_skene.DawidSkene`: one 2 x 2
confusion matrix per worker and attribute) decides `a` for every task. A task's label is the
set of attributes decided `1`. Attributes nobody picked are decided absent; "none of these"
is the empty set.

Input: long-form (task, worker, label) rows whose label is the multilabel game's stored form
(`red|blue`, or `none`: `bot.games.multilabel`). Results, crowd-kit style: `labels_`
{task: label string}, `sets_` {task: frozenset of attributes}, `probas_` {task: {attribute:
P(present)}}, `aggregators_` {attribute: fitted base aggregator}. Ties within an attribute go
to `0` (absent), as the base aggregators' tie rule (code-point order) and crowd-kit's
`idxmax` both give.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Self

from bot.aggregation.base import Aggregator
from bot.aggregation.dawid_skene import DawidSkene

SEPARATOR = "|"
NONE = "none"
PRESENT, ABSENT = "1", "0"


def parse_set(label: str) -> frozenset[str]:
    """The attributes of a stored multilabel answer (`none` and "" have none)."""
    if not label or label == NONE:
        return frozenset()
    return frozenset(part for part in label.split(SEPARATOR) if part)


class BinaryRelevance:
    """One binary `base` aggregator per attribute (see the module docstring)."""

    def __init__(
        self,
        base: Callable[[], Aggregator] = DawidSkene,
        attributes: Sequence[str] | None = None,
    ) -> None:
        self.base = base
        self.attributes = None if attributes is None else list(attributes)
        self.aggregators_: dict[str, Aggregator] = {}
        self.probas_: dict[str, dict[str, float]] = {}
        self.sets_: dict[str, frozenset[str]] = {}
        self.labels_: dict[str, str] = {}

    def fit(self, data: Iterable[tuple[str, str, str]]) -> Self:
        rows = [(t, w, parse_set(label)) for t, w, label in data]
        seen = sorted({a for _t, _w, s in rows for a in s})
        order = self.attributes if self.attributes is not None else seen
        order = [*order, *(a for a in seen if a not in order)]
        tasks = list(dict.fromkeys(t for t, _w, _s in rows))
        self.aggregators_, self.probas_ = {}, {t: {} for t in tasks}
        chosen: dict[str, set[str]] = {t: set() for t in tasks}
        for attr in order:
            binary = [(t, w, PRESENT if attr in s else ABSENT) for t, w, s in rows]
            model = self.base().fit(binary) if binary else None
            if model is None:
                continue
            self.aggregators_[attr] = model
            probas, labels = model.probas_, model.labels_
            for task in tasks:
                self.probas_[task][attr] = float(probas[task].get(PRESENT, 0.0))
                if labels[task] == PRESENT:
                    chosen[task].add(attr)
        self.sets_ = {t: frozenset(s) for t, s in chosen.items()}
        self.labels_ = {
            t: SEPARATOR.join(a for a in order if a in s) or NONE for t, s in self.sets_.items()
        }
        return self

    def fit_predict(self, data: Iterable[tuple[str, str, str]]) -> dict[str, str]:
        """Fit and return {task: label string} (`a|b`, or `none`)."""
        return self.fit(data).labels_

    def fit_predict_proba(
        self, data: Iterable[tuple[str, str, str]]
    ) -> dict[str, dict[str, float]]:
        """Fit and return {task: {attribute: P(present)}}."""
        return self.fit(data).probas_
