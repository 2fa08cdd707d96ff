"""Reward writes inside the answer batch's transaction (the storage half of the rewards hook).

Like `storage.batch.AnswerTx`, every method writes or reads many rows per statement, in the
few fixed sizes of `storage.batch_sql.pieces` (prepared statements are reused): one joined SELECT
of the touched players, one upsert of their reward rows, one insert each for streak events
and badge awards, one upsert with RETURNING of the board rollup and one upsert of the
histogram deltas it implies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from storage.batch_sql import (
    READ_KEYS,
    distinct_rounds,
    fetch_rows,
    key_chunks,
    keys_values,
    write_rows,
)
from storage.board_math import (
    EXACT_BELOW,
    KEY_COL,
    PERIOD_ALL,
    PERIOD_DAY,
    PERIOD_WEEK,
    POINTS_COL,
    bucket_of,
)
from storage.driver import Conn, Row
from storage.rows import BoardDelta, RewardSnapshot, RewardsRow, StreakEventRow
from storage.sql_base import dumps, loads, marks

if TYPE_CHECKING:
    from storage.batch import AnswerTx

REWARD_COLS = (
    "level, on_boards, streak_current, streak_best, streak_last_at, freezes, toward_freeze, "
    "reminded_on, games, platforms, campaigns, first_correct, correct_guesses, "
    "items_finalized, right_run, right_best, badges"
)
_REWARD_NAMES = [c.strip() for c in REWARD_COLS.split(",")]
SNAPSHOT_SELECT = (
    "SELECT p.id, p.display_name, p.hidden, p.reminders, p.home_community_id, "
    "s.points, s.answers, s.gold_answered, s.gold_right, s.settled, s.agreed, s.counters, "
    "c.timezone, c.name, ch.platform, ch.external_id, r.player_id, "
    + ", ".join(f"r.{c}" for c in _REWARD_NAMES)
    + " FROM {source} JOIN players p ON p.id = {pid} "
    "LEFT JOIN player_stats s ON s.player_id = p.id "
    "LEFT JOIN player_rewards r ON r.player_id = p.id "
    "LEFT JOIN communities c ON c.id = p.home_community_id "
    "LEFT JOIN channels ch ON ch.id = c.announce_channel_id"
)
_REWARD_WIDTH = len(_REWARD_NAMES) + 2
UPSERT_REWARDS = (
    f"INSERT INTO player_rewards (player_id, {REWARD_COLS}, updated_at) VALUES "
    f"({', '.join(['?'] * _REWARD_WIDTH)}) ON CONFLICT (player_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in [*_REWARD_NAMES, "updated_at"])
)


_reward_values = attrgetter(*_REWARD_NAMES)


def reward_params(row: RewardsRow, now: float) -> tuple[Any, ...]:
    """The parameters of `UPSERT_REWARDS` for one row."""
    values = list(_reward_values(row))
    values[1] = int(row.on_boards)
    return (row.player_id, *values, now)


@cache
def upsert_rewards(n: int) -> str:
    """`UPSERT_REWARDS` for n rows."""
    return UPSERT_REWARDS.replace(marks(1, _REWARD_WIDTH), marks(n, _REWARD_WIDTH), 1)


def snapshot_row(r: Row) -> RewardSnapshot:
    pid = int(r[0])
    stored = r[16] is not None
    if stored:
        rewards = RewardsRow(
            pid,
            int(r[17]),
            bool(r[18]),
            int(r[19]),
            int(r[20]),
            None if r[21] is None else float(r[21]),
            int(r[22]),
            int(r[23]),
            r[24],
            r[25],
            r[26],
            int(r[27]),
            int(r[28]),
            int(r[29]),
            int(r[30]),
            int(r[31]),
            int(r[32]),
            r[33],
        )
    else:
        rewards = RewardsRow(pid, on_boards=not r[2])
    return RewardSnapshot(
        pid,
        r[1],
        bool(r[2]),
        bool(r[3]),
        None if r[4] is None else int(r[4]),
        int(r[5] or 0),
        int(r[6] or 0),
        int(r[7] or 0),
        int(r[8] or 0),
        int(r[9] or 0),
        int(r[10] or 0),
        {} if r[11] == "{}" else loads(r[11]),
        r[12],
        r[13],
        r[14],
        r[15],
        rewards,
        stored,
    )


@dataclass
class HistDeltas:
    """Net changes of `board_hist` counts, keyed (scope, scope_id, period, key, bucket)."""

    n: dict[tuple[int, int, int, int, int], int] = field(default_factory=lambda: defaultdict(int))

    def move(self, board: tuple[int, int, int, int], old: int, new: int) -> None:
        """A visible player's total in `board` went from `old` to `new` (0: not on it)."""
        if old > 0:
            self.n[(*board, bucket_of(old))] -= 1
        if new > 0:
            self.n[(*board, bucket_of(new))] += 1

    def rows(self) -> list[tuple[int, int, int, int, int, int]]:
        return sorted((*k, v) for k, v in self.n.items() if v != 0)


