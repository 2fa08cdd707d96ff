"""The store's players protocols (part of `storage.base.Store`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from storage.rows import (
    AnswerRow,
    ChannelRow,
    CommunityRow,
    IdentityRow,
    PlayerRow,
    PlayerStatsRow,
    TallyRow,
    TallyUpdate,
)


class RecountUnit(Protocol):
    """The deleting transaction of forget-me, as the tally recount sees it: it reads the
    answers that remain and writes the new tallies before the deletion commits."""

    async def get_tally(self, campaign_id: int, item_id: int) -> TallyRow | None: ...

    async def item_answers(self, campaign_id: int, item_id: int) -> list[AnswerRow]: ...

    async def save_tallies(self, updates: Sequence[TallyUpdate]) -> None: ...


Recount = Callable[[RecountUnit, list[tuple[int, int]]], Awaitable[None]]
"""(the deleting transaction, the (campaign, item) keys the player had answered) -> None."""

Key = tuple[int, int]


class PlayerStore(Protocol):
    """Players, identities, consent, communities and channels, key-value meta."""

    async def get_identity(self, platform: str, external_id: str) -> IdentityRow | None: ...

    async def player_identities(self, player_id: int) -> list[IdentityRow]: ...

    async def get_player(self, player_id: int) -> PlayerRow | None: ...

    async def create_player(
        self,
        platform: str,
        external_id: str,
        display_name: str,
        consent_version: int,
        now: float,
        home_community_id: int | None = None,
    ) -> PlayerRow:
        """Player, identity, consent record and stats row in one transaction."""
        ...

    async def record_consent(
        self, player_id: int, version: int, platform: str, now: float
    ) -> None: ...

    async def consent_history(self, player_id: int) -> list[tuple[int, str, float]]: ...

    async def update_player(self, player_id: int, **fields: Any) -> None:
        """Set simple player columns: display_name, hidden, reminders, home_community_id."""
        ...

    async def rename_identity(
        self, platform: str, external_id: str, display_name: str
    ) -> None: ...

    async def get_stats(self, player_id: int) -> PlayerStatsRow | None: ...

    async def delete_player(
        self, player_id: int, recount: Recount | None = None
    ) -> list[tuple[int, int]]:
        """Delete a player and everything keyed by them, in one transaction; returns the
        (campaign, item) pairs they had answered. Answers, ledger, stats, identities, consents
        and solo rounds go by ON DELETE CASCADE; the rest by `_before_player_delete`. What
        must stay (audit and review logs, reviewed tallies, campaigns and schedules they made,
        channel rounds they solved) keeps a pseudonym instead of their name and platform id.
        `recount` rebuilds the tallies of those pairs inside the same transaction."""
        ...

    async def upsert_community(
        self, platform: str, external_id: str, name: str, now: float
    ) -> CommunityRow: ...

    async def get_community(self, community_id: int) -> CommunityRow | None: ...

    async def list_communities(self) -> list[CommunityRow]: ...

    async def update_community(
        self,
        community_id: int,
        *,
        timezone: str | None = None,
        announce_channel_id: int | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None: ...

    async def upsert_channel(
        self,
        platform: str,
        external_id: str,
        community_id: int | None,
        name: str,
        kind: str,
        now: float,
    ) -> ChannelRow: ...

    async def get_meta(self, key: str) -> str | None: ...

    async def set_meta_default(self, key: str, value: str) -> str:
        """Store `value` under `key` unless a value is there already; return the stored one."""
        ...

    async def hidden_players(self) -> set[int]:
        """Players who chose to be hidden (/privacy): never named in exports or boards."""
        ...
