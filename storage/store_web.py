"""Store queries: dashboard sign-in links and sessions (migration 010).

Rules: only SHA-256 digests of the secrets are stored; a link is redeemed by ONE conditional
UPDATE (`used_at IS NULL AND expires_at > now`) in the transaction that opens the session,
so whatever the number of processes or clicks, a link opens at most one session.
Drawing-page links (table and migration `draw_links`) follow the same rule: one conditional
UPDATE uses a link for one prompt, whatever the number of processes or clicks."""

from __future__ import annotations

from storage.driver import Row
from storage.rows.web import DrawLinkPerson, NewLoginLink, NewWebSession, WebScope, WebSessionRow
from storage.sql_base import SqlBase

_SCOPE = "platform, external_id, display_name, is_admin, community_id, is_moderator"
_SESSION_COLS = f"id, {_SCOPE}, csrf, created_at, expires_at, last_seen"


def _scope(r: Row, at: int) -> WebScope:
    return WebScope(
        platform=str(r[at]),
        external_id=str(r[at + 1]),
        display_name=str(r[at + 2]),
        is_admin=bool(r[at + 3]),
        community_id=None if r[at + 4] is None else int(r[at + 4]),
        is_moderator=bool(r[at + 5]),
    )


def _scope_params(s: WebScope) -> tuple[object, ...]:
    return (
        s.platform,
        s.external_id,
        s.display_name,
        int(s.is_admin),
        s.community_id,
        int(s.is_moderator),
    )


def _session(r: Row) -> WebSessionRow:
    return WebSessionRow(
        id=int(r[0]),
        scope=_scope(r, 1),
        csrf=str(r[7]),
        created_at=float(r[8]),
        expires_at=float(r[9]),
        last_seen=float(r[10]),
    )


class WebMixin(SqlBase):
    async def add_login_link(self, link: NewLoginLink) -> int:
        """Store a new sign-in link; returns its id."""
        async with self.db.transaction() as tx:
            lid = await tx.fetchval(
                f"INSERT INTO web_login_links (secret_hash, {_SCOPE}, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (link.secret_hash, *_scope_params(link.scope), link.created_at, link.expires_at),
            )
        return int(lid)

    async def redeem_login_link(
        self, secret_hash: str, now: float, session: NewWebSession
    ) -> WebSessionRow | None:
        """Mark the link used and open `session` with its scope, in one transaction; None
        for an unknown, used or expired link."""
        async with self.db.transaction() as tx:
            r = await tx.fetchone(
                "UPDATE web_login_links SET used_at = ? WHERE secret_hash = ? "
                f"AND used_at IS NULL AND expires_at > ? RETURNING {_SCOPE}",
                (now, secret_hash, now),
            )
            if r is None:
                return None
            scope = _scope(r, 0)
            sid = await tx.fetchval(
                f"INSERT INTO web_sessions (secret_hash, {_SCOPE}, csrf, created_at, "
                "expires_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    session.secret_hash,
                    *_scope_params(scope),
                    session.csrf,
                    session.created_at,
                    session.expires_at,
                    session.created_at,
                ),
            )
        return WebSessionRow(
            int(sid), scope, session.csrf, session.created_at, session.expires_at, now
        )

    async def get_web_session(self, secret_hash: str, now: float) -> WebSessionRow | None:
        """The unexpired session with this digest, or None."""
        async with self.db.read() as c:
            r = await c.fetchone(
                f"SELECT {_SESSION_COLS} FROM web_sessions WHERE secret_hash = ? "
                "AND expires_at > ?",
                (secret_hash, now),
            )
        return None if r is None else _session(r)

    async def touch_web_session(self, session_id: int, at: float, unless_after: float) -> bool:
        """Set `last_seen = at` unless it is already later than `unless_after` (one write per
        interval, whatever the number of processes)."""
        async with self.db.transaction() as tx:
            done = await tx.fetchval(
                "UPDATE web_sessions SET last_seen = ? WHERE id = ? AND last_seen <= ? "
                "RETURNING id",
                (at, session_id, unless_after),
            )
        return done is not None

    async def delete_web_session(self, secret_hash: str) -> bool:
        """End a session (sign out); True when there was one."""
        async with self.db.transaction() as tx:
            gone = await tx.fetchval(
                "DELETE FROM web_sessions WHERE secret_hash = ? RETURNING id", (secret_hash,)
            )
        return gone is not None

    async def purge_web_signins(self, before: float) -> int:
        """Delete links and sessions that expired before `before`; how many rows went."""
        gone = 0
        async with self.db.transaction() as tx:
            for table in ("web_login_links", "web_sessions", "draw_links"):
                rows = await tx.fetch(
                    f"DELETE FROM {table} WHERE expires_at < ? RETURNING id", (before,)
                )
                gone += len(rows)
        return gone

    async def add_draw_link(
        self, secret_hash: str, person: DrawLinkPerson, created_at: float, expires_at: float
    ) -> int:
        """Store a new drawing-page link bound to `person`; returns its id."""
        async with self.db.transaction() as tx:
            lid = await tx.fetchval(
                "INSERT INTO draw_links (secret_hash, platform, external_id, display_name, "
                "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    secret_hash,
                    person.platform,
                    person.external_id,
                    person.display_name,
                    created_at,
                    expires_at,
                ),
            )
        return int(lid)

    async def draw_link_holder(self, secret_hash: str, now: float) -> DrawLinkPerson | None:
        """The person of an unused, unexpired drawing-page link, or None."""
        async with self.db.read() as c:
            r = await c.fetchone(
                "SELECT platform, external_id, display_name FROM draw_links WHERE "
                "secret_hash = ? AND used_at IS NULL AND expires_at > ?",
                (secret_hash, now),
            )
        return None if r is None else DrawLinkPerson(str(r[0]), str(r[1]), str(r[2]))

    async def use_draw_link(self, secret_hash: str, now: float, prompt_id: int) -> bool:
        """Use the link for `prompt_id` (one conditional UPDATE); False when it was already
        used or has expired."""
        async with self.db.transaction() as tx:
            done = await tx.fetchval(
                "UPDATE draw_links SET used_at = ?, prompt_id = ? WHERE secret_hash = ? "
                "AND used_at IS NULL AND expires_at > ? RETURNING id",
                (now, prompt_id, secret_hash, now),
            )
        return done is not None

    async def draw_link_for_prompt(
        self, secret_hash: str, prompt_id: int
    ) -> DrawLinkPerson | None:
        """The person whose link was used for `prompt_id`, or None."""
        async with self.db.read() as c:
            r = await c.fetchone(
                "SELECT platform, external_id, display_name FROM draw_links WHERE "
                "secret_hash = ? AND used_at IS NOT NULL AND prompt_id = ?",
                (secret_hash, prompt_id),
            )
        return None if r is None else DrawLinkPerson(str(r[0]), str(r[1]), str(r[2]))
