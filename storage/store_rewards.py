"""Store queries of the rewards: reward snapshots, badges, streak history, board visibility,
announcement channels, reminder candidates, and the rebuild of the leaderboard rollup.

Writes made during an answer batch live in `storage.rewards_batch.RewardsTx`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from storage.board_math import (
    PERIOD_ALL,
    PERIOD_DAY,
    PERIOD_WEEK,
)
from storage.board_rebuild import rebuild_hist, rebuild_totals
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

    async def set_reminded(self, player_id: int, day: str) -> bool:
        """Claim the player's reminder of `day`: False when it was already sent (by any
        process), so a reminder goes out once."""
        async with self.db.transaction() as tx:
            found = await tx.fetchval(
                "UPDATE player_rewards SET reminded_on = ? WHERE player_id = ? "
                "AND (reminded_on IS NULL OR reminded_on <> ?) RETURNING player_id",
                (day, player_id, day),
            )
        return found is not None

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
            hist = await self._player_hist(tx, player_id, 1 if visible else -1, flip_to=visible)
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
            for period, key, pts in (
                (PERIOD_ALL, 0, r[3]),
                (PERIOD_WEEK, r[4], r[5]),
                (PERIOD_DAY, r[6], r[7]),
            ):
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

    async def claim_meta(self, key: str, expected: str | None, value: str) -> bool:
        """Set `key` to `value` only if it still holds `expected` (None: absent); False when
        another process moved it first (a compare-and-set: the claim of a once-only job)."""
        async with self.db.transaction() as tx:
            if expected is None:
                found = await tx.fetchval(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO NOTHING RETURNING key",
                    (key, value),
                )
            else:
                found = await tx.fetchval(
                    "UPDATE meta SET value = ? WHERE key = ? AND value = ? RETURNING key",
                    (value, key, expected),
                )
        return found is not None

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

    async def rebuild_boards(
        self, zones: Mapping[tuple[int, int], str], default_tz: str, now: float
    ) -> int:
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
