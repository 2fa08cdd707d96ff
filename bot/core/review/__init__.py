"""Review: the queue of disputed items, expert labels, player standings and the quality
report.

Public names: `ReviewCases` (the use cases), `report` (the quality report), `bulk` (bulk
review: `ACTIONS`, `ReviewQueue`, `QueueEntry`, `BulkResult`)."""

from bot.core.review import bulk, report
from bot.core.review.cases import ReviewCases

__all__ = ["ReviewCases", "bulk", "report"]
