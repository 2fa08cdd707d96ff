"""API token use cases: create (the token is returned once), verify, list, revoke.

Rules:
- a token is `lq_<id>_<secret>` (`tokens`); the store keeps the SHA-256 of the secret only;
- verification looks the row up by id, then compares hashes in constant time; an unknown,
  malformed, revoked or expired token gets the same `NotFound(INVALID_TOKEN)`, which never
  says which it was;
- `last_used_at` is written at most once per `TOUCH_EVERY` seconds per token (the condition
  is in the UPDATE, so several processes together also write it once);
- a token sees the communities listed (none listed: every community, which only an admin
  may create; `run.py token` is an admin);
- every create and revoke writes an audit entry (`token.create`, `token.revoke`) naming the
  token by id and name, never the token or its hash.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.access import texts
from bot.core.access.tokens import (
    format_token,
    hash_secret,
    new_secret,
    parse_token,
    prefix_of,
    secret_matches,
)
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, NotFound, PermissionDenied
from bot.core.kernel.models import PlayerRef
from storage import ApiTokenRow, NewApiToken

READ = "read"
WRITE = "write"
TOUCH_EVERY = 60.0
NAME_LIMIT = 100
EXPIRY_DAYS_LIMIT = 3650
DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a verified token is: its id and name, its scopes (`read`, maybe `write`) and the
    communities it may see (empty: every community)."""

    token_id: int
    name: str
    scopes: frozenset[str]
    communities: frozenset[int]

    @property
    def can_write(self) -> bool:
        return WRITE in self.scopes

    def sees(self, community_id: int) -> bool:
        """Whether the token may see this community's data."""
        return not self.communities or community_id in self.communities


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A token as listed: everything but the secret and its hash. `shown` is the token's
    non-secret beginning, e.g. `lq_3_AbCd…`."""

    id: int
    name: str
    shown: str
    scopes: str
    communities: tuple[int, ...]
    created_by: str
    created_at: float
    last_used_at: float | None
    expires_at: float | None
    revoked_at: float | None


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: `token` is the only copy there will ever be."""

    token: str
    info: TokenInfo


def _info(row: ApiTokenRow) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        name=row.name,
        shown=f"lq_{row.id}_{row.prefix}…",
        scopes=row.scopes,
        communities=row.communities,
        created_by=row.created_by,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


def _scopes(stored: str) -> frozenset[str]:
    return frozenset(stored.split("+"))


class Access:
    """The API token use cases (`engine.access`)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    async def create(
        self,
        name: str,
        *,
        write: bool = False,
        communities: Iterable[int] = (),
        expires_days: int | None = None,
        actor: PlayerRef | str = "cli",
        admin: bool = True,
    ) -> IssuedToken:
        """A new token (scopes `read`, or `read+write` with `write`), returned once."""
        name = name.strip()
        if not 0 < len(name) <= NAME_LIMIT:
            raise InvalidInput(texts.NAME_NEEDED, limit=NAME_LIMIT)
        if expires_days is not None and not 0 < expires_days <= EXPIRY_DAYS_LIMIT:
            raise InvalidInput(texts.BAD_EXPIRY, limit=EXPIRY_DAYS_LIMIT)
        seen = tuple(sorted(set(communities)))
        if not seen and not admin:
            raise PermissionDenied(texts.ALL_FOR_ADMINS)
        for cid in seen:
            if await self.k.store.get_community(cid) is None:
                raise NotFound(texts.NO_SUCH_COMMUNITY, community_id=cid)
        now = self.k.now()
        secret = new_secret()
        scopes = f"{READ}+{WRITE}" if write else READ
        expires = None if expires_days is None else now + expires_days * DAY
        created_by = actor if isinstance(actor, str) else f"{actor.platform}:{actor.external_id}"
        new = NewApiToken(
            name, prefix_of(secret), hash_secret(secret), scopes, seen, created_by, now, expires
        )
        token_id = await self.k.store.add_api_token(new)
        row = await self.k.store.get_api_token(token_id)
        assert row is not None
        detail = f"name={name!r} scopes={scopes} communities={list(seen) or 'all'}"
        if expires is not None:
            detail += f" expires_days={expires_days}"
        await self.k.audit(actor, "token.create", f"token {token_id}", detail)
        return IssuedToken(format_token(token_id, secret), _info(row))

    async def verify(self, token: str) -> Principal:
        """The principal of a valid token; `NotFound(INVALID_TOKEN)` for anything else
        (malformed, unknown, wrong secret, revoked, expired: all alike)."""
        parsed = parse_token(token)
        if parsed is None:
            raise NotFound(texts.INVALID_TOKEN)
        row = await self.k.store.get_api_token(parsed.token_id)
        matches = secret_matches(parsed.secret, None if row is None else row.secret_hash)
        now = self.k.now()
        if row is None or not matches or row.revoked_at is not None:
            raise NotFound(texts.INVALID_TOKEN)
        if row.expires_at is not None and now >= row.expires_at:
            raise NotFound(texts.INVALID_TOKEN)
        if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
            await self.k.store.touch_api_token(row.id, now, now - TOUCH_EVERY)
        return Principal(row.id, row.name, _scopes(row.scopes), frozenset(row.communities))

    async def tokens(self) -> list[TokenInfo]:
        """Every token, revoked and expired ones too, oldest first (never a secret)."""
        return [_info(r) for r in await self.k.store.list_api_tokens()]

    async def communities(self) -> dict[int, str]:
        """Every community a token may be limited to: id -> "name (platform)", by name."""
        rows = sorted(await self.k.store.list_communities(), key=lambda c: (c.name, c.id))
        return {c.id: f"{c.name} ({c.platform})" for c in rows}

    async def revoke(self, token_id: int, *, actor: PlayerRef | str = "cli") -> TokenInfo:
        """Revoke a token for good (revoking it again changes nothing but is audited)."""
        row = await self.k.store.revoke_api_token(token_id, self.k.now())
        if row is None:
            raise NotFound(texts.NO_SUCH_TOKEN, token_id=token_id)
        await self.k.audit(actor, "token.revoke", f"token {token_id}", f"name={row.name!r}")
        return _info(row)

    def require_write(self, principal: Principal) -> None:
        """`PermissionDenied(WRITE_NEEDED)` unless the token has the write scope."""
        if not principal.can_write:
            raise PermissionDenied(texts.WRITE_NEEDED)
