"""Review: the queue of disputed items, expert labels, player standings and the quality
report.

Public names: `ReviewCases` (the use cases), `report` (the quality report), `bulk` (bulk
review: `ACTIONS`, `ReviewQueue`, `QueueEntry`, `BulkResult`), `set_label` (an expert label, as
`run.py review --set` and the API set it) and its `Decision`."""

from bot.core.review import bulk, report
from bot.core.review.cases import ReviewCases
from bot.core.review.queue import Decision, set_label

__all__ = ["Decision", "ReviewCases", "bulk", "report", "set_label"]
