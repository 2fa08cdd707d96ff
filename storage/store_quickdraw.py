"""Store queries: doodle items, guesses and doodle-round state."""

from __future__ import annotations

from storage.sql_base import SqlBase


class QuickdrawMixin(SqlBase):
    """Filled by its feature."""
