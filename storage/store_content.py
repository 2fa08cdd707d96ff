"""Datasets, items (with their media) and campaigns."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from storage.driver import Conn
from storage.rows import (
    CampaignCounts,
    CampaignRow,
    DatasetRow,
    ItemRow,
    NewCampaign,
    NewItem,
)
from storage.sql_base import (
    CAMPAIGN_COLS,
    ITEM_COLS,
    ITEM_INSERT,
    NOT_GOLD,
    SqlBase,
    campaign_row,
    dumps,
    item_row,
    item_values,
)


class DuplicateName(Exception):
    """A dataset or campaign with this name exists already."""


@dataclass(frozen=True, slots=True)
class NewDataset:
    """A dataset to create with its items (`ContentMixin.create_imported`)."""

    name: str
    kind: str
    source: str


class ContentMixin(SqlBase):
    async def _lock_names(self, tx: Conn) -> None:
        """Serialise name checks of datasets and campaigns (SQLite writers are serial)."""
        if self.db.dialect == "postgres":
            await tx.execute("SELECT pg_advisory_xact_lock(715518)")

    async def create_imported(
        self,
        dataset: NewDataset,
        items: Sequence[NewItem],
        spec: NewCampaign,
        now: float,
    ) -> CampaignRow:
        """A dataset, its items and a campaign over them, in ONE transaction: a duplicate
        campaign name (DuplicateName) or any failure leaves nothing. The dataset takes the
        first free name of `name`, `name (2)`, ... (`spec.dataset_id` is ignored)."""
        async with self.db.transaction() as tx:
            await self._lock_names(tx)
            if await tx.fetchval("SELECT 1 FROM campaigns WHERE name = ?", (spec.name,)):
                raise DuplicateName(f"a campaign named {spec.name!r} exists already")
            name, n = dataset.name, 1
            while await tx.fetchval("SELECT 1 FROM datasets WHERE name = ?", (name,)):
                n += 1
                name = f"{dataset.name} ({n})"
            did = await tx.fetchval(
                "INSERT INTO datasets (name, kind, source, created_at) VALUES (?, ?, ?, ?) "
                "RETURNING id",
                (name, dataset.kind, dataset.source, now),
            )
            await self._insert_items(tx, int(did), items, now)
            return await self._insert_campaign(tx, dataclasses.replace(spec, dataset_id=did), now)

    async def create_dataset(self, name: str, kind: str, source: str, now: float) -> DatasetRow:
        async with self.db.transaction() as tx:
            if await tx.fetchval("SELECT 1 FROM datasets WHERE name = ?", (name,)):
                raise DuplicateName(f"a dataset named {name!r} exists already")
            did = await tx.fetchval(
                "INSERT INTO datasets (name, kind, source, created_at) VALUES (?, ?, ?, ?) "
                "RETURNING id",
                (name, kind, source, now),
            )
        return DatasetRow(int(did), name, kind, source, now)

    async def get_dataset(self, name: str) -> DatasetRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(
                "SELECT id, name, kind, source, created_at FROM datasets WHERE name = ?", (name,)
            )
        return None if r is None else DatasetRow(int(r[0]), r[1], r[2], r[3], float(r[4]))

    async def list_datasets(self) -> list[tuple[DatasetRow, int]]:
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT d.id, d.name, d.kind, d.source, d.created_at, "
                "(SELECT COUNT(*) FROM items i WHERE i.dataset_id = d.id) FROM datasets d "
                "ORDER BY d.id"
            )
        return [(DatasetRow(int(r[0]), r[1], r[2], r[3], float(r[4])), int(r[5])) for r in rows]

    async def add_items(self, dataset_id: int, items: Sequence[NewItem], now: float) -> list[int]:
        """Insert items and their media in one transaction; returns the new ids in order."""
        async with self.db.transaction() as tx:
            return await self._insert_items(tx, dataset_id, items, now)

    async def _insert_items(
        self, tx: Conn, dataset_id: int, items: Sequence[NewItem], now: float
    ) -> list[int]:
        ids: list[int] = []
        for it in items:
            iid = await tx.fetchval(
                ITEM_INSERT + " RETURNING id", item_values(dataset_id, it, now)
            )
            ids.append(int(iid))
        media = [
            (iid, it.mime or "application/octet-stream", it.media)
            for iid, it in zip(ids, items, strict=True)
            if it.media is not None
        ]
        await tx.executemany(
            "INSERT INTO item_media (item_id, mime, data) VALUES (?, ?, ?)", media
        )
        return ids

    async def get_item(self, item_id: int) -> ItemRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(f"SELECT {ITEM_COLS} FROM items WHERE id = ?", (item_id,))
        return None if r is None else item_row(r)

    async def get_items(self, item_ids: Sequence[int]) -> dict[int, ItemRow]:
        out: dict[int, ItemRow] = {}
        ids = list(dict.fromkeys(item_ids))
        step = self.chunks(len(ids), 1)
        async with self.db.read() as c:
            for i in range(0, len(ids), step):
                part = ids[i : i + step]
                rows = await c.fetch(
                    f"SELECT {ITEM_COLS} FROM items WHERE id IN ({', '.join('?' * len(part))})",
                    part,
                )
                out.update({int(r[0]): item_row(r) for r in rows})
        return out

    async def dataset_items(self, dataset_id: int) -> list[ItemRow]:
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {ITEM_COLS} FROM items WHERE dataset_id = ? ORDER BY id", (dataset_id,)
            )
        return [item_row(r) for r in rows]

    async def campaign_items(self, campaign_id: int) -> list[ItemRow]:
        """The items of a campaign, in id order, each with the campaign's gold (or none)."""
        cols = (
            "i.id, i.dataset_id, i.kind, i.source, i.text, i.candidate, g.gold, g.explanation, "
            "i.truth, i.meta"
        )
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {cols} FROM tallies t JOIN items i ON i.id = t.item_id "
                "LEFT JOIN campaign_gold g ON g.campaign_id = t.campaign_id "
                "AND g.item_id = t.item_id WHERE t.campaign_id = ? ORDER BY i.id",
                (campaign_id,),
            )
        return [item_row(r) for r in rows]

    async def campaign_gold(self, campaign_id: int) -> dict[int, tuple[str, str | None]]:
        """Item id -> (gold answer, explanation) of the campaign's gold items."""
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT item_id, gold, explanation FROM campaign_gold WHERE campaign_id = ?",
                (campaign_id,),
            )
        return {int(r[0]): (str(r[1]), r[2]) for r in rows}

    async def get_media(self, item_id: int) -> tuple[str, bytes] | None:
        async with self.db.read() as c:
            r = await c.fetchone("SELECT mime, data FROM item_media WHERE item_id = ?", (item_id,))
        return None if r is None else (r[0], bytes(r[1]))

    # campaigns --------------------------------------------------------------------

    async def create_campaign(self, spec: NewCampaign, now: float) -> CampaignRow:
        """The campaign and one open tally per item of its dataset, in one transaction."""
        async with self.db.transaction() as tx:
            await self._lock_names(tx)
            return await self._insert_campaign(tx, spec, now)

    async def _insert_campaign(self, tx: Conn, spec: NewCampaign, now: float) -> CampaignRow:
        if await tx.fetchval("SELECT 1 FROM campaigns WHERE name = ?", (spec.name,)):
            raise DuplicateName(f"a campaign named {spec.name!r} exists already")
        cid = await tx.fetchval(
            "INSERT INTO campaigns (name, game, dataset_id, question, options, min_overlap, "
            "max_overlap, confidence, gold_rate, reward_multiplier, status, community_id, "
            "created_by, settings, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                spec.name,
                spec.game,
                spec.dataset_id,
                spec.question,
                dumps(spec.options),
                spec.min_overlap,
                spec.max_overlap,
                spec.confidence,
                spec.gold_rate,
                spec.reward_multiplier,
                spec.status,
                spec.community_id,
                spec.created_by,
                dumps(spec.settings),
                now,
                now,
            ),
        )
        await tx.execute(
            "INSERT INTO tallies (campaign_id, item_id) "
            "SELECT CAST(? AS BIGINT), id FROM items WHERE dataset_id = ?",
            (cid, spec.dataset_id),
        )
        # The dataset's import gold becomes this campaign's gold (migration 008).
        await tx.execute(
            "INSERT INTO campaign_gold (campaign_id, item_id, gold, explanation, source, "
            "set_by, set_at) SELECT CAST(? AS BIGINT), id, gold, gold_explanation, 'import', "
            "NULL, CAST(? AS DOUBLE PRECISION) FROM items "
            "WHERE dataset_id = ? AND gold IS NOT NULL",
            (cid, now, spec.dataset_id),
        )
        r = await tx.fetchone(f"SELECT {CAMPAIGN_COLS} FROM campaigns WHERE id = ?", (cid,))
        assert r is not None
        return campaign_row(r)

    async def get_campaign(self, campaign_id: int) -> CampaignRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(
                f"SELECT {CAMPAIGN_COLS} FROM campaigns WHERE id = ?", (campaign_id,)
            )
        return None if r is None else campaign_row(r)

    async def get_campaign_by_name(self, name: str) -> CampaignRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(f"SELECT {CAMPAIGN_COLS} FROM campaigns WHERE name = ?", (name,))
        return None if r is None else campaign_row(r)

    async def list_campaigns(self, statuses: Sequence[str] | None = None) -> list[CampaignRow]:
        sql = f"SELECT {CAMPAIGN_COLS} FROM campaigns"
        params: list[str] = []
        if statuses:
            sql += f" WHERE status IN ({', '.join('?' * len(statuses))})"
            params = list(statuses)
        async with self.db.read() as c:
            rows = await c.fetch(sql + " ORDER BY id", params)
        return [campaign_row(r) for r in rows]

    async def campaign_counts(self, campaign_id: int) -> CampaignCounts:
        async with self.db.read() as c:
            r = await c.fetchone(
                "SELECT COUNT(*), "
                "SUM(CASE WHEN t.status = 'finalized' THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN t.status = 'review' THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN t.status = 'reviewed' THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN t.status = 'open' AND t.n_answers > 0 THEN 1 ELSE 0 END) "
                "FROM tallies t JOIN items i ON i.id = t.item_id "
                f"WHERE t.campaign_id = ? AND {NOT_GOLD}",
                (campaign_id,),
            )
            answers = await c.fetchone(
                "SELECT COUNT(*), COUNT(DISTINCT player_id) FROM answers WHERE campaign_id = ?",
                (campaign_id,),
            )
        assert r is not None and answers is not None
        return CampaignCounts(
            items=int(r[0] or 0),
            finalized=int(r[1] or 0),
            review=int(r[2] or 0),
            reviewed=int(r[3] or 0),
            in_progress=int(r[4] or 0),
            answers=int(answers[0] or 0),
            players=int(answers[1] or 0),
        )

    # ownership (the scope rule, migration 007) ------------------------------------------

    async def dataset_owners(self) -> dict[int, int | None]:
        """Every dataset's owner community (None: shared), by dataset id."""
        async with self.db.read() as c:
            rows = await c.fetch("SELECT id, community_id FROM datasets")
        return {int(r[0]): None if r[1] is None else int(r[1]) for r in rows}

    async def claim_dataset(self, dataset_id: int, community_id: int) -> None:
        """Make a shared dataset the community's (a moderator's upload just created it)."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE datasets SET community_id = ? WHERE id = ? AND community_id IS NULL",
                (community_id, dataset_id),
            )
