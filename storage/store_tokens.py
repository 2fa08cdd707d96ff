"""Store queries: API tokens (`api_tokens`, migration 009).

The table holds no token: only the SHA-256 digest of its secret and a short prefix. The
communities a token may see are a JSON list of ids (empty: all)."""

from __future__ import annotations

import json

from storage.driver import Row
from storage.rows import ApiTokenRow, NewApiToken
from storage.sql_base import SqlBase

_COLS = (
    "id, name, prefix, secret_hash, scopes, communities, created_by, created_at, "
    "last_used_at, expires_at, revoked_at"
)


def _opt(v: object) -> float | None:
    return None if v is None else float(v)  # type: ignore[arg-type]


def _row(r: Row) -> ApiTokenRow:
    return ApiTokenRow(
        id=int(r[0]),
        name=r[1],
        prefix=r[2],
        secret_hash=r[3],
        scopes=r[4],
        communities=tuple(int(c) for c in json.loads(r[5] or "[]")),
        created_by=r[6],
        created_at=float(r[7]),
        last_used_at=_opt(r[8]),
        expires_at=_opt(r[9]),
        revoked_at=_opt(r[10]),
    )


class TokensMixin(SqlBase):
    async def add_api_token(self, token: NewApiToken) -> int:
        """Store a new token; returns its id."""
        async with self.db.transaction() as tx:
            tid = await tx.fetchval(
                f"INSERT INTO api_tokens ({_COLS.removeprefix('id, ')}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL) RETURNING id",
                (
                    token.name,
                    token.prefix,
                    token.secret_hash,
                    token.scopes,
                    json.dumps(sorted(token.communities)),
                    token.created_by,
                    token.created_at,
                    token.expires_at,
                ),
            )
        return int(tid)

    async def get_api_token(self, token_id: int) -> ApiTokenRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(f"SELECT {_COLS} FROM api_tokens WHERE id = ?", (token_id,))
        return None if r is None else _row(r)

    async def list_api_tokens(self) -> list[ApiTokenRow]:
        """Every token, revoked ones too, oldest first."""
        async with self.db.read() as c:
            rows = await c.fetch(f"SELECT {_COLS} FROM api_tokens ORDER BY id")
        return [_row(r) for r in rows]

    async def revoke_api_token(self, token_id: int, at: float) -> ApiTokenRow | None:
        """Mark the token revoked at `at` (a token revoked before keeps its first time);
        None when there is no such token."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (at, token_id),
            )
            r = await tx.fetchone(f"SELECT {_COLS} FROM api_tokens WHERE id = ?", (token_id,))
        return None if r is None else _row(r)

    async def touch_api_token(self, token_id: int, at: float, unless_after: float) -> bool:
        """Set `last_used_at = at` unless it is already later than `unless_after`; the
        condition is in the UPDATE, so concurrent processes write it once per interval."""
        async with self.db.transaction() as tx:
            done = await tx.fetchval(
                "UPDATE api_tokens SET last_used_at = ? WHERE id = ? "
                "AND (last_used_at IS NULL OR last_used_at <= ?) RETURNING id",
                (at, token_id, unless_after),
            )
        return done is not None
