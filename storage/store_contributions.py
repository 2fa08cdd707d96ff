"""Store queries of player contributions (issue 16, migration 016).

Rules:
- a contribution enters its campaign as an item of the campaign's dataset (its media, a tally
  in that campaign only) in the same transaction as its `contributions` row;
- the author never gets it: the solo next-task query (`storage.store_play_sql.NOT_SEEN`) skips
  items whose contribution names the player;
- a contribution is settled once: `UPDATE contributions SET settled_at, outcome WHERE id = ?
  AND settled_at IS NULL`; only the call that changed the row pays the author;
- deleting a contribution (or forgetting its author) deletes its media and clears its item's
  text, and hides its tally (`withdraw_contributions`): never served nor exported again; the
  other players' answers on it stay, so nobody else's points change.
"""

from __future__ import annotations

from typing import Any, cast

from storage.answer_sql import prefixed
from storage.driver import Conn, Row
from storage.rows import TALLY_HIDDEN, ContributionRow, NewContribution, TallyRow
from storage.sql_base import ITEM_INSERT, TALLY_COLS, SqlBase, dumps, item_values, loads, tally_row

CONTRIBUTION_COLS = (
    "id, campaign_id, item_id, parent_item_id, player_id, kind, platform, meta, created_at, "
    "settled_at, outcome"
)
DECIDED = ("finalized", "reviewed", "review")


def _row(r: Row) -> ContributionRow:
    return ContributionRow(
        int(r[0]),
        int(r[1]),
        int(r[2]),
        None if r[3] is None else int(r[3]),
        int(r[4]),
        r[5],
        r[6],
        loads(r[7]),
        float(r[8]),
        None if r[9] is None else float(r[9]),
        r[10],
    )


class ContributionsMixin(SqlBase):
    """`storage.base.ContributionStore` over SQL."""

    async def add_contribution(self, c: NewContribution, now: float) -> ContributionRow:
        async with self.db.transaction() as tx:
            return await insert_contribution(tx, c, now)

    async def get_contribution(self, contribution_id: int) -> ContributionRow | None:
        return await self._one_contribution("id = ?", contribution_id)

    async def contribution_of_item(self, item_id: int) -> ContributionRow | None:
        return await self._one_contribution("item_id = ?", item_id)

    async def _one_contribution(self, where: str, value: Any) -> ContributionRow | None:
        async with self.db.read() as conn:
            r = await conn.fetchone(
                f"SELECT {CONTRIBUTION_COLS} FROM contributions WHERE {where}", (value,)
            )
        return None if r is None else _row(r)

    async def player_contributions(
        self, player_id: int, kind: str | None = None
    ) -> list[ContributionRow]:
        return await self._contributions("player_id = ?", (player_id,), kind)

    async def campaign_contributions(
        self, campaign_id: int, kind: str | None = None, parent_item_id: int | None = None
    ) -> list[ContributionRow]:
        where, args = "campaign_id = ?", [campaign_id]
        if parent_item_id is not None:
            where += " AND parent_item_id = ?"
            args.append(parent_item_id)
        return await self._contributions(where, tuple(args), kind)

    async def _contributions(
        self, where: str, args: tuple[Any, ...], kind: str | None
    ) -> list[ContributionRow]:
        if kind is not None:
            where, args = f"{where} AND kind = ?", (*args, kind)
        async with self.db.read() as conn:
            rows = await conn.fetch(
                f"SELECT {CONTRIBUTION_COLS} FROM contributions WHERE {where} ORDER BY id", args
            )
        return [_row(r) for r in rows]

    async def decided_unsettled(
        self, kind: str, limit: int = 100
    ) -> list[tuple[ContributionRow, TallyRow]]:
        cols = prefixed("k", CONTRIBUTION_COLS)
        async with self.db.read() as conn:
            rows = await conn.fetch(
                f"SELECT {cols}, {prefixed('t', TALLY_COLS)} FROM contributions k "
                "JOIN tallies t ON t.campaign_id = k.campaign_id AND t.item_id = k.item_id "
                "WHERE k.kind = ? AND k.settled_at IS NULL AND t.status IN (?, ?, ?) "
                "ORDER BY k.id LIMIT ?",
                (kind, *DECIDED, limit),
            )
        n = len(CONTRIBUTION_COLS.split(","))
        out: list[tuple[ContributionRow, TallyRow]] = []
        for r in rows:
            cells = [r[i] for i in range(n + len(TALLY_COLS.split(",")))]
            out.append((_row(cast(Row, cells[:n])), tally_row(cast(Row, cells[n:]))))
        return out

    async def settle_contribution(
        self, contribution_id: int, outcome: str, now: float
    ) -> ContributionRow | None:
        async with self.db.transaction() as tx:
            r = await tx.fetchone(
                "UPDATE contributions SET settled_at = ?, outcome = ? WHERE id = ? "
                f"AND settled_at IS NULL RETURNING {CONTRIBUTION_COLS}",
                (now, outcome, contribution_id),
            )
        return None if r is None else _row(r)

    async def update_contribution_meta(self, contribution_id: int, meta: dict[str, Any]) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE contributions SET meta = ? WHERE id = ?", (dumps(meta), contribution_id)
            )

    async def delete_contribution(self, contribution_id: int) -> bool:
        async with self.db.transaction() as tx:
            found = await tx.fetchval(
                "SELECT id FROM contributions WHERE id = ?", (contribution_id,)
            )
            if found is None:
                return False
            await withdraw_contributions(tx, "id = ?", (contribution_id,))
        return True


