"""Leaderboards (a window is a filter over the append-only ledger) and ledger reads."""

from __future__ import annotations

from typing import Any

from storage.rows import BoardRow, LedgerEntryRow
from storage.sql_base import SqlBase


class BoardsMixin(SqlBase):
    async def leaderboard(
        self,
        *,
        community_id: int | None = None,
        campaign_id: int | None = None,
        since: float | None = None,
        limit: int = 10,
        viewer_id: int | None = None,
    ) -> tuple[list[BoardRow], BoardRow | None]:
        """Top `limit` visible players by points in the scope and window, and the viewer's row.

        All-time global boards read the running totals in `player_stats`; every other board
        sums the ledger rows that match the filters. Players who chose /privacy are left off
        public rows; the viewer still sees their own position.
        """
        if community_id is None and campaign_id is None and since is None:
            source = "SELECT player_id, points AS pts FROM player_stats WHERE points > 0"
            params: list[Any] = []
        else:
            where, params = ["1 = 1"], []
            if community_id is not None:
                where.append("community_id = ?")
                params.append(community_id)
            if campaign_id is not None:
                where.append("campaign_id = ?")
                params.append(campaign_id)
            if since is not None:
                where.append("created_at >= ?")
                params.append(since)
            source = (
                "SELECT player_id, SUM(points) AS pts FROM ledger WHERE "
                + " AND ".join(where)
                + " GROUP BY player_id"
            )
        async with self.db.read() as c:
            rows = await c.fetch(
                f"WITH totals AS ({source}) SELECT t.player_id, p.display_name, t.pts "
                "FROM totals t JOIN players p ON p.id = t.player_id "
                "WHERE p.hidden = 0 AND t.pts > 0 ORDER BY t.pts DESC, t.player_id LIMIT ?",
                [*params, limit],
            )
            top = [BoardRow(i, int(r[0]), r[1], int(r[2])) for i, r in enumerate(rows, start=1)]
            mine = None
            if viewer_id is not None:
                mine = next((row for row in top if row.player_id == viewer_id), None)
                if mine is None:
                    mine = await self._viewer_row(c, source, params, viewer_id)
        return top, mine

    async def _viewer_row(
        self, c: Any, source: str, params: list[Any], viewer_id: int
    ) -> BoardRow | None:
        r = await c.fetchone(
            f"WITH totals AS ({source}) SELECT t.pts, p.display_name FROM totals t "
            "JOIN players p ON p.id = t.player_id WHERE t.player_id = ?",
            [*params, viewer_id],
        )
        if r is None or int(r[0]) <= 0:
            return None
        pts = int(r[0])
        above = await c.fetchval(
            f"WITH totals AS ({source}) SELECT COUNT(*) FROM totals t "
            "JOIN players p ON p.id = t.player_id WHERE p.hidden = 0 AND t.pts > 0 "
            "AND t.player_id <> ? AND (t.pts > ? OR (t.pts = ? AND t.player_id < ?))",
            [*params, viewer_id, pts, pts, viewer_id],
        )
        return BoardRow(int(above) + 1, viewer_id, r[1], pts)

    async def board_size(self, *, community_id: int | None = None) -> int:
        """How many visible players have points (globally, or in a community's ledger)."""
        async with self.db.read() as c:
            if community_id is None:
                value = await c.fetchval(
                    "SELECT COUNT(*) FROM player_stats s JOIN players p ON p.id = s.player_id "
                    "WHERE s.points > 0 AND p.hidden = 0"
                )
            else:
                value = await c.fetchval(
                    "SELECT COUNT(DISTINCT l.player_id) FROM ledger l JOIN players p "
                    "ON p.id = l.player_id WHERE l.community_id = ? AND p.hidden = 0",
                    (community_id,),
                )
        return int(value or 0)

    async def ledger_for(self, player_id: int, limit: int = 20) -> list[LedgerEntryRow]:
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT id, player_id, created_at, points, kind, reason, answer_id, campaign_id, "
                "community_id FROM ledger WHERE player_id = ? ORDER BY created_at DESC, id DESC "
                "LIMIT ?",
                (player_id, limit),
            )
        return [
            LedgerEntryRow(
                int(r[0]), int(r[1]), float(r[2]), int(r[3]), r[4], r[5],
                None if r[6] is None else int(r[6]), None if r[7] is None else int(r[7]),
                None if r[8] is None else int(r[8]),
            )
            for r in rows
        ]  # fmt: skip
