"""Multi-row statements for batched writes: the storage half of group commit.

Each method writes or reads many rows per statement, so a batch of hundreds of answers costs
a handful of round trips: multi-row `INSERT ... VALUES (..), (..)`, multi-row upserts
(`INSERT ... ON CONFLICT DO UPDATE`), and `WITH v(..) AS (VALUES ..) UPDATE t SET .. FROM v
WHERE ..` for row-wise updates (SQLite >= 3.33 and PostgreSQL read the same text). Statements
have a few fixed sizes (`pieces`, `key_chunks`) so their prepared forms are reused, and stay
within `max_params` parameters (SQLite allows 32766); each text is built once per size
(`functools.cache` on the text builders) and several `RETURNING` pieces on a pipelined SQLite
connection are handed over together (`Pipe.fetch_all`: one round trip). One statement
never touches a row twice (PostgreSQL refuses it in an upsert, and an `UPDATE ... FROM` would
apply only one of the rows): a key repeated in the input goes to a later statement, in input
order, so the result is that of one statement per row.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import cache
from itertools import chain
from typing import TypeVar

from storage.driver import Conn, Row
from storage.pipe import Pipe

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


@cache
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
    """`write_rows` for a statement that returns rows (`RETURNING`): one call per piece
    (on a `Pipe`, all handed over at once: one round trip); the returned rows of all pieces,
    in order."""
    if not rows:
        return []
    start = 0
    statements: list[tuple[str, list[object]]] = []
    for size in pieces(len(rows), rows_step(len(rows[0]), max_params)):
        statements.append((sql_for(size), list(chain.from_iterable(rows[start : start + size]))))
        start += size
    if isinstance(conn, Pipe):
        return list(chain.from_iterable(await conn.fetch_all(statements)))
    out: list[Row] = []
    for sql, params in statements:
        out += await conn.fetch(sql, params)
    return out


def distinct_rounds(rows: Sequence[T], key: Callable[[T], Hashable]) -> list[list[T]]:
    """Split `rows` into rounds in which each key appears once: the k-th row of a key goes to
    round k. Running the rounds in order gives the result of one statement per row."""
    keys = list(map(key, rows))
    if len(set(keys)) == len(keys):  # the usual case: every key once, one round
        return [list(rows)] if keys else []
    rounds: list[list[T]] = []
    seen: dict[Hashable, int] = {}
    for r, k in zip(rows, keys, strict=True):
        n = seen.get(k, 0)
        seen[k] = n + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(r)
    return rounds
