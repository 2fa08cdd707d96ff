"""The store's protocol for player contributions (issue 16; part of `storage.base.Store`).

Rules: a contribution and the item it becomes (item, media, tally in its campaign) are
written in one transaction; the solo next-task query never serves a player an item they
contributed; a contribution is settled once (conditional UPDATE on `settled_at IS NULL`)."""

from __future__ import annotations

from typing import Any, Protocol

from storage.rows import ContributionRow, NewContribution, TallyRow


class ContributionStore(Protocol):
    """Contributions: add, look up, list, settle, update meta, delete."""

    async def add_contribution(self, c: NewContribution, now: float) -> ContributionRow:
        """Store the contribution and its item; the item's `source` must be new in the
        dataset (callers make it unique, e.g. `photo:<uuid>`)."""
        ...

    async def get_contribution(self, contribution_id: int) -> ContributionRow | None: ...

    async def contribution_of_item(self, item_id: int) -> ContributionRow | None:
        """The contribution an item came from; None for an imported item."""
        ...

    async def player_contributions(
        self, player_id: int, kind: str | None = None
    ) -> list[ContributionRow]:
        """The player's contributions, oldest first (all kinds unless `kind`)."""
        ...

    async def campaign_contributions(
        self, campaign_id: int, kind: str | None = None, parent_item_id: int | None = None
    ) -> list[ContributionRow]:
        """A campaign's contributions, oldest first, optionally of one kind / parent."""
        ...

    async def decided_unsettled(
        self, kind: str, limit: int = 100
    ) -> list[tuple[ContributionRow, TallyRow]]:
        """Unsettled contributions of `kind` whose item's tally is decided (finalized,
        reviewed or in review), with that tally; oldest first."""
        ...

    async def settle_contribution(
        self, contribution_id: int, outcome: str, now: float
    ) -> ContributionRow | None:
        """Set the outcome once; the row when this call settled it, None when it was
        settled already (by any process)."""
        ...

    async def update_contribution_meta(self, contribution_id: int, meta: dict[str, Any]) -> None:
        """Replace the contribution's `meta` JSON."""
        ...

    async def delete_contribution(self, contribution_id: int) -> bool:
        """Delete the contribution and what its item holds (media, text); its tally is
        hidden, so it leaves every export (`storage.store_contributions`)."""
        ...
