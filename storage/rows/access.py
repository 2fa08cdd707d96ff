"""Rows of API tokens (`api_tokens`, migration 009). Plain values only, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NewApiToken:
    """A token to store: never the token itself, only the SHA-256 hex digest of its secret
    and the first characters of the secret (`prefix`, shown in lists)."""

    name: str
    prefix: str
    secret_hash: str
    scopes: str
    communities: tuple[int, ...]
    created_by: str
    created_at: float
    expires_at: float | None


@dataclass(frozen=True, slots=True)
class ApiTokenRow:
    """A stored token; `communities` empty means every community."""

    id: int
    name: str
    prefix: str
    secret_hash: str
    scopes: str
    communities: tuple[int, ...]
    created_by: str
    created_at: float
    last_used_at: float | None
    expires_at: float | None
    revoked_at: float | None