class SettleInUnit:
    """`AnswerUnit.settle_contribution`: the once-only settle inside an answer unit, so the
    author's payment commits with it (or neither does)."""

    c: Any  # the unit's connection (`storage.pipe.Pipe`)

    async def settle_contribution(self, contribution_id: int, outcome: str, now: float) -> bool:
        """Set the outcome once (`settled_at IS NULL`); True when this call settled it."""
        done = await self.c.fetchval(
            "UPDATE contributions SET settled_at = ?, outcome = ? WHERE id = ? "
            "AND settled_at IS NULL RETURNING id",
            (now, outcome, contribution_id),
        )
        return done is not None


async def withdraw_contributions(tx: Conn, where: str, args: tuple[Any, ...]) -> None:
    """Delete the contributions matching `where` and what their items hold: the media (the
    photo's bytes) is deleted, the item's text, candidate and meta are cleared, and its
    tally becomes `hidden`, which no next-task query serves and no export lists. The item
    row and the other players' answers on it stay, so nobody else's points change."""
    rows = await tx.fetch(f"SELECT item_id, campaign_id FROM contributions WHERE {where}", args)
    for item_id, campaign_id in ((int(r[0]), int(r[1])) for r in rows):
        await tx.execute("DELETE FROM item_media WHERE item_id = ?", (item_id,))
        await tx.execute(
            "UPDATE items SET text = NULL, candidate = NULL, meta = '{}' WHERE id = ?",
            (item_id,),
        )
        await tx.execute(
            "UPDATE tallies SET status = ? WHERE campaign_id = ? AND item_id = ?",
            (TALLY_HIDDEN, campaign_id, item_id),
        )
    await tx.execute(f"DELETE FROM contributions WHERE {where}", args)


async def insert_contribution(tx: Conn, c: NewContribution, now: float) -> ContributionRow:
    """The contribution row and its item (media, tally) in the caller's transaction."""
    dataset_id = int(
        await tx.fetchval("SELECT dataset_id FROM campaigns WHERE id = ?", (c.campaign_id,))
    )
    item_id = await _item(tx, c, dataset_id, now)
    r = await tx.fetchone(
        "INSERT INTO contributions (campaign_id, item_id, parent_item_id, player_id, kind, "
        "platform, meta, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        f"RETURNING {CONTRIBUTION_COLS}",
        (c.campaign_id, item_id, c.parent_item_id, c.player_id, c.kind, c.platform,
         dumps(c.meta), now),
    )  # fmt: skip
    assert r is not None
    return _row(r)


async def _item(tx: Conn, c: NewContribution, dataset_id: int, now: float) -> int:
    """The contribution's item in the campaign's dataset, its media and its tally."""
    item_id = int(
        await tx.fetchval(ITEM_INSERT + " RETURNING id", item_values(dataset_id, c.item, now))
    )
    if c.item.media is not None:
        await tx.execute(
            "INSERT INTO item_media (item_id, mime, data) VALUES (?, ?, ?)",
            (item_id, c.item.mime or "application/octet-stream", c.item.media),
        )
    await tx.execute(
        "INSERT INTO tallies (campaign_id, item_id) VALUES (?, ?)", (c.campaign_id, item_id)
    )
    return item_id
