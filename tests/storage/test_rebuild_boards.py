"""`SqlStore.rebuild_boards` (set-based SQL) against the previous algorithm (the rollup built in
Python dictionaries, kept below as the reference), on both backends, over a varied ledger:
several time zones (boards on different local days and weeks, half-hour and 45-minute offsets,
a zone name the store does not know), hidden players, rows without community or campaign,
rows in the current and earlier days and weeks, in the future, exactly on day boundaries,
zero and negative points, and totals that cancel out."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from storage import SqlStore
from storage.board_math import (
    PERIOD_ALL,
    PERIOD_DAY,
    PERIOD_WEEK,
    SCOPE_CAMPAIGN,
    SCOPE_COMMUNITY,
    SCOPE_GLOBAL,
    PeriodClock,
    day_start,
    period_keys,
)
from storage.board_rebuild import RECENT_DAYS
from storage.rewards_batch import HistDeltas, add_hist
from storage.sql_base import marks

UTC = ZoneInfo("UTC")
_SCOPE_COLUMN = {SCOPE_GLOBAL: "0", SCOPE_COMMUNITY: "community_id", SCOPE_CAMPAIGN: "campaign_id"}
ZONES = {
    (SCOPE_GLOBAL, 0): "Europe/Berlin",
    (SCOPE_COMMUNITY, 1): "Asia/Tokyo",
    (SCOPE_COMMUNITY, 2): "America/New_York",
    (SCOPE_COMMUNITY, 3): "Asia/Kathmandu",  # +05:45
    (SCOPE_CAMPAIGN, 10): "Asia/Tokyo",
    (SCOPE_CAMPAIGN, 11): "Pacific/Kiritimati",  # +14:00
    (SCOPE_CAMPAIGN, 12): "Australia/Adelaide",  # +10:30 / +09:30
}
DEFAULT_TZ = "America/Los_Angeles"  # community 4 and campaigns 13-15
NOWS = {
    # Sunday 23:30 UTC: already Monday (a new week) in Tokyo, Berlin and Kiritimati
    "week_turns": datetime(2026, 1, 4, 23, 30, tzinfo=UTC).timestamp(),
    # the night New York moves its clocks forward (a 23-hour local day)
    "dst_night": datetime(2026, 3, 8, 6, 45, tzinfo=UTC).timestamp(),
    # Wednesday noon UTC: most zones in the middle of their week
    "midweek": datetime(2026, 6, 17, 12, 0, tzinfo=UTC).timestamp(),
}


async def reference_rebuild(
    store: SqlStore, zones: Mapping[tuple[int, int], str], default_tz: str, now: float
) -> int:
    """The previous `rebuild_boards`: the whole rollup and the recent ledger in Python."""
    async with store.db.transaction() as tx:
        await tx.execute("DELETE FROM board_totals")
        await tx.execute("DELETE FROM board_hist")
        hidden = {int(r[0]) for r in await tx.fetch("SELECT id FROM players WHERE hidden = 1")}
        totals: dict[tuple[int, int, int], list[int]] = {}
        for scope, col in _SCOPE_COLUMN.items():
            group = "player_id" if scope == SCOPE_GLOBAL else f"{col}, player_id"
            for r in await tx.fetch(
                f"SELECT {col}, player_id, SUM(points) FROM ledger WHERE points <> 0 "
                f"AND {col} IS NOT NULL GROUP BY {group}"
            ):
                totals[(scope, int(r[0]), int(r[1]))] = [int(r[2]), 0, 0, 0, 0]
        clock = PeriodClock()
        cache: dict[str, Any] = {}
        current: dict[tuple[int, int], tuple[int, int]] = {}
        sums: dict[tuple[int, int, int], list[int]] = defaultdict(lambda: [0, 0])
        for r in await tx.fetch(
            "SELECT player_id, community_id, campaign_id, created_at, points FROM ledger "
            "WHERE created_at >= ? AND points <> 0",
            (now - RECENT_DAYS * 86400,),
        ):
            pid, ts, pts = int(r[0]), float(r[3]), int(r[4])
            for scope, sid in ((SCOPE_GLOBAL, 0), (SCOPE_COMMUNITY, r[1]), (SCOPE_CAMPAIGN, r[2])):
                if sid is None:
                    continue
                board = (scope, int(sid))
                name = zones.get(board, default_tz)
                zone = cache.setdefault(name, ZoneInfo(name))
                if board not in current:
                    current[board] = clock.keys(now, zone)
                week, day = clock.keys(ts, zone)
                acc = sums[(scope, int(sid), pid)]
                acc[0] += pts if week == current[board][0] else 0
                acc[1] += pts if day == current[board][1] else 0
        for line, (wpts, dpts) in sums.items():
            row = totals.setdefault(line, [0, 0, 0, 0, 0])
            week, day = current[line[:2]]
            row[1:] = [week, wpts, day, dpts]
        rows = sorted(totals.items())
        hist = HistDeltas()
        params = []
        for (scope, sid, pid), (all_pts, wk, wpts, dk, dpts) in rows:
            visible = pid not in hidden
            params.append((scope, sid, pid, int(visible), all_pts, wk, wpts, dk, dpts))
            if visible:
                for period, key, pts in (
                    (PERIOD_ALL, 0, all_pts),
                    (PERIOD_WEEK, wk, wpts),
                    (PERIOD_DAY, dk, dpts),
                ):
                    hist.move((scope, sid, period, key), 0, pts)
        step = store.chunks(0, 9)
        for i in range(0, len(params), step):
            chunk = params[i : i + step]
            await tx.execute(
                "INSERT INTO board_totals (scope, scope_id, player_id, visible, all_pts, "
                f"week_key, week_pts, day_key, day_pts) VALUES {marks(len(chunk), 9)}",
                [v for row in chunk for v in row],
            )
        await add_hist(tx, hist, store.chunks(0, 6))
    return len(params)


Dump = tuple[list[tuple[int, ...]], list[tuple[int, ...]]]


async def dump(store: SqlStore) -> Dump:
    async with store.db.read() as c:
        totals = await c.fetch(
            "SELECT scope, scope_id, player_id, visible, all_pts, week_key, "
            "week_pts, day_key, day_pts FROM board_totals "
            "ORDER BY scope, scope_id, player_id"
        )
        hist = await c.fetch(
            "SELECT scope, scope_id, period, period_key, bucket, n FROM "
            "board_hist WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5"
        )
    return (
        [tuple(int(r[i]) for i in range(9)) for r in totals],
        [tuple(int(r[i]) for i in range(6)) for r in hist],
    )


async def seed(store: SqlStore, now: float, rng: random.Random) -> None:
    """40 players (ids 7, 17, 27, 37 hidden) and 1,500 ledger rows (see the module docstring)."""
    edges = [now - RECENT_DAYS * 86400, now + 1.0]
    for name in {*ZONES.values(), DEFAULT_TZ}:
        week, day = period_keys(now, ZoneInfo(name))
        edges += [
            day_start(k, ZoneInfo(name)) + d
            for k in (week, week + 7, day, day + 1)
            for d in (-0.25, 0.0)
        ]
    rows = []
    for j in range(1500):
        if j % 5 == 0:
            at = rng.choice(edges)
        elif j % 5 == 1:
            at = now + rng.uniform(0, 2 * 86400)
        else:
            at = now - rng.uniform(0, 20 * 86400)
        points = rng.choice([10, 10, 10, 1, 2, 15, 5, 8, 0, -10, -3, 700, 2500, 40_000])
        community = rng.choice([None, 1, 2, 3, 4, 4])
        campaign = rng.choice([None, 10, 11, 12, 13, 14, 15])
        rows.append((1 + rng.randrange(40), at, points, community, campaign))
    rows.append((3, now - 86400 * 30, 25, 1, 10))  # an old row only: keys stay 0
    rows += [(5, now - 3600, 12, 2, 11), (5, now - 1800, -12, 2, 11)]  # cancels out
    async with store.db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO players (id, display_name, created_at, consent_version, hidden) "
            "VALUES (?, ?, ?, 1, ?)",
            [(p, f"P{p}", now, int(p % 10 == 7)) for p in range(1, 41)],
        )
        await tx.executemany(
            "INSERT INTO ledger (player_id, created_at, points, kind, community_id, "
            "campaign_id) VALUES (?, ?, ?, 'base', ?, ?)",
            rows,
        )


@pytest.mark.parametrize("moment", sorted(NOWS))
async def test_rebuild_equals_the_previous_algorithm(store: SqlStore, moment: str) -> None:
    now = NOWS[moment]
    await seed(store, now, random.Random(moment))
    expected_rows = await reference_rebuild(store, ZONES, DEFAULT_TZ, now)
    expected = await dump(store)
    assert await store.rebuild_boards(ZONES, DEFAULT_TZ, now) == expected_rows
    assert await dump(store) == expected

    totals, hist = expected
    # the ledger was varied enough to matter: hidden rows, boards on different current
    # weeks and days, old-only rows (keys 0), totals of 0 and below, wide buckets
    assert {r[3] for r in totals} == {0, 1}
    if moment == "week_turns":
        assert len({r[5] for r in totals if r[5]}) >= 2
    assert len({r[7] for r in totals if r[7]}) >= 2
    assert any(r[5] == 0 for r in totals) and any(r[4] <= 0 for r in totals)
    assert any(r[6] > 0 for r in totals) and any(r[8] > 0 for r in totals)
    assert {r[2] for r in hist} == {PERIOD_ALL, PERIOD_WEEK, PERIOD_DAY}
    assert any(r[4] >= 1024 for r in hist)


async def test_rebuild_twice_and_unknown_zone_names_use_the_default(store: SqlStore) -> None:
    """A zone name the store does not know counts as the default zone (as in the answer
    batch); a second rebuild writes the same rollup again, and the board indexes are back."""
    now = NOWS["week_turns"]
    await seed(store, now, random.Random(3))
    odd = {**ZONES, (SCOPE_COMMUNITY, 2): "Mars/Olympus_Mons", (SCOPE_CAMPAIGN, 11): ""}
    fixed = {k: v for k, v in odd.items() if k not in {(SCOPE_COMMUNITY, 2), (SCOPE_CAMPAIGN, 11)}}
    await reference_rebuild(store, fixed, DEFAULT_TZ, now)
    expected = await dump(store)
    n = await store.rebuild_boards(odd, DEFAULT_TZ, now)
    assert await dump(store) == expected
    assert await store.rebuild_boards(odd, DEFAULT_TZ, now) == n == len(expected[0])
    assert await board_indexes(store) == {"board_all", "board_day", "board_week"}


async def board_indexes(store: SqlStore) -> set[str]:
    """The secondary indexes of board_totals (dropped and made again by the rebuild)."""
    sql = (
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND "
        "tablename = 'board_totals' AND indexname NOT LIKE '%pkey'"
        if store.dialect == "postgres"
        else "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'board_totals' "
        "AND sql IS NOT NULL"
    )
    async with store.db.read() as c:
        return {str(r[0]) for r in await c.fetch(sql)}


async def test_an_empty_ledger_rebuilds_an_empty_rollup(store: SqlStore) -> None:
    assert await store.rebuild_boards({}, "UTC", NOWS["midweek"]) == 0
    assert await dump(store) == ([], [])