class RewardsTx:
    """Reward statements on the connection of an open answer batch."""

    def __init__(self, conn: Conn, dialect: str, max_params: int) -> None:
        self.c = conn
        self._pg = dialect == "postgres"
        self._max = max_params

    @staticmethod
    def of(tx: AnswerTx) -> RewardsTx:
        """The rewards view of an answer batch (same connection, same transaction)."""
        return tx.rewards

    def _keys(self, ids: Iterable[int]) -> list[tuple[int, list[int]]]:
        uniq = sorted(set(ids))
        return key_chunks([(i,) for i in uniq], min(READ_KEYS, self._max))

    async def load(self, player_ids: Iterable[int]) -> dict[int, RewardSnapshot]:
        """Snapshots of the players, their player rows locked for the batch (PostgreSQL).

        The lock is taken by a statement of its own, in id order, BEFORE the snapshot is
        read: under READ COMMITTED a statement reads the rows it joins as of its start, so a
        snapshot read by the locking statement itself would miss what a batch of another
        process committed while this one waited (a badge awarded twice, a streak lost)."""
        out: dict[int, RewardSnapshot] = {}
        chunks = self._keys(player_ids)
        if self._pg:
            for n, ids in chunks:
                await self.c.fetch(
                    f"SELECT id FROM players WHERE id IN ({marks(n)}) ORDER BY id FOR UPDATE",
                    ids,
                )
        for n, ids in chunks:
            sql = keys_values(("p",), n) + SNAPSHOT_SELECT.format(source="k", pid="k.p")
            for r in await self.c.fetch(sql, ids):
                snap = snapshot_row(r)
                out[snap.player_id] = snap
        return out

    async def community_zones(self, community_ids: Sequence[int]) -> dict[int, str]:
        """Time-zone names of communities (the day boundary of their boards)."""
        out: dict[int, str] = {}
        for n, ids in self._keys(community_ids):
            rows = await self.c.fetch(
                f"SELECT id, timezone FROM communities WHERE id IN ({marks(n)})", ids
            )
            out.update({int(r[0]): r[1] for r in rows})
        return out

    async def save(self, rows: Sequence[RewardsRow], now: float) -> None:
        """Upsert the reward rows (a player given twice: the later row wins)."""
        ordered = sorted(rows, key=lambda r: r.player_id)
        for part in distinct_rounds(ordered, lambda r: r.player_id):
            params = [reward_params(r, now) for r in part]
            await write_rows(self.c, upsert_rewards, params, self._max)

    async def add_streak_events(self, events: Sequence[StreakEventRow]) -> None:
        rows = [(e.player_id, e.at, e.day, e.kind, e.streak, e.text) for e in events]
        await write_rows(self.c, _streak_events_sql, rows, self._max)

    async def award(self, awards: Sequence[tuple[int, str, float]]) -> None:
        """Record (player, badge id, time) awards; a badge already held stays as it was (a
        badge given twice in one call keeps the first time)."""
        await write_rows(self.c, _award_sql, awards, self._max)

    async def save_counters(self, counters: Sequence[tuple[int, dict[str, Any]]]) -> None:
        """Replace the `player_stats.counters` JSON of each (player, counters)."""
        if counters:
            await self.c.executemany(
                "UPDATE player_stats SET counters = ? WHERE player_id = ?",
                [(dumps(values), pid) for pid, values in sorted(counters, key=lambda x: x[0])],
            )

    async def add_board_points(self, deltas: Sequence[BoardDelta]) -> None:
        """Add points to the rollup rows and move the players between histogram buckets.

        A period key only moves forward: points for an older day or week than the row's
        (a late entry) leave that window alone, as they are outside the current one."""
        hist = HistDeltas()
        for part in _one_per_row(deltas):
            await self._upsert_totals(part, hist)
        await add_hist(self.c, hist, self._max)

    async def _upsert_totals(self, chunk: Sequence[BoardDelta], hist: HistDeltas) -> None:
        rows = await fetch_rows(
            self.c,
            _upsert_totals_sql,
            [
                (
                    d.scope,
                    d.scope_id,
                    d.player_id,
                    int(d.visible),
                    d.points,
                    d.week_key,
                    d.points,
                    d.day_key,
                    d.points,
                )
                for d in chunk
            ],
            self._max,
        )
        sent = {(d.scope, d.scope_id, d.player_id): d for d in chunk}
        n = hist.n
        # per window: the new total comes back, the old one is new - points; a week or day
        # key that is not the delta's own means a late entry for an older window: no move
        for r in rows:
            if not r[3]:
                continue
            scope, sid, pid, all_new, week, week_new, day, day_new = (
                r[0],
                r[1],
                r[2],
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
            )
            d = sent[(scope, sid, pid)]
            got = d.points
            for period, key, new in (
                (PERIOD_ALL, 0, all_new),
                (PERIOD_WEEK, week, week_new if week == d.week_key else None),
                (PERIOD_DAY, day, day_new if day == d.day_key else None),
            ):
                if new is None:
                    continue
                old = new - got
                if old > 0:
                    n[(scope, sid, period, key, old if old < EXACT_BELOW else bucket_of(old))] -= 1
                if new > 0:
                    n[(scope, sid, period, key, new if new < EXACT_BELOW else bucket_of(new))] += 1


