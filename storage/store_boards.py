"""Leaderboards and ledger reads.

A window is a filter over the append-only ledger. Two readings of it:
- `board_top` / `board_entry` / `board_count` read the rollup (`board_totals`, `board_hist`;
  see storage/board_math.py), maintained in the answer batch: a top 10 and any player's rank
  in a few index lookups, however large the ledger. Ranks are competition ranks (equal
  points share a rank).
- `leaderboard` sums the ledger itself: the reference the rollup is tested against, also
  used for windows that are not the current ones (last week's winners).
"""

from __future__ import annotations

from typing import Any

from storage.board_math import (
    KEY_COL,
    POINTS_COL,
    BoardKey,
    bucket_bounds,
    bucket_of,
)
from storage.rows import BoardLine, BoardRow, LedgerEntryRow
from storage.sql_base import SqlBase


def _filters(key: BoardKey) -> tuple[str, list[Any]]:
    where = "b.scope = ? AND b.scope_id = ?"
    params: list[Any] = [key.scope, key.scope_id]
    col = KEY_COL[key.period]
    if col is not None:
        where += f" AND b.{col} = ?"
        params.append(key.period_key)
    return where, params


class BoardsMixin(SqlBase):
    async def board_top(self, key: BoardKey, limit: int = 10) -> list[BoardLine]:
        """The best `limit` visible players of a board, best first (ties by player id)."""
        pts = POINTS_COL[key.period]
        where, params = _filters(key)
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT b.player_id, p.display_name, b.{pts}, s.points FROM board_totals b "
                "JOIN players p ON p.id = b.player_id "
                "LEFT JOIN player_stats s ON s.player_id = b.player_id "
                f"WHERE {where} AND b.visible = 1 AND b.{pts} > 0 "
                f"ORDER BY b.{pts} DESC, b.player_id LIMIT ?",
                [*params, limit],
            )
        out: list[BoardLine] = []
        for i, r in enumerate(rows, start=1):
            points = int(r[2])
            rank = out[-1].rank if out and out[-1].points == points else i
            out.append(BoardLine(rank, int(r[0]), r[1], points, int(r[3] or 0)))
        return out

    async def board_entry(self, key: BoardKey, player_id: int) -> BoardLine | None:
        """A player's line on a board (None without points in the window). The rank counts
        visible players only, so a hidden player still learns where they would stand."""
        pts = POINTS_COL[key.period]
        where, params = _filters(key)
        async with self.db.read() as c:
            r = await c.fetchone(
                f"SELECT b.{pts}, p.display_name, s.points FROM board_totals b "
                "JOIN players p ON p.id = b.player_id "
                "LEFT JOIN player_stats s ON s.player_id = b.player_id "
                f"WHERE {where} AND b.player_id = ?",
                [*params, player_id],
            )
            if r is None or int(r[0]) <= 0:
                return None
            points = int(r[0])
            bucket = bucket_of(points)
            _, top_of_bucket = bucket_bounds(bucket)
            above = await c.fetchval(
                "SELECT (SELECT COALESCE(SUM(n), 0) FROM board_hist WHERE scope = ? AND "
                "scope_id = ? AND period = ? AND period_key = ? AND bucket > ?) + "
                f"(SELECT COUNT(*) FROM board_totals b WHERE {where} AND b.visible = 1 "
                f"AND b.{pts} > ? AND b.{pts} <= ?)",
                [
                    key.scope,
                    key.scope_id,
                    key.period,
                    key.period_key,
                    bucket,
                    *params,
                    points,
                    top_of_bucket,
                ],
            )
        return BoardLine(int(above) + 1, player_id, r[1], points, int(r[2] or 0))

    async def board_count(self, key: BoardKey) -> int:
        """How many visible players have points on a board."""
        async with self.db.read() as c:
            value = await c.fetchval(
                "SELECT COALESCE(SUM(n), 0) FROM board_hist WHERE scope = ? AND scope_id = ? "
                "AND period = ? AND period_key = ?",
                (key.scope, key.scope_id, key.period, key.period_key),
            )
        return int(value or 0)

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
                int(r[0]),
                int(r[1]),
                float(r[2]),
                int(r[3]),
                r[4],
                r[5],
                None if r[6] is None else int(r[6]),
                None if r[7] is None else int(r[7]),
                None if r[8] is None else int(r[8]),
            )
            for r in rows
        ]
