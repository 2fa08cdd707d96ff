"""The multi-row statements of the answer batch (storage/batch.py, storage/rewards_batch.py):
chunked under the parameter limit, one SQL text on both backends, a key given twice applied
in order, queued writes (SQLite) seen by later reads and rolled back with a failing batch."""

from __future__ import annotations

import pytest

from storage import SqlStore
from storage.batch import AnswerTx
from storage.batch_sql import NO_KEY, distinct_rounds, key_chunks, pieces, typed_rows
from storage.rewards_batch import RewardsTx
from storage.rows import (
    NewCampaign,
    NewItem,
    NewLedgerEntry,
    RewardsRow,
    Standing,
    StatsDelta,
    TallyUpdate,
)


def test_typed_rows_casts_the_first_row_only() -> None:
    assert (
        typed_rows(("BIGINT", "TEXT"), 3) == "(CAST(? AS BIGINT), CAST(? AS TEXT)), (?, ?), (?, ?)"
    )
    assert typed_rows(("BIGINT",), 1) == "(CAST(? AS BIGINT))"
    assert typed_rows(("BIGINT",), 3) == "(CAST(? AS BIGINT)), (?), (?)"


def test_statements_come_in_a_few_sizes_that_add_up() -> None:
    """Whole chunks, then halves down to 8 rows, then the rest: few distinct SQL texts."""
    assert pieces(300) == [128, 128, 32, 8, 4]
    assert pieces(127) == [64, 32, 16, 8, 7]
    assert pieces(5) == [5] and pieces(0) == []
    assert pieces(100, 40) == [40, 40, 16, 4]
    sizes = {size for n in range(1, 2000) for size in pieces(n)}
    assert sizes <= {128, 64, 32, 16, 8, *range(1, 8)}
    assert all(sum(pieces(n)) == n for n in range(2000))


def test_key_lists_are_padded_with_a_key_no_row_has() -> None:
    assert key_chunks([(1, 2), (3, 4), (5, 6)], 256) == [(8, [1, 2, 3, 4, 5, 6] + [NO_KEY] * 10)]
    assert key_chunks([(i,) for i in range(10)], 4) == [
        (4, [0, 1, 2, 3]),
        (4, [4, 5, 6, 7]),
        (4, [8, 9, NO_KEY, NO_KEY]),
    ]


def test_a_repeated_key_goes_to_a_later_round_in_input_order() -> None:
    rows = [("a", 1), ("b", 1), ("a", 2), ("a", 3), ("c", 1), ("b", 2)]
    assert distinct_rounds(rows, lambda r: r[0]) == [
        [("a", 1), ("b", 1), ("c", 1)],
        [("a", 2), ("b", 2)],
        [("a", 3)],
    ]


async def _players(store: SqlStore, n: int) -> list[int]:
    ids = []
    async with store.db.transaction() as c:
        for i in range(n):
            pid = await c.fetchval(
                "INSERT INTO players (display_name, created_at, consent_version) "
                "VALUES (?, ?, ?) RETURNING id",
                [f"p{i}", 1.0, 1],
            )
            await c.execute("INSERT INTO player_stats (player_id) VALUES (?)", [pid])
            ids.append(int(pid))
    return ids


async def _campaign(store: SqlStore, items: int) -> tuple[int, list[int]]:
    ds = await store.create_dataset("d", "text", "", 1.0)
    await store.add_items(
        ds.id, [NewItem("text", f"t{i}", text=f"t{i}") for i in range(items)], 1.0
    )
    camp = await store.create_campaign(
        NewCampaign("c", "classify", ds.id, "?", ["a", "b"], 3, 5, 0.7, 0.0), 1.0
    )
    async with store.db.read() as c:
        rows = await c.fetch(
            "SELECT item_id FROM tallies WHERE campaign_id = ? ORDER BY 1", [camp.id]
        )
    return camp.id, [int(r[0]) for r in rows]


