"""Store queries: review queue, expert labels, quality-report queries."""

from __future__ import annotations

from storage.sql_base import SqlBase


class ReviewMixin(SqlBase):
    """Filled by its feature."""
