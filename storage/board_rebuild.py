"""Rebuild of the leaderboard rollup from the ledger, in set-based SQL on both backends
(`RewardsMixin.rebuild_boards` runs it in one transaction)."""

from __future__ import annotations

from collections.abc import Mapping
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
from storage.rewards_batch import HistDeltas, add_hist

_SCOPE_COLUMN = {SCOPE_GLOBAL: "0", SCOPE_COMMUNITY: "community_id", SCOPE_CAMPAIGN: "campaign_id"}
Window = tuple[int, int, int, int, int, int, int]
RECENT_DAYS = 8  # the current week and day always lie within the last 8 days


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
    cuts, windows, boards, default_zone = _windows(zones, default_tz, now)
    span = (
        "CASE "
        + " ".join(f"WHEN created_at >= ? THEN {i}" for i in reversed(range(len(cuts))))
        + " END"
    )
    await tx.execute("DELETE FROM board_totals")
    indexes = await _drop_indexes(tx, dialect, "board_totals")
    await _scratch_tables(tx, windows, boards)
    await tx.execute(
        "INSERT INTO rebuild_sums (player_id, campaign_id, community_id, span, pts) "
        "SELECT player_id, campaign_id, community_id, span, SUM(points) FROM (SELECT "
        f"player_id, campaign_id, community_id, {span} AS span, points FROM ledger "
        "WHERE points <> 0) l GROUP BY player_id, campaign_id, community_id, span",
        list(reversed(cuts)),
    )
    for scope, col in _SCOPE_COLUMN.items():
        await tx.execute(_regroup_sql(scope, col), (default_zone,))
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


def _windows(
    zones: Mapping[tuple[int, int], str], default_tz: str, now: float
) -> tuple[list[float], list[Window], list[tuple[int, int, int]], int]:
    """The cuts of `rebuild_totals` (sorted instants), each zone's current week and day as
    (zone, week key, first span, end span, day key, first span, end span), each board's zone
    number as (scope, scope id, zone), and the default zone's number."""
    since = now - RECENT_DAYS * 86400
    names = {name: _zone_name(name, default_tz) for name in {default_tz, *zones.values()}}
    order = sorted(set(names.values()))
    number = {name: z for z, name in enumerate(order)}
    bounds = []
    for name in order:
        (wk, wlo, whi), (dk, dlo, dhi) = period_bounds(now, ZoneInfo(name))
        bounds.append((wk, max(wlo, since), whi, dk, max(dlo, since), dhi))
    cuts: list[float] = sorted({since, *(b[i] for b in bounds for i in (1, 2, 4, 5))})
    at = {c: i for i, c in enumerate(cuts)}
    windows: list[Window] = [
        (z, wk, at[wlo], at[whi], dk, at[dlo], at[dhi])
        for z, (wk, wlo, whi, dk, dlo, dhi) in enumerate(bounds)
    ]
    boards = [(s, sid, number[names[n]]) for (s, sid), n in sorted(zones.items())]
    return cuts, windows, boards, number[names[default_tz]]


async def _scratch_tables(
    tx: Conn, windows: list[Window], boards: list[tuple[int, int, int]]
) -> None:
    """The scratch tables of `rebuild_totals`: per-span sums (empty), zones, windows."""
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