@cache
def _streak_events_sql(n: int) -> str:
    return (
        f"INSERT INTO streak_events (player_id, at, day, kind, streak, text) VALUES {marks(n, 6)}"
    )


@cache
def _award_sql(n: int) -> str:
    return (
        f"INSERT INTO player_badges (player_id, badge_id, awarded_at) VALUES {marks(n, 3)} "
        "ON CONFLICT (player_id, badge_id) DO NOTHING"
    )


def _window(period: int) -> str:
    """SET clauses of one window: add within the same key, restart on a newer key."""
    pts, key, t = POINTS_COL[period], KEY_COL[period], "board_totals"
    return (
        f"{pts} = CASE WHEN excluded.{key} = {t}.{key} THEN {t}.{pts} + excluded.{pts} "
        f"WHEN excluded.{key} > {t}.{key} THEN excluded.{pts} ELSE {t}.{pts} END, "
        f"{key} = CASE WHEN excluded.{key} > {t}.{key} THEN excluded.{key} ELSE {t}.{key} END"
    )


UPSERT_TOTALS = (
    "INSERT INTO board_totals (scope, scope_id, player_id, visible, all_pts, week_key, "
    "week_pts, day_key, day_pts) VALUES {values} ON CONFLICT (scope, scope_id, player_id) "
    "DO UPDATE SET all_pts = board_totals.all_pts + excluded.all_pts, "
    + _window(PERIOD_WEEK)
    + ", "
    + _window(PERIOD_DAY)
    + " RETURNING scope, scope_id, player_id, visible, all_pts, week_key, week_pts, day_key, "
    "day_pts"
)
UPSERT_HIST = (
    "INSERT INTO board_hist (scope, scope_id, period, period_key, bucket, n) VALUES {values} "
    "ON CONFLICT (scope, scope_id, period, period_key, bucket) "
    "DO UPDATE SET n = board_hist.n + excluded.n"
)


async def add_hist(c: Conn, hist: HistDeltas, max_params: int) -> None:
    """Add the histogram deltas (multi-row upserts, see `storage.batch_sql.write_rows`)."""
    await write_rows(c, _upsert_hist_sql, hist.rows(), max_params)


@cache
def _upsert_hist_sql(n: int) -> str:
    return UPSERT_HIST.format(values=marks(n, 6))


@cache
def _upsert_totals_sql(n: int) -> str:
    return UPSERT_TOTALS.format(values=marks(n, 9))


def _one_per_row(deltas: Sequence[BoardDelta]) -> list[list[BoardDelta]]:
    """Group deltas so each statement touches a row once (one upsert cannot update a row
    twice): sum per (row, week, day); a second window of the same row (an answer batch that
    spans midnight) goes to a later statement, in time order."""
    summed: dict[tuple[int, int, int, int, int], BoardDelta] = {}
    for d in deltas:
        k = (d.scope, d.scope_id, d.player_id, d.week_key, d.day_key)
        old = summed.get(k)
        summed[k] = (
            d
            if old is None
            else BoardDelta(
                d.scope,
                d.scope_id,
                d.player_id,
                old.points + d.points,
                d.week_key,
                d.day_key,
                old.visible,
            )
        )
    ordered = sorted(summed)
    if not ordered:
        return []
    if len({k[:3] for k in ordered}) == len(ordered):  # the usual case: one window per row
        return [[summed[k] for k in ordered]]
    rounds: list[list[BoardDelta]] = []
    seen: dict[tuple[int, int, int], int] = {}
    for k in ordered:
        row = k[:3]
        n = seen.get(row, 0)
        seen[row] = n + 1
        while len(rounds) <= n:
            rounds.append([])
        rounds[n].append(summed[k])
    return rounds
