"""Store queries of the rewards: reward snapshots, badges, streak history, board visibility,
announcement channels, reminder candidates, and the rebuild of the leaderboard rollup.

Writes made during an answer batch live in `storage.rewards_batch.RewardsTx`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from storage.board_math import (
    KEY_COL,
    PERIOD_ALL,
    PERIOD_DAY,
    PERIOD_WEEK,
    POINTS_COL,
    SCOPE_CAMPAIGN,
    SCOPE_COMMUNITY,
    SCOPE_GLOBAL,
    bucket_of,
    period_bounds,
)
from storage.driver import Conn
from storage.rewards_batch import (
    SNAPSHOT_SELECT,
    UPSERT_REWARDS,
    HistDeltas,
    add_hist,
    reward_params,
    snapshot_row,
)
from storage.rows import AnnounceTarget, BoardLine, RewardSnapshot, RewardsRow, StreakEventView
from storage.sql_base import SqlBase

log = logging.getLogger(__name__)

_SCOPE_COLUMN = {SCOPE_GLOBAL: "0", SCOPE_COMMUNITY: "community_id", SCOPE_CAMPAIGN: "campaign_id"}
RECENT_DAYS = 8  # the current week and day always lie within the last 8 days


class RewardsMixin(SqlBase):
    # snapshots ---------------------------------------------------------------------------

    async def reward_snapshot(self, player_id: int) -> RewardSnapshot | None:
        async with self.db.read() as c:
            r = await c.fetchone(
                SNAPSHOT_SELECT.format(source="(SELECT CAST(? AS BIGINT) AS id) k", pid="k.id"),
                (player_id,),
            )
        return None if r is None else snapshot_row(r)

    async def reward_snapshots(self, after_id: int, limit: int) -> list[RewardSnapshot]:
        """Players with id > `after_id`, in id order (the start-up pass walks them all)."""
        async with self.db.read() as c:
            rows = await c.fetch(
                SNAPSHOT_SELECT.format(
                    source="(SELECT id FROM players WHERE id > ? ORDER BY id LIMIT ?) k",
                    pid="k.id",
                )
                + " ORDER BY p.id",
                (after_id, limit),
            )
        return [snapshot_row(r) for r in rows]

    async def save_rewards(
        self, rows: Sequence[RewardsRow], awards: Sequence[tuple[int, str, float]], now: float
    ) -> None:
        """Reward rows and badge awards outside an answer batch (the start-up pass)."""
        async with self.db.transaction() as tx:
            await tx.executemany(UPSERT_REWARDS, [reward_params(r, now) for r in rows])
            await tx.executemany(
                "INSERT INTO player_badges (player_id, badge_id, awarded_at) VALUES (?, ?, ?) "
                "ON CONFLICT (player_id, badge_id) DO NOTHING",
                list(awards),
            )

    async def player_badges(self, player_id: int) -> list[tuple[str, float]]:
        """(badge id, awarded at) of every badge the player holds, oldest first."""
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT badge_id, awarded_at FROM player_badges WHERE player_id = ? "
                "ORDER BY awarded_at, badge_id",
                (player_id,),
            )
        return [(r[0], float(r[1])) for r in rows]

    async def streak_history(self, player_id: int, limit: int = 10) -> list[StreakEventView]:
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT at, day, kind, streak, text FROM streak_events WHERE player_id = ? "
                "ORDER BY at DESC, id DESC LIMIT ?",
                (player_id, limit),
            )
        return [StreakEventView(float(r[0]), r[1], r[2], int(r[3]), r[4]) for r in rows]

    async def set_reminded(self, player_id: int, day: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE player_rewards SET reminded_on = ? WHERE player_id = ?", (day, player_id)
            )

    async def reminder_candidates(self, min_streak: int) -> list[RewardSnapshot]:
        """Players who asked for streak reminders and have a streak of `min_streak` days."""
        async with self.db.read() as c:
            rows = await c.fetch(
                SNAPSHOT_SELECT.format(
                    source="(SELECT r.player_id AS id FROM player_rewards r JOIN players q "
                    "ON q.id = r.player_id WHERE q.reminders = 1 AND r.streak_current >= ?) k",
                    pid="k.id",
                ),
                (min_streak,),
            )
        return [snapshot_row(r) for r in rows]

    # visibility --------------------------------------------------------------------------

    async def set_board_visibility(self, player_id: int, visible: bool, now: float) -> None:
        """Show or hide a player on every board at once: `on_boards`, their rollup rows and
        the histogram counts change in one transaction (under the player's row lock, which
        the answer batch takes too)."""
        async with self.db.transaction() as tx:
            await tx.fetchval(
                f"SELECT id FROM players WHERE id = ?{self.for_update}", (player_id,)
            )
            await tx.execute(
                "INSERT INTO player_rewards (player_id, on_boards, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (player_id) DO UPDATE SET on_boards = excluded.on_boards, "
                "updated_at = excluded.updated_at",
                (player_id, int(visible), now),
            )
            hist = await self._player_hist(tx, player_id, 1 if visible else -1,
                                           flip_to=visible)  # fmt: skip
            await tx.execute(
                "UPDATE board_totals SET visible = ? WHERE player_id = ? AND visible <> ?",
                (int(visible), player_id, int(visible)),
            )
            await add_hist(tx, hist, self.chunks(0, 6))

    async def _before_player_delete(self, tx: Conn, player_id: int) -> None:
        """A deleted player's rollup rows go, and their histogram counts with them (the
        rollup has no foreign key: see 002_rewards.sql)."""
        await super()._before_player_delete(tx, player_id)
        hist = await self._player_hist(tx, player_id, -1, flip_to=False)
        await tx.execute("DELETE FROM board_totals WHERE player_id = ?", (player_id,))
        await add_hist(tx, hist, self.chunks(0, 6))

    async def _player_hist(
        self, tx: Conn, player_id: int, sign: int, *, flip_to: bool
    ) -> HistDeltas:
        """Histogram changes for the player's rows whose visibility is not `flip_to` yet:
        `sign` +1 adds them to the counts, -1 takes them out."""
        rows = await tx.fetch(
            "SELECT scope, scope_id, visible, all_pts, week_key, week_pts, day_key, day_pts "
            f"FROM board_totals WHERE player_id = ?{self.for_update}",
            (player_id,),
        )
        hist = HistDeltas()
        for r in rows:
            if bool(int(r[2])) == flip_to:
                continue
            scope, sid = int(r[0]), int(r[1])
            for period, key, pts in ((PERIOD_ALL, 0, r[3]), (PERIOD_WEEK, r[4], r[5]),
                                     (PERIOD_DAY, r[6], r[7])):  # fmt: skip
                if int(pts) > 0:
                    board = (scope, sid, period, int(key))
                    if sign > 0:
                        hist.move(board, 0, int(pts))
                    else:
                        hist.move(board, int(pts), 0)
        return hist

    # announcements -----------------------------------------------------------------------

    async def set_announce_channel(self, community_id: int, channel_id: int | None) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE communities SET announce_channel_id = ? WHERE id = ?",
                (channel_id, community_id),
            )

    async def announce_targets(self) -> list[AnnounceTarget]:
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT c.id, c.name, c.timezone, ch.platform, ch.external_id FROM communities c "
                "JOIN channels ch ON ch.id = c.announce_channel_id ORDER BY c.id"
            )
        return [AnnounceTarget(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows]

    async def set_meta(self, key: str, value: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    async def ledger_top(
        self, community_id: int, since: float, until: float, limit: int
    ) -> list[BoardLine]:
        """The best visible players of a community's ledger in [since, until), for windows
        that are over (last week's winners); competition ranks."""
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT t.player_id, p.display_name, t.pts, s.points FROM (SELECT player_id, "
                "SUM(points) AS pts FROM ledger WHERE community_id = ? AND created_at >= ? "
                "AND created_at < ? GROUP BY player_id) t JOIN players p ON p.id = t.player_id "
                "LEFT JOIN player_stats s ON s.player_id = t.player_id "
                "WHERE p.hidden = 0 AND t.pts > 0 ORDER BY t.pts DESC, t.player_id LIMIT ?",
                (community_id, since, until, limit),
            )
        out: list[BoardLine] = []
        for i, r in enumerate(rows, start=1):
            pts = int(r[2])
            rank = out[-1].rank if out and out[-1].points == pts else i
            out.append(BoardLine(rank, int(r[0]), r[1], pts, int(r[3] or 0)))
        return out

    async def has_ledger(self) -> bool:
        async with self.db.read() as c:
            return await c.fetchval("SELECT 1 FROM ledger LIMIT 1") is not None

    # rebuild -----------------------------------------------------------------------------

    async def rebuild_boards(self, zones: Mapping[tuple[int, int], str], default_tz: str,
                             now: float) -> int:  # fmt: skip
        """Recompute the rollup from the ledger (after migrating a store that already had a
        ledger, or to repair), in one transaction: `rebuild_totals`, then `rebuild_hist`.
        `zones` maps (scope, scope_id) to a time-zone name; others, and unknown names (as the
        answer batch does), use `default_tz`. Returns the number of rollup rows written."""
        async with self.db.transaction() as tx:
            if self.db.dialect == "postgres":  # sums and index sorts: this transaction only
                await tx.execute("SET LOCAL work_mem = '256MB'")
                await tx.execute("SET LOCAL maintenance_work_mem = '256MB'")
            await rebuild_totals(tx, self.db.dialect, zones, default_tz, now)
            await rebuild_hist(tx, self.chunks(0, 6))
            written = int(await tx.fetchval("SELECT COUNT(*) FROM board_totals"))
        log.info("rebuilt the leaderboard rollup: %d rows", written)
        return written


async def rebuild_totals(
    tx: Conn, dialect: str, zones: Mapping[tuple[int, int], str], default_tz: str, now: float
) -> None:
    """Replace `board_totals` with the rollup of the ledger (see `rebuild_boards`).

    Rules: one row per (scope, scope id, player) with ledger rows of non-zero points in that
    scope (global: all; community / campaign: rows naming one); `all_pts` is their sum. A row
    with such ledger rows in the last RECENT_DAYS days gets the current week and day keys of
    its scope's zone at `now`, and `week_pts` / `day_pts` the sums of those recent rows inside
    that week / day; other rows keep keys 0 and 0 points. `visible` is 0 for hidden players.

    Set-based SQL: the "cuts" (the instant RECENT_DAYS days before `now`, and the start and
    end of the current week and day of every zone in use, a handful, computed here) split
    time into spans, each wholly inside or outside every zone's current week and day. One
    pass over the ledger sums points per (player, campaign, community, span) into a scratch
    table (span NULL before the first cut); each scope regroups those sums, reading its
    zone's week and day as span ranges from a small scratch table. The secondary indexes of
    `board_totals` are dropped while it is filled and made again from their own definitions
    (one sort each instead of millions of scattered index updates)."""
    since = now - RECENT_DAYS * 86400
    names = {name: _zone_name(name, default_tz) for name in {default_tz, *zones.values()}}
    order = sorted(set(names.values()))
    number = {name: z for z, name in enumerate(order)}
    bounds = []
    for name in order:
        (wk, wlo, whi), (dk, dlo, dhi) = period_bounds(now, ZoneInfo(name))
        bounds.append((wk, max(wlo, since), whi, dk, max(dlo, since), dhi))
    cuts = sorted({since, *(b[i] for b in bounds for i in (1, 2, 4, 5))})
    at = {c: i for i, c in enumerate(cuts)}
    windows = [(z, wk, at[wlo], at[whi], dk, at[dlo], at[dhi])
               for z, (wk, wlo, whi, dk, dlo, dhi) in enumerate(bounds)]  # fmt: skip
    boards = [(s, sid, number[names[n]]) for (s, sid), n in sorted(zones.items())]
    span = "CASE " + " ".join(
        f"WHEN created_at >= ? THEN {i}" for i in reversed(range(len(cuts)))
    ) + " END"  # fmt: skip
    await tx.execute("DELETE FROM board_totals")
    indexes = await _drop_indexes(tx, dialect, "board_totals")
    await tx.execute(
        "CREATE TEMP TABLE rebuild_sums (player_id BIGINT NOT NULL, campaign_id BIGINT, "
        "community_id BIGINT, span INTEGER, pts BIGINT NOT NULL)"
    )
    await tx.execute(
        "CREATE TEMP TABLE rebuild_zones (scope INTEGER NOT NULL, scope_id BIGINT NOT "
        "NULL, zone INTEGER NOT NULL, PRIMARY KEY (scope, scope_id))"
    )
    await tx.execute(
        "CREATE TEMP TABLE rebuild_windows (zone INTEGER PRIMARY KEY, week_key INTEGER "
        "NOT NULL, week_lo INTEGER NOT NULL, week_hi INTEGER NOT NULL, day_key INTEGER "
        "NOT NULL, day_lo INTEGER NOT NULL, day_hi INTEGER NOT NULL)"
    )
    await tx.executemany(
        "INSERT INTO rebuild_windows (zone, week_key, week_lo, week_hi, day_key, "
        "day_lo, day_hi) VALUES (?, ?, ?, ?, ?, ?, ?)",
        windows,
    )
    await tx.executemany(
        "INSERT INTO rebuild_zones (scope, scope_id, zone) VALUES (?, ?, ?)", boards
    )
    await tx.execute(
        "INSERT INTO rebuild_sums (player_id, campaign_id, community_id, span, pts) "
        "SELECT player_id, campaign_id, community_id, span, SUM(points) FROM (SELECT "
        f"player_id, campaign_id, community_id, {span} AS span, points FROM ledger "
        "WHERE points <> 0) l GROUP BY player_id, campaign_id, community_id, span",
        list(reversed(cuts)),
    )
    for scope, col in _SCOPE_COLUMN.items():
        await tx.execute(_regroup_sql(scope, col), (number[names[default_tz]],))
    await tx.execute("DROP TABLE rebuild_sums")
    await tx.execute("DROP TABLE rebuild_zones")
    await tx.execute("DROP TABLE rebuild_windows")
    for sql in indexes:
        await tx.execute(sql)


async def rebuild_hist(tx: Conn, max_params: int) -> None:
    """Replace `board_hist` with the counts of the visible `board_totals` rows per bucket
    (`board_math.bucket_of`) of each positive total, per board and period key: the distinct
    totals and their counts are read back and bucketed here."""
    await tx.execute("DELETE FROM board_hist")
    hist = HistDeltas()
    for period in (PERIOD_ALL, PERIOD_WEEK, PERIOD_DAY):
        pts, key = POINTS_COL[period], KEY_COL[period]
        by = f"{pts}" if key is None else f"{key}, {pts}"  # GROUP BY 0: a position
        for r in await tx.fetch(
            f"SELECT scope, scope_id, {key or '0'}, {pts}, COUNT(*) FROM board_totals "
            f"WHERE visible = 1 AND {pts} > 0 GROUP BY scope, scope_id, {by}"
        ):
            board = (int(r[0]), int(r[1]), period, int(r[2]), bucket_of(int(r[3])))
            hist.n[board] += int(r[4])
    await add_hist(tx, hist, max_params)


async def _drop_indexes(tx: Conn, dialect: str, table: str) -> list[str]:
    """Drop the secondary indexes of `table` (not those of its constraints); returns their
    CREATE statements."""
    if dialect == "postgres":
        rows = await tx.fetch(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = "
            "current_schema() AND i.tablename = ? AND NOT EXISTS (SELECT 1 FROM pg_constraint "
            "k WHERE k.conname = i.indexname AND k.connamespace = "
            "current_schema()::regnamespace)",
            (table,),
        )
    else:
        rows = await tx.fetch(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name = ?",
            (table,),
        )
    for r in rows:
        await tx.execute(f"DROP INDEX {r[0]}")
    return [str(r[1]) for r in rows]


def _zone_name(name: str, default: str) -> str:
    """`name` if it is a known time zone, else `default` (what the answer batch uses)."""
    try:
        ZoneInfo(name or default)
    except (ValueError, KeyError):
        return default
    return name or default


def _regroup_sql(scope: int, col: str) -> str:
    """INSERT of one scope's rollup rows from `rebuild_sums` (see `rebuild_boards`); the
    parameter is the default zone's number. A row has a span iff it has recent ledger rows."""
    sid = "0" if scope == SCOPE_GLOBAL else f"s.{col}"
    # GROUP BY 0 would name a select-list position: the global board groups by player only
    group = "s.player_id" if scope == SCOPE_GLOBAL else f"{sid}, s.player_id"
    where = "" if scope == SCOPE_GLOBAL else f" WHERE {sid} IS NOT NULL"
    return (
        "INSERT INTO board_totals (scope, scope_id, player_id, visible, all_pts, week_key, "
        f"week_pts, day_key, day_pts) SELECT {scope}, {sid}, s.player_id, CASE WHEN EXISTS "
        "(SELECT 1 FROM players p WHERE p.id = s.player_id AND p.hidden = 1) THEN 0 ELSE 1 "
        "END, SUM(s.pts), CASE WHEN MAX(s.span) IS NULL THEN 0 ELSE MAX(w.week_key) END, "
        "SUM(CASE WHEN s.span >= w.week_lo AND s.span < w.week_hi THEN s.pts ELSE 0 END), "
        "CASE WHEN MAX(s.span) IS NULL THEN 0 ELSE MAX(w.day_key) END, "
        "SUM(CASE WHEN s.span >= w.day_lo AND s.span < w.day_hi THEN s.pts ELSE 0 END) "
        f"FROM rebuild_sums s LEFT JOIN rebuild_zones b ON b.scope = {scope} AND "
        f"b.scope_id = {sid} JOIN rebuild_windows w ON w.zone = COALESCE(b.zone, ?)"
        f"{where} GROUP BY {group}"
    )