@pytest.mark.parametrize("pipelined", [False, True])
async def test_many_rows_in_small_chunks_store_exactly_what_was_given(
    store: SqlStore, pipelined: bool
) -> None:
    """A parameter limit of 40 cuts every write into many statements (whole chunks and a
    rest); the result is that of one statement per row."""
    players = await _players(store, 7)
    campaign, items = await _campaign(store, 3)
    entries = [
        NewLedgerEntry(players[i % 7], 100.0 + i, i, "answer", f"r{i}", None, campaign, None)
        for i in range(23)
    ]
    deltas = [StatsDelta(p, points=2, answers=1, last_answer_at=10.0) for p in players]
    deltas += [
        StatsDelta(
            players[0],
            points=5,
            gold_answered=1,
            gold_right=1,
            settled=1,
            agreed=1,
            last_answer_at=None,
        )
    ]
    standings = [Standing(p, campaign, answers=3, last_label="a", flags={"x": 1}) for p in players]
    tallies = [
        TallyUpdate(campaign, items[0], 2, {"a": [1.0, 0.5]}, "a", 0.8, 0.9, "open", None),
        TallyUpdate(campaign, items[1], 4, {"b": [2.0]}, "b", 0.95, 1.0, "finalized", 50.0, 1),
        TallyUpdate(campaign, items[0], 3, {"a": [2.0]}, "a", 0.9, 1.0, "finalized", 60.0),
    ]
    async with store.db.transaction() as conn:
        tx = AnswerTx(conn, store.dialect, 40)
        if pipelined:
            tx.pipeline()
        await tx.add_ledger(entries)
        await tx.bump_stats(deltas)
        await tx.save_standings(standings, 5.0)
        await tx.save_standings([Standing(players[1], campaign, answers=9)], 6.0)
        await tx.save_tallies(tallies)
        rtx = RewardsTx.of(tx)
        await rtx.save([RewardsRow(p, level=2, badges="first") for p in players], 7.0)
        await rtx.award([(players[0], "first", 1.0), (players[0], "first", 2.0)])
        # a read after queued writes sees them
        seen = await tx.load_standings([(players[1], campaign), (players[2], campaign)])
        assert seen[(players[1], campaign)].answers == 9
        assert seen[(players[2], campaign)].flags == {"x": 1}
        await tx.drain()
    async with store.db.read() as c:
        ledger = await c.fetch(
            "SELECT player_id, created_at, points, reason FROM ledger ORDER BY id"
        )
        stats = await c.fetch(
            "SELECT player_id, points, answers, gold_answered, gold_right, settled, agreed, "
            "last_answer_at FROM player_stats ORDER BY player_id"
        )
        tally = await c.fetch(
            "SELECT item_id, n_answers, label, status, finalized_at FROM tallies "
            "WHERE campaign_id = ? ORDER BY item_id",
            [campaign],
        )
        n_standings = await c.fetchval("SELECT COUNT(*) FROM player_campaign")
        levels = await c.fetch("SELECT level, badges FROM player_rewards")
        badge = await c.fetch("SELECT awarded_at FROM player_badges")
    assert [(int(r[0]), float(r[1]), int(r[2]), r[3]) for r in ledger] == [
        (e.player_id, e.created_at, e.points, e.reason) for e in entries
    ]
    first = stats[0]
    assert [int(v) for v in first[1:7]] == [7, 1, 1, 1, 1, 1]
    assert float(first[7]) == 10.0  # a delta without a time keeps the stored one
    assert all(int(r[1]) == 2 and float(r[7]) == 10.0 for r in stats[1:])
    assert [(int(r[0]), int(r[1]), r[2], r[3]) for r in tally] == [
        (items[0], 3, "a", "finalized"),
        (items[1], 4, "b", "finalized"),
        (items[2], 0, None, "open"),
    ]
    assert int(n_standings) == 7
    assert {(int(r[0]), r[1]) for r in levels} == {(2, "first")} and len(levels) == 7
    assert [float(r[0]) for r in badge] == [1.0]  # the first award of a badge stays


async def test_a_failing_queued_write_fails_the_batch_and_stores_nothing(store: SqlStore) -> None:
    players = await _players(store, 2)
    with pytest.raises(Exception):  # noqa: B017 - each driver raises its own error type
        async with store.db.transaction() as conn:
            tx = AnswerTx(conn, store.dialect, 40)
            tx.pipeline()
            try:
                await tx.add_ledger([NewLedgerEntry(players[0], 1.0, 5, "answer")])
                await tx.bump_stats([StatsDelta(players[0], points=5)])
                await tx.add_ledger([NewLedgerEntry(10**9, 1.0, 5, "answer")])  # no such player
                await tx.drain()
            except BaseException:
                await tx.settle()
                raise
    async with store.db.read() as c:
        assert int(await c.fetchval("SELECT COUNT(*) FROM ledger")) == 0
        assert int(await c.fetchval("SELECT SUM(points) FROM player_stats")) == 0
