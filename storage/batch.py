"""Batched writes inside one transaction: the storage half of group commit.

Each method writes or reads many rows per statement, so a batch of hundreds of answers costs
a handful of round trips: multi-row `INSERT ... VALUES (..), (..)`, multi-row upserts
(`INSERT ... ON CONFLICT DO UPDATE`), and `WITH v(..) AS (VALUES ..) UPDATE t SET .. FROM v
WHERE ..` for row-wise updates (SQLite >= 3.33 and PostgreSQL read the same text). Statements
have a few fixed sizes (`pieces`, `key_chunks`) so their prepared forms are reused, and stay
within `max_params` parameters (SQLite allows 32766). One statement never touches a row twice
(PostgreSQL refuses it in an upsert, and an `UPDATE ... FROM` would apply only one of the
rows): a key repeated in the input goes to a later statement, in input order, so the result
is that of one statement per row.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Hashable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, TypeVar

from storage.driver import Conn, Params, Row
from storage.rows import AnswerRow, NewAnswer, NewLedgerEntry, Standing, TallyRow
from storage.sql_base import (
    ANSWER_COLS,
    STANDING_COLS,
    TALLY_COLS,
    UPSERT_STANDING,
    answer_row,
    dumps,
    marks,
    standing_params,
    standing_row,
    tally_row,
)

Key = tuple[int, int]
T = TypeVar("T")

BIGINT, REAL, TEXT = "BIGINT", "DOUBLE PRECISION", "TEXT"


def typed_rows(types: Sequence[str], n: int) -> str:
    """`(CAST(? AS t1), CAST(? AS t2), ..), (?, ?, ..), ..` for n rows: a `VALUES` list both
    dialects type alike. PostgreSQL types a bare parameter in a `VALUES` list outside an INSERT
    from the other rows, and as text when no row says more: the first row says it."""
    first = "(" + ", ".join(f"CAST(? AS {t})" for t in types) + ")"
    rest = "(" + ", ".join("?" * len(types)) + ")"
    return ", ".join([first, *[rest] * (n - 1)])


CHUNK_ROWS = 128
"""Rows per multi-row statement. Statements come in a few sizes only (whole chunks, then
halves down to 8 rows, then one last small rest), so their texts repeat from batch to batch:
each is prepared once and then reused from the driver's statement cache. Preparing a
statement of hundreds of rows costs about as much as running it, on both backends."""
SMALLEST = 8
NO_KEY = -1
"""Padding of key lists: ids are positive, so a key of -1 matches no row."""
READ_KEYS = 256
"""Keys per keyed SELECT (padded to a power of two, see `key_chunks`)."""


def pieces(n: int, top: int = CHUNK_ROWS) -> list[int]:
    """Statement sizes that add up to n: whole `top`s, then the powers of two of the rest
    down to `SMALLEST`, then what is left, largest first (`pieces(300)` is 128, 128, 32, 8,
    4)."""
    top = max(1, top)
    out = [top] * (n // top)
    rest = n % top
    size = 1 << max(0, top.bit_length() - 1)
    while rest >= SMALLEST and size >= SMALLEST:
        if size <= rest and size < top:
            out.append(size)
            rest -= size
        size >>= 1
    if rest:
        out.append(rest)
    return out


def padded_size(n: int, top: int) -> int:
    """The smallest power of two >= n (at least `SMALLEST`), capped at `top`."""
    size = SMALLEST
    while size < n:
        size <<= 1
    return max(1, min(size, top))


def key_chunks(keys: Sequence[tuple[int, ...]], top: int) -> list[tuple[int, list[int]]]:
    """The keys in chunks of at most `top` keys, the last one padded with `NO_KEY` keys to a
    `padded_size`; each chunk as (number of keys, flattened parameters)."""
    out: list[tuple[int, list[int]]] = []
    for i in range(0, len(keys), max(1, top)):
        part = keys[i : i + max(1, top)]
        size = padded_size(len(part), top)
        flat = list(chain.from_iterable(part))
        flat += [NO_KEY] * ((size - len(part)) * len(part[0]))
        out.append((size, flat))
    return out


def keys_values(columns: tuple[str, ...], n: int) -> str:
    """`WITH k(a, b) AS (VALUES (CAST(? AS BIGINT), CAST(? AS BIGINT)), (?, ?), ..) ` for n
    keys: like `storage.sql_base.keys_cte`, with the type given once (a shorter text)."""
    return f"WITH k({', '.join(columns)}) AS (VALUES {typed_rows([BIGINT] * len(columns), n)}) "


def rows_step(width: int, max_params: int, top: int = CHUNK_ROWS) -> int:
    """Rows per statement: `top`, fewer when `width` parameters per row would exceed
    `max_params`."""
    return max(1, min(top, max_params // max(1, width)))


async def write_rows(
    conn: Conn,
    sql_for: Callable[[int], str],
    rows: Sequence[Sequence[object]],
    max_params: int,
) -> None:
    """Run the multi-row statement `sql_for(n)` (n rows of `len(rows[0])` parameters) over
    `rows` in input order, in the sizes of `pieces`; the statements of one size go in one
    `executemany`."""
    if not rows:
        return
    start = 0
    sizes = pieces(len(rows), rows_step(len(rows[0]), max_params))
    i = 0
    while i < len(sizes):
        size, j = sizes[i], i
        while j < len(sizes) and sizes[j] == size:
            j += 1
        chunks = [
            list(chain.from_iterable(rows[start + k * size : start + (k + 1) * size]))
            for k in range(j - i)
        ]
        if len(chunks) == 1:
            await conn.execute(sql_for(size), chunks[0])
        else:
            await conn.executemany(sql_for(size), chunks)
        start += size * (j - i)
        i = j


async def fetch_rows(
    conn: Conn,
    sql_for: Callable[[int], str],
    rows: Sequence[Sequence[object]],
    max_params: int,
) -> list[Row]:
    """`write_rows` for a statement that returns rows (`RETURNING`): one call per piece;
    the returned rows of all pieces, in order."""
    out: list[Row] = []
    if not rows:
        return out
    start = 0
    for size in pieces(len(rows), rows_step(len(rows[0]), max_params)):
        params = list(chain.from_iterable(rows[start : start + size]))
        out += await conn.fetch(sql_for(size), params)
        start += size
    return out


def distinct_rounds(rows: Sequence[T], key: Callable[[T], Hashable]) -> list[list[T]]:
    """Split `rows` into rounds in which each key appears once: the k-th row of a key goes to
    round k. Running the rounds in order gives the result of one statement per row."""
    rounds: list[list[T]] = []
    seen: dict[Hashable, int] = {}
    for r in rows:
        k = key(r)
        n = seen.get(k, 0)
        seen[k] = n + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(r)
    return rounds


@dataclass(frozen=True, slots=True)
class TallyUpdate:
    campaign_id: int
    item_id: int
    n_answers: int
    counts: dict[str, list[float]]
    label: str | None
    confidence: float | None
    agreement: float | None
    status: str
    finalized_at: float | None
    release: int = 0


@dataclass(slots=True)
class StatsDelta:
    player_id: int
    points: int = 0
    answers: int = 0
    gold_answered: int = 0
    gold_right: int = 0
    settled: int = 0
    agreed: int = 0
    last_answer_at: float | None = None


class Pipe:
    """The batch's connection (a `Conn`) that can queue writes without waiting for them.

    With queueing on, `execute`/`executemany` hand the statement to the driver and return at
    once, so the engine computes the next part of the batch while the database writes; a
    read first lets every queued write reach the driver, so it sees them. Only for a driver
    that runs one connection's statements in the order they are handed over (aiosqlite: one
    thread, one queue); asyncpg allows one operation at a time per connection, so PostgreSQL
    keeps plain awaits. `drain()` must run before the transaction ends: it waits for the
    queued writes and raises the first failure; `settle()` does the same without raising,
    for the path that rolls back."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn
        self.queueing = False
        self._queued: list[asyncio.Future[None]] = []
        self._unstarted = False

    def _queue(self, write: Any) -> None:
        self._queued.append(asyncio.ensure_future(write))
        self._unstarted = True

    async def _reach_driver(self) -> None:
        if self._unstarted:
            # tasks take their first step (handing their statement over) in creation order,
            # before this coroutine resumes
            await asyncio.sleep(0)
            self._unstarted = False

    def background(self, work: Coroutine[Any, Any, None]) -> asyncio.Future[None]:
        """Run `work` (statements on this connection) as a task beside the caller, like a
        queued write: `drain()` and `settle()` wait for it too. Only while queueing: the
        driver runs the statements of both in the order they are handed over, so `work`
        must touch tables the caller's later statements do not depend on."""
        task = asyncio.ensure_future(work)
        self._queued.append(task)
        self._unstarted = True
        return task

    async def execute(self, sql: str, params: Params = ()) -> None:
        if self.queueing:
            self._queue(self.conn.execute(sql, params))
        else:
            await self.conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if self.queueing:
            self._queue(self.conn.executemany(sql, rows))
        else:
            await self.conn.executemany(sql, rows)

    async def fetch(self, sql: str, params: Params = ()) -> list[Row]:
        await self._reach_driver()
        return await self.conn.fetch(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        await self._reach_driver()
        return await self.conn.fetchone(sql, params)

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        await self._reach_driver()
        return await self.conn.fetchval(sql, params)

    async def drain(self) -> None:
        """Wait for every queued write; raise the first failure."""
        for result in await self._gather():
            if isinstance(result, BaseException):
                raise result

    async def settle(self) -> None:
        """Wait for every queued write, ignoring failures (the transaction rolls back)."""
        await self._gather()

    async def _gather(self) -> list[object]:
        queued, self._queued = self._queued, []
        self._unstarted = False
        if not queued:
            return []
        return list(await asyncio.gather(*queued, return_exceptions=True))


class AnswerTx:
    def __init__(self, conn: Conn, dialect: str, max_params: int) -> None:
        self.c = Pipe(conn)
        self._pg = dialect == "postgres"
        self._max = max_params

    def pipeline(self) -> None:
        """Queue writes without waiting (SQLite; see `Pipe`). The caller must end with
        `drain()`, or `settle()` when the batch fails, before the transaction ends."""
        self.c.queueing = not self._pg

    @property
    def pipelined(self) -> bool:
        """Whether writes are queued without waiting (see `pipeline`)."""
        return self.c.queueing

    async def drain(self) -> None:
        await self.c.drain()

    async def settle(self) -> None:
        await self.c.settle()

    def _lock(self, alias: str) -> str:
        """Lock the rows read for update (PostgreSQL; SQLite's single writer makes it moot)."""
        return f" FOR UPDATE OF {alias}" if self._pg else ""

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
        out: dict[int, str] = {}
        for n, ids in self._keys([(r,) for r in round_ids]):
            rows = await self.c.fetch(
                f"SELECT id, status FROM rounds WHERE id IN ({marks(n)})", ids
            )
            out.update({int(r[0]): r[1] for r in rows})
        return out

    async def insert_answers(self, answers: Sequence[NewAnswer]) -> list[int | None]:
        """Insert; a (campaign, item, player) already stored is skipped. Returns the new id
        per input row, None where the row was a duplicate."""
        rows = await fetch_rows(
            self.c,
            _insert_answers_sql,
            [
                (
                    a.campaign_id, a.item_id, a.player_id, a.round_id, a.label, a.platform,
                    a.latency_ms, a.created_at, int(a.is_gold),
                    None if a.correct is None else int(a.correct), a.weight, a.flag,
                    dumps(a.extra) if a.extra else "{}",
                )
                for a in answers
            ],
            self._max,
        )  # fmt: skip
        ids = {(int(r[1]), int(r[2]), int(r[3])): int(r[0]) for r in rows}
        return [ids.pop((a.campaign_id, a.item_id, a.player_id), None) for a in answers]

    async def load_tallies(self, keys: Sequence[Key]) -> dict[Key, TallyRow]:
        out: dict[Key, TallyRow] = {}
        for n, flat in self._keys(keys):
            rows = await self.c.fetch(
                keys_values(("c", "i"), n)
                + f"SELECT {_cols('t', TALLY_COLS)} FROM k JOIN tallies t "
                "ON t.campaign_id = k.c AND t.item_id = k.i" + self._lock("t"),
                flat,
            )
            for r in rows:
                t = tally_row(r)
                out[(t.campaign_id, t.item_id)] = t
        return out

    async def save_tallies(self, updates: Sequence[TallyUpdate]) -> None:
        """Write the new counts and consensus of each item; `release` solo reservations are
        taken off `pending` (never below 0)."""
        for part in distinct_rounds(updates, lambda u: (u.campaign_id, u.item_id)):
            rows = [
                (
                    u.campaign_id, u.item_id, u.n_answers, dumps(u.counts), u.label,
                    u.confidence, u.agreement, u.status, u.finalized_at, u.release,
                )
                for u in part
            ]  # fmt: skip
            await write_rows(self.c, _save_tallies_sql, rows, self._max)

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
                e.player_id, e.created_at, e.points, e.kind, e.reason, e.answer_id,
                e.campaign_id, e.community_id,
            )
            for e in entries
        ]  # fmt: skip
        await write_rows(self.c, _add_ledger_sql, rows, self._max)

    async def bump_stats(self, deltas: Sequence[StatsDelta]) -> None:
        """Add each delta to the player's stats; `last_answer_at` is replaced when given."""
        ordered = sorted(deltas, key=lambda d: d.player_id)
        for part in distinct_rounds(ordered, lambda d: d.player_id):
            rows = [
                (
                    d.player_id, d.points, d.answers, d.gold_answered, d.gold_right,
                    d.settled, d.agreed, d.last_answer_at,
                )
                for d in part
            ]  # fmt: skip
            await write_rows(self.c, _bump_stats_sql, rows, self._max)

    async def answers_for(self, keys: Sequence[Key]) -> dict[Key, list[AnswerRow]]:
        out: dict[Key, list[AnswerRow]] = {k: [] for k in sorted(set(keys))}
        for n, flat in self._keys(keys):
            rows = await self.c.fetch(
                keys_values(("c", "i"), n)
                + f"SELECT {_cols('a', ANSWER_COLS)} FROM k JOIN answers a "
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
                + f"SELECT {_cols('s', STANDING_COLS)} FROM k JOIN player_campaign s "
                "ON s.player_id = k.p AND s.campaign_id = k.c" + self._lock("s"),
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


_TALLY_TYPES = (BIGINT, BIGINT, BIGINT, TEXT, TEXT, REAL, REAL, TEXT, REAL, BIGINT)
_SAVE_TALLIES = (
    "WITH v(c, i, n, counts, label, conf, agr, status, fin, rel) AS (VALUES {values}) "
    "UPDATE tallies SET n_answers = v.n, counts = v.counts, label = v.label, "
    "confidence = v.conf, agreement = v.agr, status = v.status, finalized_at = v.fin, "
    "pending = CASE WHEN tallies.pending > v.rel THEN tallies.pending - v.rel ELSE 0 END "
    "FROM v WHERE tallies.campaign_id = v.c AND tallies.item_id = v.i"
)
_STATS_TYPES = (BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, REAL)
_BUMP_STATS = (
    "WITH v(p, d_points, d_answers, d_gold_answered, d_gold_right, d_settled, d_agreed, "
    "d_last) AS (VALUES {values}) "
    "UPDATE player_stats SET points = player_stats.points + v.d_points, "
    "answers = player_stats.answers + v.d_answers, "
    "gold_answered = player_stats.gold_answered + v.d_gold_answered, "
    "gold_right = player_stats.gold_right + v.d_gold_right, "
    "settled = player_stats.settled + v.d_settled, agreed = player_stats.agreed + v.d_agreed, "
    "last_answer_at = COALESCE(v.d_last, player_stats.last_answer_at) "
    "FROM v WHERE player_stats.player_id = v.p"
)


def _save_tallies_sql(n: int) -> str:
    return _SAVE_TALLIES.format(values=typed_rows(_TALLY_TYPES, n))


def _bump_stats_sql(n: int) -> str:
    return _BUMP_STATS.format(values=typed_rows(_STATS_TYPES, n))


def _insert_answers_sql(n: int) -> str:
    return (
        "INSERT INTO answers (campaign_id, item_id, player_id, round_id, label, platform, "
        "latency_ms, created_at, is_gold, correct, weight, flag, extra) "
        f"VALUES {marks(n, 13)} ON CONFLICT (campaign_id, item_id, player_id) DO NOTHING "
        "RETURNING id, campaign_id, item_id, player_id"
    )


def _add_ledger_sql(n: int) -> str:
    return (
        "INSERT INTO ledger (player_id, created_at, points, kind, reason, answer_id, "
        f"campaign_id, community_id) VALUES {marks(n, 8)}"
    )


def upsert_standings(n: int) -> str:
    """`UPSERT_STANDING` for n rows."""
    return UPSERT_STANDING.replace(marks(1, 14), marks(n, 14), 1)


def _cols(alias: str, cols: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in cols.split(","))
