"""Label aggregation: batch aggregators in crowd-kit's shape, online rules, agreement metrics.

Batch models (`fit(data) -> self`, `fit_predict(data) -> {task: label}`,
`fit_predict_proba(data) -> {task: {label: p}}`, results on trailing-underscore attributes)
take long-form answers: an `AnswerTable` or an iterable of (task, worker, label) strings.
Only numpy is used at run time.

Rules that hold for every model here:

* Duplicate policy: every row is one judgment; a worker who answered a task twice casts two
  votes, as in crowd-kit and the truth-inference literature (`AnswerTable.repeated_answers`
  counts such rows). LabelQuest's own answers are unique per item and player anyway.
* Tie rule: labels whose probability is within 1e-9 of a task's best are tied; the label that
  sorts first (code-point order of the label strings) wins.
* `METHODS` maps the CLI names to classes; `DEFAULT_METHOD` is used when no method is given.
"""

from __future__ import annotations

from bot.aggregation.base import Aggregator
from bot.aggregation.dawid_skene import DawidSkene, OneCoinDawidSkene, ShrunkDawidSkene
from bot.aggregation.majority import MajorityVote, Wawa
from bot.aggregation.table import AnswerTable, MalformedRows

METHODS: dict[str, type[Aggregator]] = {
    "mv": MajorityVote,
    "wawa": Wawa,
    "ds": DawidSkene,
    "onecoin": OneCoinDawidSkene,
    "sds": ShrunkDawidSkene,
}
# Highest mean accuracy over the 19 public truth datasets (see bench/aggregate.py).
DEFAULT_METHOD = "sds"

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "Aggregator",
    "AnswerTable",
    "DawidSkene",
    "MajorityVote",
    "MalformedRows",
    "OneCoinDawidSkene",
    "ShrunkDawidSkene",
    "Wawa",
]
