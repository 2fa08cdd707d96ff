"""Store queries of the compare game (issue 17, migration 019; rules in
`storage.base.compare`). `add_compare_pair` follows `open_comparison` of translate: the key
row is inserted first, in the same transaction as the item, so a racing creator's insert
waits for the winner's commit and then does nothing."""

from __future__ import annotations

from storage.rows import NewItem
from storage.rows.compare import TALLY_BASE, ComparePairRow
from storage.sql_base import ITEM_INSERT, SqlBase, item_values
from storage.store_play_sql import NEEDS_ANSWERS, NOT_SEEN

PAIR_KIND = "pair"


class CompareMixin(SqlBase):
    """`storage.base.CompareStore` over SQL."""

    async def mark_compare_base(self, campaign_id: int) -> int:
        async with self.db.transaction() as tx:
            rows = await tx.fetch(
                "UPDATE tallies SET status = ? WHERE campaign_id = ? AND status = 'open' "
                "AND EXISTS (SELECT 1 FROM items i WHERE i.id = tallies.item_id "
                "AND i.kind <> ?) RETURNING item_id",
                (TALLY_BASE, campaign_id, PAIR_KIND),
            )
        return len(rows)

    async def compare_base_items(self, campaign_id: int) -> list[int]:
        async with self.db.read() as conn:
            rows = await conn.fetch(
                "SELECT item_id FROM tallies WHERE campaign_id = ? AND status = ? "
                "ORDER BY item_id",
                (campaign_id, TALLY_BASE),
            )
        return [int(r[0]) for r in rows]

    async def compare_pairs(self, campaign_id: int) -> list[ComparePairRow]:
        async with self.db.read() as conn:
            rows = await conn.fetch(
                "SELECT p.campaign_id, p.low_id, p.high_id, p.pair_item_id, t.status, "
                "t.n_answers, p.created_at FROM compare_pairs p JOIN tallies t "
                "ON t.campaign_id = p.campaign_id AND t.item_id = p.pair_item_id "
                "WHERE p.campaign_id = ? ORDER BY p.low_id, p.high_id",
                (campaign_id,),
            )
        return [
            ComparePairRow(
                int(r[0]), int(r[1]), int(r[2]), int(r[3]), str(r[4]), int(r[5]), float(r[6])
            )
            for r in rows
        ]

    async def compare_open_for(self, campaign_id: int, player_id: int) -> int:
        async with self.db.read() as conn:
            n = await conn.fetchval(
                "SELECT COUNT(*) FROM compare_pairs p JOIN tallies t "
                "ON t.campaign_id = p.campaign_id AND t.item_id = p.pair_item_id "
                "JOIN campaigns c ON c.id = t.campaign_id "
                f"WHERE p.campaign_id = ? AND {NEEDS_ANSWERS} AND {NOT_SEEN}",
                (campaign_id, player_id, player_id, player_id, player_id),
            )
        return int(n or 0)

    async def add_compare_pair(
        self, campaign_id: int, low_id: int, high_id: int, item: NewItem, now: float
    ) -> int | None:
        async with self.db.transaction() as tx:
            won = await tx.fetchval(
                "INSERT INTO compare_pairs (campaign_id, low_id, high_id, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, low_id, high_id) DO NOTHING "
                "RETURNING low_id",
                (campaign_id, low_id, high_id, now),
            )
            if won is None:
                return None
            dataset_id = await tx.fetchval(
                "SELECT dataset_id FROM campaigns WHERE id = ?", (campaign_id,)
            )
            pair_id = int(
                await tx.fetchval(
                    ITEM_INSERT + " RETURNING id", item_values(int(dataset_id), item, now)
                )
            )
            if item.media is not None:
                await tx.execute(
                    "INSERT INTO item_media (item_id, mime, data) VALUES (?, ?, ?)",
                    (pair_id, item.mime or "image/png", item.media),
                )
            await tx.execute(
                "INSERT INTO tallies (campaign_id, item_id) VALUES (?, ?)", (campaign_id, pair_id)
            )
            await tx.execute(
                "UPDATE compare_pairs SET pair_item_id = ? WHERE campaign_id = ? "
                "AND low_id = ? AND high_id = ?",
                (pair_id, campaign_id, low_id, high_id),
            )
        return pair_id
