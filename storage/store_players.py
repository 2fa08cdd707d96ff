"""Players, their platform identities, consent records, communities and channels."""

from __future__ import annotations

from typing import Any

from storage.base.players import Recount
from storage.forget import ForgetTx, pseudonym, scrub_player
from storage.rows import (
    ChannelRow,
    CommunityRow,
    IdentityRow,
    PlayerRow,
    PlayerStatsRow,
)
from storage.sql_base import (
    CHANNEL_COLS,
    COMMUNITY_COLS,
    PLAYER_COLS,
    STATS_COLS,
    SqlBase,
    channel_row,
    community_row,
    dumps,
    player_row,
    stats_row,
)
from storage.store_events import take_turn


class PlayersMixin(SqlBase):
    async def get_identity(self, platform: str, external_id: str) -> IdentityRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(
                "SELECT platform, external_id, player_id, display_name FROM identities "
                "WHERE platform = ? AND external_id = ?",
                (platform, external_id),
            )
        return None if r is None else IdentityRow(r[0], r[1], int(r[2]), r[3])

    async def player_identities(self, player_id: int) -> list[IdentityRow]:
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT platform, external_id, player_id, display_name FROM identities "
                "WHERE player_id = ? ORDER BY platform",
                (player_id,),
            )
        return [IdentityRow(r[0], r[1], int(r[2]), r[3]) for r in rows]

    async def get_player(self, player_id: int) -> PlayerRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(f"SELECT {PLAYER_COLS} FROM players WHERE id = ?", (player_id,))
        return None if r is None else player_row(r)

    async def create_player(
        self,
        platform: str,
        external_id: str,
        display_name: str,
        consent_version: int,
        now: float,
        home_community_id: int | None = None,
    ) -> PlayerRow:
        """Player, identity, consent record and stats row in one transaction.

        Called only when a player accepts the consent text: nothing exists before that.
        If the identity already exists (a double click on "I agree"), its player is returned.
        """
        async with self.db.transaction() as tx:
            existing = await tx.fetchval(
                "SELECT player_id FROM identities WHERE platform = ? AND external_id = ?",
                (platform, external_id),
            )
            if existing is not None:
                r = await tx.fetchone(
                    f"SELECT {PLAYER_COLS} FROM players WHERE id = ?", (existing,)
                )
                assert r is not None
                return player_row(r)
            pid = await tx.fetchval(
                "INSERT INTO players (display_name, created_at, consent_version, "
                "home_community_id) VALUES (?, ?, ?, ?) RETURNING id",
                (display_name, now, consent_version, home_community_id),
            )
            await tx.execute(
                "INSERT INTO identities (platform, external_id, player_id, display_name, "
                "created_at) VALUES (?, ?, ?, ?, ?)",
                (platform, external_id, pid, display_name, now),
            )
            await tx.execute(
                "INSERT INTO consents (player_id, version, platform, accepted_at) "
                "VALUES (?, ?, ?, ?)",
                (pid, consent_version, platform, now),
            )
            await tx.execute("INSERT INTO player_stats (player_id) VALUES (?)", (pid,))
            r = await tx.fetchone(f"SELECT {PLAYER_COLS} FROM players WHERE id = ?", (pid,))
        assert r is not None
        return player_row(r)

    async def record_consent(
        self, player_id: int, version: int, platform: str, now: float
    ) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO consents (player_id, version, platform, accepted_at) "
                "VALUES (?, ?, ?, ?)",
                (player_id, version, platform, now),
            )
            await tx.execute(
                "UPDATE players SET consent_version = ? WHERE id = ?", (version, player_id)
            )

    async def consent_history(self, player_id: int) -> list[tuple[int, str, float]]:
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT version, platform, accepted_at FROM consents WHERE player_id = ? "
                "ORDER BY accepted_at",
                (player_id,),
            )
        return [(int(r[0]), r[1], float(r[2])) for r in rows]

    async def update_player(self, player_id: int, **fields: Any) -> None:
        """Set simple player columns: display_name, hidden, reminders, home_community_id."""
        allowed = {"display_name", "hidden", "reminders", "home_community_id"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown player fields: {sorted(unknown)}")
        if not fields:
            return
        cols = sorted(fields)
        values = [int(v) if isinstance(v, bool) else v for v in (fields[c] for c in cols)]
        sets = ", ".join(f"{c} = ?" for c in cols)
        async with self.db.transaction() as tx:
            await tx.execute(f"UPDATE players SET {sets} WHERE id = ?", (*values, player_id))

    async def rename_identity(self, platform: str, external_id: str, display_name: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE identities SET display_name = ? WHERE platform = ? AND external_id = ?",
                (display_name, platform, external_id),
            )
            await tx.execute(
                "UPDATE players SET display_name = ? WHERE id = (SELECT player_id FROM "
                "identities WHERE platform = ? AND external_id = ?)",
                (display_name, platform, external_id),
            )

    async def get_stats(self, player_id: int) -> PlayerStatsRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(
                f"SELECT {STATS_COLS} FROM player_stats WHERE player_id = ?", (player_id,)
            )
        return None if r is None else stats_row(r)

    async def delete_player(
        self, player_id: int, recount: Recount | None = None
    ) -> list[tuple[int, int]]:
        """Delete a player and everything keyed by them (see `storage.base.PlayerStore`):
        rows that stay get a pseudonym, `recount` rebuilds the tallies, one transaction."""
        async with self.db.transaction() as tx:
            if recount is not None:  # the recount may append label events: their lock first
                await take_turn(tx, self.db.dialect)
            rows = await tx.fetch(
                "SELECT DISTINCT campaign_id, item_id FROM answers WHERE player_id = ?",
                (player_id,),
            )
            await scrub_player(tx, player_id, pseudonym())
            await self._before_player_delete(tx, player_id)
            await tx.execute("DELETE FROM players WHERE id = ?", (player_id,))
            touched = [(int(r[0]), int(r[1])) for r in rows]
            if recount is not None and touched:
                await recount(ForgetTx(tx, self.db.dialect, self.db.max_params), touched)
        return touched

    # communities and channels -------------------------------------------------------

    async def upsert_community(
        self, platform: str, external_id: str, name: str, now: float
    ) -> CommunityRow:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO communities (platform, external_id, name, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (platform, external_id) "
                "DO UPDATE SET name = excluded.name",
                (platform, external_id, name, now),
            )
            r = await tx.fetchone(
                f"SELECT {COMMUNITY_COLS} FROM communities WHERE platform = ? AND external_id = ?",
                (platform, external_id),
            )
        assert r is not None
        return community_row(r)

    async def get_community(self, community_id: int) -> CommunityRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(
                f"SELECT {COMMUNITY_COLS} FROM communities WHERE id = ?", (community_id,)
            )
        return None if r is None else community_row(r)

    async def list_communities(self) -> list[CommunityRow]:
        async with self.db.read() as c:
            rows = await c.fetch(f"SELECT {COMMUNITY_COLS} FROM communities ORDER BY id")
        return [community_row(r) for r in rows]

    async def update_community(
        self,
        community_id: int,
        *,
        timezone: str | None = None,
        announce_channel_id: int | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        async with self.db.transaction() as tx:
            if timezone is not None:
                await tx.execute(
                    "UPDATE communities SET timezone = ? WHERE id = ?", (timezone, community_id)
                )
            if announce_channel_id is not None:
                await tx.execute(
                    "UPDATE communities SET announce_channel_id = ? WHERE id = ?",
                    (announce_channel_id, community_id),
                )
            if settings is not None:
                await tx.execute(
                    "UPDATE communities SET settings = ? WHERE id = ?",
                    (dumps(settings), community_id),
                )

    async def upsert_channel(
        self,
        platform: str,
        external_id: str,
        community_id: int | None,
        name: str,
        kind: str,
        now: float,
    ) -> ChannelRow:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO channels (platform, external_id, community_id, name, kind, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, external_id) "
                "DO UPDATE SET name = excluded.name, community_id = excluded.community_id",
                (platform, external_id, community_id, name, kind, now),
            )
            r = await tx.fetchone(
                f"SELECT {CHANNEL_COLS} FROM channels WHERE platform = ? AND external_id = ?",
                (platform, external_id),
            )
        assert r is not None
        return channel_row(r)

    async def get_meta(self, key: str) -> str | None:
        async with self.db.read() as c:
            value = await c.fetchval("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    async def set_meta_default(self, key: str, value: str) -> str:
        """Store `value` under `key` unless a value is there already; return the stored one."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                (key, value),
            )
            stored = await tx.fetchval("SELECT value FROM meta WHERE key = ?", (key,))
        return str(stored)

    async def hidden_players(self) -> set[int]:
        """Players who chose to be hidden (/privacy): never named in exports or boards."""
        async with self.db.read() as c:
            rows = await c.fetch("SELECT id FROM players WHERE hidden = 1")
        return {int(r[0]) for r in rows}
