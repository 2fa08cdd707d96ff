"""Store queries: badges, streak history and leaderboard rollups."""

from __future__ import annotations

from storage.sql_base import SqlBase


class RewardsMixin(SqlBase):
    """Filled by its feature."""
