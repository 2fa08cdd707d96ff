"""Store queries: campaign channels, schedules and the audit log."""

from __future__ import annotations

from storage.sql_base import SqlBase


class CampaignsMixin(SqlBase):
    """Filled by its feature."""
