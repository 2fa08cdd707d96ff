"""The store's content protocols (part of `storage.base.Store`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from storage.rows import CampaignCounts, CampaignRow, DatasetRow, ItemRow, NewCampaign, NewItem

if TYPE_CHECKING:
    from storage.store_content import NewDataset

Key = tuple[int, int]


class ContentStore(Protocol):
    """Datasets, items and their media, campaigns."""

    async def create_dataset(
        self, name: str, kind: str, source: str, now: float
    ) -> DatasetRow: ...

    async def get_dataset(self, name: str) -> DatasetRow | None: ...

    async def list_datasets(self) -> list[tuple[DatasetRow, int]]: ...

    async def create_imported(
        self, dataset: NewDataset, items: Sequence[NewItem], spec: NewCampaign, now: float
    ) -> CampaignRow:
        """Dataset, items and campaign in ONE transaction; DuplicateName leaves nothing."""
        ...

    async def dataset_owners(self) -> dict[int, int | None]:
        """Every dataset's owner community (None: shared), by dataset id."""
        ...

    async def claim_dataset(self, dataset_id: int, community_id: int) -> None:
        """Make a shared dataset the community's (a moderator's upload just created it)."""
        ...

    async def add_items(self, dataset_id: int, items: Sequence[NewItem], now: float) -> list[int]:
        """Insert items and their media in one transaction; returns the new ids in order."""
        ...

    async def get_item(self, item_id: int) -> ItemRow | None: ...

    async def get_items(self, item_ids: Sequence[int]) -> dict[int, ItemRow]: ...

    async def dataset_items(self, dataset_id: int) -> list[ItemRow]: ...

    async def campaign_items(self, campaign_id: int) -> list[ItemRow]:
        """The items of a campaign, in id order, each with the campaign's gold (`gold` and
        `gold_explanation` None when it is not gold there). Every other item read carries
        the dataset's import default, which is never gold by itself (migration 008)."""
        ...

    async def campaign_gold(self, campaign_id: int) -> dict[int, tuple[str, str | None]]:
        """Item id -> (gold answer, explanation) of the campaign's gold items."""
        ...

    async def get_media(self, item_id: int) -> tuple[str, bytes] | None: ...

    async def create_campaign(self, spec: NewCampaign, now: float) -> CampaignRow:
        """The campaign and one open tally per item of its dataset, in one transaction."""
        ...

    async def get_campaign(self, campaign_id: int) -> CampaignRow | None: ...

    async def get_campaign_by_name(self, name: str) -> CampaignRow | None: ...

    async def list_campaigns(self, statuses: Sequence[str] | None = None) -> list[CampaignRow]: ...

    async def campaign_counts(self, campaign_id: int) -> CampaignCounts: ...
