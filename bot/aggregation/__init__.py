"""Label aggregation: batch aggregators in crowd-kit's shape, online rules, agreement metrics.

Batch models (`fit(data) -> self`, `fit_predict(data) -> {task: label}`,
`fit_predict_proba(data) -> {task: {label: p}}`, results on trailing-underscore attributes)
take long-form answers: an `AnswerTable` or an iterable of (task, worker, label) strings.
Only numpy is used at run time.

Rules that hold for every model here:

* Duplicate policy: a worker who answered the same task more than once counts once, with
  their LAST answer in input order (a later answer is a correction). `AnswerTable` applies
  this when it is built, so every aggregator and metric sees the same deduplicated data;
  `AnswerTable.duplicates_dropped` tells how many rows were replaced.
* Tie rule: labels whose probability is within 1e-9 of a task's best are tied; the label that
  sorts first (code-point order of the label strings) wins.
* `METHODS` maps the CLI names to classes; `DEFAULT_METHOD` is used when no method is given.
"""

from __future__ import annotations

from bot.aggregation.base import Aggregator
from bot.aggregation.bayes import BayesianDawidSkene
from bot.aggregation.dawid_skene import DawidSkene, OneCoinDawidSkene
from bot.aggregation.majority import MajorityVote, Wawa
from bot.aggregation.table import AnswerTable, MalformedRows

METHODS: dict[str, type[Aggregator]] = {
    "mv": MajorityVote,
    "wawa": Wawa,
    "ds": DawidSkene,
    "onecoin": OneCoinDawidSkene,
    "bds": BayesianDawidSkene,
}
# Highest mean accuracy over the 19 public truth datasets (see bench/aggregate.py).
DEFAULT_METHOD = "bds"

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "Aggregator",
    "AnswerTable",
    "BayesianDawidSkene",
    "DawidSkene",
    "MajorityVote",
    "MalformedRows",
    "OneCoinDawidSkene",
    "Wawa",
]
