"""The store's dashboard read protocol (part of `storage.base.Store`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from storage.rows import AuditEntry, ContributorRow, ItemAnswerRow, ItemListRow


class InsightsStore(Protocol):
    """Read models of the dashboard: series per UTC day, contributors, item pages, audit."""

    async def answers_per_day(self, campaign_id: int) -> list[tuple[int, int]]:
        """(UTC day number, answers stored that day) for the days with answers, in order."""
        ...

    async def finalized_per_day(self, campaign_id: int) -> list[tuple[int, int]]:
        """(UTC day number, non-gold items finalized that day) for the days with some."""
        ...

    async def campaign_contributors(self, campaign_id: int) -> list[ContributorRow]:
        """Every player who answered in the campaign, most answers first (then player id),
        with their points in it (0 when none)."""
        ...

    async def campaign_item_page(
        self, campaign_id: int, state: str | None, offset: int, limit: int
    ) -> tuple[int, list[ItemListRow]]:
        """(items matching `state` in all, one page of them by item id); `state` None: all,
        else `finalized` (finalized or reviewed), `review` or `open`."""
        ...

    async def campaign_item_row(self, campaign_id: int, item_id: int) -> ItemListRow | None:
        """One item of the campaign with its tally; None when the campaign has no such item."""
        ...

    async def item_answer_views(self, campaign_id: int, item_id: int) -> list[ItemAnswerRow]:
        """Every answer to the item in the campaign, oldest first."""
        ...

    async def audit_page(
        self, campaign_ids: Sequence[int] | None, offset: int, limit: int
    ) -> tuple[int, list[AuditEntry]]:
        """(entries in all, one page newest first) of the audit and review logs: all
        (`campaign_ids` None) or those about these campaigns."""
        ...
