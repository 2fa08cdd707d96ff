"""Store queries of the JSON API's write side and answer feed (issue 14).

Rules:
- items are pushed to ONE campaign: each is inserted into the campaign's dataset unless its
  `source` is there already (`UNIQUE (dataset_id, source)`: `ON CONFLICT DO NOTHING`, so two
  racing pushes of one source store it once), and gets a tally in that campaign only, with
  its priority (migration 010); an item already in the dataset is not changed (the engine
  reports the ones already in the campaign and refuses a source another campaign's item
  holds, see `campaign_sources`);
- the answer feed reads a campaign's answers by id: ids are handed out inside the answer
  batch's transaction, which on PostgreSQL holds the batch lock to its commit, so a reader
  never sees a larger id before a smaller one commits.
"""

from __future__ import annotations

from collections.abc import Sequence

from storage.driver import Conn
from storage.rows import AnswerRow, NewItem
from storage.sql_base import ANSWER_COLS, ITEM_INSERT, SqlBase, answer_row, item_values


class IntakeMixin(SqlBase):
    async def campaign_sources(
        self, campaign_id: int, dataset_id: int, sources: Sequence[str]
    ) -> dict[str, tuple[int, bool]]:
        """The items of `sources` already in the dataset: source -> (item id, whether it is
        in the campaign)."""
        out: dict[str, tuple[int, bool]] = {}
        wanted = list(dict.fromkeys(sources))
        step = self.chunks(len(wanted), 1) - 2
        async with self.db.read() as c:
            for i in range(0, len(wanted), step):
                part = wanted[i : i + step]
                rows = await c.fetch(
                    "SELECT i.source, i.id, t.item_id FROM items i LEFT JOIN tallies t "
                    "ON t.item_id = i.id AND t.campaign_id = ? WHERE i.dataset_id = ? "
                    f"AND i.source IN ({', '.join('?' * len(part))})",
                    [campaign_id, dataset_id, *part],
                )
                out.update({str(r[0]): (int(r[1]), r[2] is not None) for r in rows})
        return out

    async def push_campaign_items(
        self,
        campaign_id: int,
        dataset_id: int,
        items: Sequence[tuple[NewItem, int]],
        now: float,
    ) -> list[tuple[int, bool]]:
        """Insert `(item, priority)` pairs into the dataset and the campaign, in one
        transaction (see the module rules). Returns (item id, created) per pair, in order."""
        out: list[tuple[int, bool]] = []
        async with self.db.transaction() as tx:
            for item, priority in items:
                iid = await _insert_item(tx, dataset_id, item, now)
                created = iid is not None
                if iid is None:
                    iid = int(
                        await tx.fetchval(
                            "SELECT id FROM items WHERE dataset_id = ? AND source = ?",
                            (dataset_id, item.source),
                        )
                    )
                elif item.media is not None:
                    await tx.execute(
                        "INSERT INTO item_media (item_id, mime, data) VALUES (?, ?, ?)",
                        (iid, item.mime or "application/octet-stream", item.media),
                    )
                await tx.execute(
                    "INSERT INTO tallies (campaign_id, item_id, priority) VALUES (?, ?, ?) "
                    "ON CONFLICT (campaign_id, item_id) DO NOTHING",
                    (campaign_id, iid, priority),
                )
                out.append((iid, created))
        return out

    async def campaign_answers_after(
        self, campaign_id: int, after_id: int, limit: int
    ) -> list[AnswerRow]:
        """At most `limit` answers of the campaign with an id above `after_id`, by id."""
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {ANSWER_COLS} FROM answers WHERE campaign_id = ? AND id > ? "
                "ORDER BY id LIMIT ?",
                (campaign_id, after_id, limit),
            )
        return [answer_row(r) for r in rows]


async def _insert_item(tx: Conn, dataset_id: int, it: NewItem, now: float) -> int | None:
    iid = await tx.fetchval(
        ITEM_INSERT + " ON CONFLICT (dataset_id, source) DO NOTHING RETURNING id",
        item_values(dataset_id, it, now),
    )
    return None if iid is None else int(iid)
