"""Rows of player contributions (issue 16, migration 016): translations and photos that
become items other players judge."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storage.rows.content import NewItem

ACCEPTED, REJECTED = "accepted", "rejected"
"""The settled outcomes of a contribution (`contributions.outcome`)."""


@dataclass(frozen=True, slots=True)
class NewContribution:
    """A contribution to store with the item it becomes (`item`, in the campaign's dataset,
    with a tally in that campaign). `kind` names the feature (`translation`, `photo`)."""

    campaign_id: int
    player_id: int
    kind: str
    platform: str
    item: NewItem
    parent_item_id: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ContributionRow:
    """A stored contribution; `settled_at`/`outcome` once its judges decided."""

    id: int
    campaign_id: int
    item_id: int
    parent_item_id: int | None
    player_id: int
    kind: str
    platform: str
    meta: dict[str, Any]
    created_at: float
    settled_at: float | None
    outcome: str | None
