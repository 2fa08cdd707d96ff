"""The store's API token protocol (part of `storage.base.Store`)."""

from __future__ import annotations

from typing import Protocol

from storage.rows import ApiTokenRow, NewApiToken


class AccessStore(Protocol):
    """API tokens: stored as a hash only, listed, revoked, their last use recorded."""

    async def add_api_token(self, token: NewApiToken) -> int:
        """Store a new token; returns its id."""
        ...

    async def get_api_token(self, token_id: int) -> ApiTokenRow | None: ...

    async def list_api_tokens(self) -> list[ApiTokenRow]:
        """Every token, revoked ones too, oldest first."""
        ...

    async def revoke_api_token(self, token_id: int, at: float) -> ApiTokenRow | None:
        """Mark the token revoked at `at` (a token revoked before keeps its first time);
        None when there is no such token."""
        ...

    async def touch_api_token(self, token_id: int, at: float, unless_after: float) -> bool:
        """Set `last_used_at = at` unless it is already later than `unless_after` (so
        processes sharing the database write it at most once per interval); True if written."""
        ...
