"""The answer batch's unit of work: one write transaction, fed plain data.

`AnswerTx` is what `SqlStore.answer_batch` yields (the `storage.base.AnswerUnit` the engine
sees). Each method reads or writes many rows per statement (`storage.batch_sql`). On SQLite
the store turns on write pipelining (`storage.pipe.Pipe`): writes are handed to the writer
thread without waiting, so the engine computes the next part of the batch while the database
writes, and `answer_batch` waits for them before it commits (or, failing, rolls back).
PostgreSQL (one operation at a time per connection) awaits each statement.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from storage.answer_sql import (
    add_ledger_sql,
    bump_stats_sql,
    insert_answers_sql,
    prefixed,
    save_tallies_sql,
    upsert_standings,
)
from storage.batch_sql import (
    READ_KEYS,
    Key,
    distinct_rounds,
    fetch_rows,
    key_chunks,
    keys_values,
    write_rows,
)
from storage.board_write import BoardWrite
from storage.driver import Conn
from storage.pipe import Pipe
from storage.rewards_batch import RewardsTx
from storage.rows import (
    AnswerRow,
    AnswerWrites,
    BoardDelta,
    GuessGuard,
    NewAnswer,
    NewGuess,
    NewLedgerEntry,
    RewardSnapshot,
    RewardsRow,
    RoundRow,
    Standing,
    StatsDelta,
    StreakEventRow,
    TallyRow,
    TallyUpdate,
)
from storage.sql_base import (
    ANSWER_COLS,
    STANDING_COLS,
    TALLY_COLS,
    answer_row,
    dumps,
    marks,
    standing_params,
    standing_row,
    tally_row,
)
from storage.store_contributions import SettleInUnit
from storage.store_events import tally_events_sql
from storage.store_quickdraw import guard_guess, insert_guess, merge_extra, update_state
from storage.store_translate import DecideInUnit

__all__ = ["AnswerTx", "BoardWrite", "StatsDelta", "TallyUpdate"]


class AnswerTx(SettleInUnit, DecideInUnit):
    """One answer batch's transaction (see the module docstring)."""

    def __init__(self, conn: Conn, dialect: str, max_params: int) -> None:
        self.c = Pipe(conn)
        self._pg = dialect == "postgres"
        self._max = max_params
        self.rewards = RewardsTx(self.c, dialect, max_params)
        self._boards: list[BoardWrite] = []

    # the transaction's life (driven by `SqlStore.answer_batch`) ------------------------

    def pipeline(self) -> None:
        """Queue writes without waiting where the driver allows it (SQLite; see `Pipe`). The
        transaction must end with `finish()`, or `settle()` when the batch fails."""
        self.c.queueing = not self._pg

    async def finish(self) -> None:
        """Run the board writes nobody waited for, then wait for every queued write (raises
        the first failure)."""
        boards, self._boards = self._boards, []
        for b in boards:
            await b.wait()
        await self.c.drain()

    async def drain(self) -> None:
        await self.c.drain()

    async def settle(self) -> None:
        """Wait for every queued write, ignoring failures (the transaction rolls back)."""
        await self.c.settle()

    # what the engine calls ------------------------------------------------------------

    async def load_players(
        self, player_ids: Collection[int], standing_keys: Sequence[Key]
    ) -> tuple[dict[int, RewardSnapshot], dict[Key, Standing]]:
        """Reward snapshots of `player_ids` (their player rows locked on PostgreSQL), then the
        standings of `standing_keys` (see `load_standings`): players first, the lock order
        of every batch. With pipelining both reads go to the writer thread at once, so it
        runs the second while the engine reads the rows of the first."""
        if not player_ids:
            return {}, await self.load_standings(standing_keys)
        if not self.c.queueing:
            snaps = await self.rewards.load(player_ids)
            return snaps, await self.load_standings(standing_keys)
        both = await asyncio.gather(
            self.rewards.load(player_ids),
            self.load_standings(standing_keys),
            return_exceptions=True,  # both end before a failure rolls the batch back
        )
        snaps_or_error, standings_or_error = both
        if isinstance(snaps_or_error, BaseException):
            raise snaps_or_error
        if isinstance(standings_or_error, BaseException):
            raise standings_or_error
        return snaps_or_error, standings_or_error

    async def load_snapshots(self, player_ids: Iterable[int]) -> dict[int, RewardSnapshot]:
        """Reward snapshots of the players, their player rows locked (PostgreSQL)."""
        return await self.rewards.load(player_ids)

    async def community_zones(self, community_ids: Sequence[int]) -> dict[int, str]:
        """Time-zone names of communities (the day boundary of their boards)."""
        return await self.rewards.community_zones(community_ids)

    async def write_answers(self, w: AnswerWrites) -> None:
        """Write what the batch computed, in this order: solo rounds answered, tallies,
        ledger, stats (the players' totals move here), standings."""
        await self.finish_solo_rounds(w.solo_rounds, w.now)
        await self.save_tallies(w.tallies)
        await self.add_ledger(w.ledger)
        await self.bump_stats(w.stats)
        await self.save_standings(w.standings, w.now)

    async def save_rewards(
        self,
        rows: Sequence[RewardsRow],
        streak_events: Sequence[StreakEventRow],
        awards: Sequence[tuple[int, str, float]],
        now: float,
        counters: Sequence[tuple[int, dict[str, Any]]] = (),
    ) -> None:
        """Upsert reward rows, add streak events, record (player, badge id, time) awards (a
        badge already held stays as it was), replace players' `player_stats.counters`."""
        await self.rewards.save(rows, now)
        await self.rewards.add_streak_events(streak_events)
        await self.rewards.award(awards)
        await self.rewards.save_counters(counters)

    def start_board_points(self, deltas: Sequence[BoardDelta]) -> BoardWrite:
        """Start adding `deltas` to the leaderboard rollup: beside the batch on SQLite, when
        waited for on PostgreSQL; the batch commits only after it (see `finish`)."""
        write = BoardWrite(self, deltas)
        self._boards.append(write)
        return write

    async def write_guess(
        self,
        g: NewGuess,
        *,
        state: dict[str, Any] | None = None,
        marks: tuple[int, dict[str, Any]] | None = None,
    ) -> tuple[int, RoundRow | None]:
        """`marks` (answer id, keys) merged into that answer's `extra` first, then the guess
        row, then the round's new `state` when given. Returns (guess id, the round as
        updated; None when no state was given or the round is gone)."""
        if marks is not None:
            await merge_extra(self.c, *marks)
        gid = await insert_guess(self.c, g)
        fresh = None
        if state is not None and g.round_id is not None:
            fresh = await update_state(self.c, g.round_id, state)
        return gid, fresh

    # statements -------------------------------------------------------------------------

    def _lock(self, alias: str, *key: str) -> str:
        """Lock the rows read for update, in the order of `key` (PostgreSQL; SQLite's single
        writer makes it moot). The order is the point: a join hands rows over in whatever
        order its plan reads the table, so two processes locking the same rows could take
        them in different orders and deadlock; sorted, every batch takes them in one order."""
        if not self._pg:
            return ""
        order = ", ".join(f"{alias}.{k}" for k in key)
        return f" ORDER BY {order} FOR UPDATE OF {alias}"

    def _keys(
        self, keys: Sequence[tuple[int, ...]], other_params: int = 0
    ) -> list[tuple[int, list[int]]]:
        """`key_chunks` of sorted unique keys, at most `READ_KEYS` each and within
        `max_params` with `other_params` more parameters in the statement."""
        uniq = sorted(set(keys))
        if not uniq:
            return []
        return key_chunks(uniq, min(READ_KEYS, (self._max - other_params) // len(uniq[0])))

    async def round_status(self, round_ids: Sequence[int]) -> dict[int, str]:
        """Status of each round that exists; `inactive` for a round whose campaign is not
        active. PostgreSQL share-locks the rows (rounds first, in id order), so a round
        close or a campaign pause waits for this unit to commit, and this unit sees theirs
        once they have."""
        out: dict[int, str] = {}
        lock = " FOR SHARE OF r, c" if self._pg else ""
        for n, ids in self._keys([(r,) for r in round_ids]):
            rows = await self.c.fetch(
                "SELECT r.id, r.status, c.status FROM rounds r JOIN campaigns c "
                f"ON c.id = r.campaign_id WHERE r.id IN ({marks(n)}) ORDER BY r.id{lock}",
                ids,
            )
            out.update({int(r[0]): r[1] if r[2] == "active" else "inactive" for r in rows})
        return out

    async def guard_guess(
        self, round_id: int, player_id: int, *, changes_round: bool, since: float
    ) -> GuessGuard:
        """See `AnswerUnit.guard_guess` (`storage.store_quickdraw.guard_guess`)."""
        return await guard_guess(self.c, self._pg, round_id, player_id, changes_round, since)

    async def insert_answers(self, answers: Sequence[NewAnswer]) -> list[int | None]:
        """Insert; a (campaign, item, player) already stored is skipped. Returns the new id
        per input row, None where the row was a duplicate."""
        rows = await fetch_rows(
            self.c,
            insert_answers_sql,
            [
                (
                    a.campaign_id,
                    a.item_id,
                    a.player_id,
                    a.round_id,
                    a.label,
                    a.platform,
                    a.latency_ms,
                    a.created_at,
                    int(a.is_gold),
                    None if a.correct is None else int(a.correct),
                    a.weight,
                    a.flag,
                    dumps(a.extra) if a.extra else "{}",
                    a.community_id,
                )
                for a in answers
            ],
            self._max,
        )
        ids = {(int(r[1]), int(r[2]), int(r[3])): int(r[0]) for r in rows}
        return [ids.pop((a.campaign_id, a.item_id, a.player_id), None) for a in answers]

    async def load_tallies(self, keys: Sequence[Key]) -> dict[Key, TallyRow]:
        out: dict[Key, TallyRow] = {}
        for n, flat in self._keys(keys):
            rows = await self.c.fetch(
                keys_values(("c", "i"), n)
                + f"SELECT {prefixed('t', TALLY_COLS)} FROM k JOIN tallies t "
                "ON t.campaign_id = k.c AND t.item_id = k.i"
                + self._lock("t", "campaign_id", "item_id"),
                flat,
            )
            for r in rows:
                t = tally_row(r)
                out[(t.campaign_id, t.item_id)] = t
        return out

    async def save_tallies(self, updates: Sequence[TallyUpdate]) -> None:
        """Write the new counts and consensus of each item; `release` solo reservations are
        taken off `pending` (never below 0). A tally finalized or entering review appends
        its label event first (`storage.store_events`; the caller holds its lock)."""
        for part in distinct_rounds(updates, lambda u: (u.campaign_id, u.item_id)):
            events = [
                (u.campaign_id, u.item_id, u.status, u.finalized_at)
                for u in part
                if u.status in ("finalized", "review")
            ]
            await write_rows(self.c, tally_events_sql, events, self._max)
            rows = [
                (
                    u.campaign_id,
                    u.item_id,
                    u.n_answers,
                    dumps(u.counts),
                    u.label,
                    u.confidence,
                    u.agreement,
                    u.status,
                    u.finalized_at,
                    u.release,
                )
                for u in part
            ]
            await write_rows(self.c, save_tallies_sql, rows, self._max)

    async def finish_solo_rounds(self, round_ids: Sequence[int], now: float) -> None:
        for n, ids in self._keys([(r,) for r in round_ids], other_params=1):
            await self.c.execute(
                "UPDATE rounds SET status = 'answered', closed_at = ? "
                f"WHERE id IN ({marks(n)}) AND mode = 'solo' AND status = 'open'",
                [now, *ids],
            )

    async def add_ledger(self, entries: Sequence[NewLedgerEntry]) -> None:
        rows = [
            (
                e.player_id,
                e.created_at,
                e.points,
                e.kind,
                e.reason,
                e.answer_id,
                e.campaign_id,
                e.community_id,
            )
            for e in entries
        ]
        await write_rows(self.c, add_ledger_sql, rows, self._max)

    async def bump_stats(self, deltas: Sequence[StatsDelta]) -> None:
        """Add each delta to the player's stats; `last_answer_at` is replaced when given."""
        ordered = sorted(deltas, key=lambda d: d.player_id)
        for part in distinct_rounds(ordered, lambda d: d.player_id):
            rows = [
                (
                    d.player_id,
                    d.points,
                    d.answers,
                    d.gold_answered,
                    d.gold_right,
                    d.settled,
                    d.agreed,
                    d.last_answer_at,
                )
                for d in part
            ]
            await write_rows(self.c, bump_stats_sql, rows, self._max)

    async def answers_for(self, keys: Sequence[Key]) -> dict[Key, list[AnswerRow]]:
        out: dict[Key, list[AnswerRow]] = {k: [] for k in sorted(set(keys))}
        for n, flat in self._keys(keys):
            rows = await self.c.fetch(
                keys_values(("c", "i"), n)
                + f"SELECT {prefixed('a', ANSWER_COLS)} FROM k JOIN answers a "
                "ON a.campaign_id = k.c AND a.item_id = k.i ORDER BY a.id",
                flat,
            )
            for r in rows:
                a = answer_row(r)
                out[(a.campaign_id, a.item_id)].append(a)
        return out

    async def existing_answers(
        self, keys: Sequence[tuple[int, int, int]]
    ) -> set[tuple[int, int, int]]:
        """Which (campaign, item, player) triples already have an answer."""
        found: set[tuple[int, int, int]] = set()
        for n, flat in self._keys(keys):
            rows = await self.c.fetch(
                keys_values(("c", "i", "p"), n)
                + "SELECT a.campaign_id, a.item_id, a.player_id FROM k JOIN answers a "
                "ON a.campaign_id = k.c AND a.item_id = k.i AND a.player_id = k.p",
                flat,
            )
            found.update((int(r[0]), int(r[1]), int(r[2])) for r in rows)
        return found

    async def load_standings(self, keys: Sequence[Key]) -> dict[Key, Standing]:
        """Standings by (player, campaign); missing ones are fresh defaults."""
        found: dict[Key, Standing] = {}
        for n, flat in self._keys(keys):
            rows = await self.c.fetch(
                keys_values(("p", "c"), n)
                + f"SELECT {prefixed('s', STANDING_COLS)} FROM k JOIN player_campaign s "
                "ON s.player_id = k.p AND s.campaign_id = k.c"
                + self._lock("s", "player_id", "campaign_id"),
                flat,
            )
            for r in rows:
                st = standing_row(r)
                found[(st.player_id, st.campaign_id)] = st
        return {k: found[k] if k in found else Standing(k[0], k[1]) for k in sorted(set(keys))}

    async def save_standings(self, standings: Sequence[Standing], now: float) -> None:
        """Upsert the standings (a key given twice: the later row wins)."""
        for part in distinct_rounds(standings, lambda s: (s.player_id, s.campaign_id)):
            await write_rows(
                self.c, upsert_standings, [standing_params(s, now) for s in part], self._max
            )
