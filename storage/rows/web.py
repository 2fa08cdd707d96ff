"""Rows of dashboard sign-in (`web_login_links`, `web_sessions`, migration 010). Plain values
only, no behaviour; secrets never appear here, only their SHA-256 digests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WebScope:
    """Who signs in and what they may see: the person (platform and id, the name to greet
    them by), bot admin or not, the community they act for (None: none) and whether they
    moderate it."""

    platform: str
    external_id: str
    display_name: str
    is_admin: bool
    community_id: int | None
    is_moderator: bool


@dataclass(frozen=True, slots=True)
class NewLoginLink:
    """A one-time sign-in link to store (only the digest of its secret)."""

    secret_hash: str
    scope: WebScope
    created_at: float
    expires_at: float


@dataclass(frozen=True, slots=True)
class NewWebSession:
    """The session a redeemed link opens: the digest of its id, its CSRF token, its end."""

    secret_hash: str
    csrf: str
    created_at: float
    expires_at: float


@dataclass(frozen=True, slots=True)
class WebSessionRow:
    """A stored session."""

    id: int
    scope: WebScope
    csrf: str
    created_at: float
    expires_at: float
    last_seen: float


@dataclass(frozen=True, slots=True)
class DrawLinkPerson:
    """Who a drawing-page link (table and migration `draw_links`) is bound to: the player
    only."""

    platform: str
    external_id: str
    display_name: str
