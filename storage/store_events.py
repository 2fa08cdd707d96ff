"""Store queries: the append-only label events (`label_events`, migration 010).

Rules:
- a row is appended IN THE TRANSACTION of the state change it records: a tally finalized
  (`label.finalized`) or entering review (`item.needs_review`) by the answer batch or the
  forget recount (`AnswerTx.save_tallies`, through `tally_events_sql`), an expert label
  (`label.finalized`, `ReviewMixin.set_expert_label`), a campaign completed
  (`campaign.completed`, `CampaignsMixin.change_campaign_status`);
- every writer first takes the answer batch's transaction-scoped advisory lock
  (`take_turn`, PostgreSQL; SQLite has one writer): writers of label_events commit one after
  another, so the order of `seq` is the order of commits, and a reader that has seen seq N
  never later finds a new row below N (what makes `seq` an exact cursor). Take it FIRST in
  the transaction, before any row lock, the answer batch's lock order;
- rows are never updated or deleted (but with their campaign); they name no player.
"""

from __future__ import annotations

from functools import cache

from storage.batch_sql import BIGINT, REAL, TEXT, typed_rows
from storage.driver import Conn, Row
from storage.rows import LabelEventRow, LabelPageData
from storage.sql_base import (
    ANSWER_COLS,
    STANDING_COLS,
    TALLY_COLS,
    SqlBase,
    answer_row,
    item_row,
    marks,
    standing_row,
    tally_row,
)

ANSWER_BATCH_LOCK = 715518
"""The PostgreSQL advisory lock (transaction scope) every answer batch and every writer of
`label_events` takes first."""

FINALIZED, NEEDS_REVIEW, COMPLETED = "label.finalized", "item.needs_review", "campaign.completed"
KINDS = (FINALIZED, NEEDS_REVIEW, COMPLETED)
_COLS = "seq, kind, campaign_id, item_id, at"


async def take_turn(conn: Conn, dialect: str) -> None:
    """Take the label-events (= answer batch) lock until the transaction ends (PostgreSQL;
    a no-op on SQLite, whose writes are serialized already)."""
    if dialect == "postgres":
        await conn.execute(f"SELECT pg_advisory_xact_lock({ANSWER_BATCH_LOCK})")


async def append_event(
    conn: Conn, kind: str, campaign_id: int, item_id: int | None, at: float
) -> None:
    """Append one event (the caller holds `take_turn`)."""
    await conn.execute(
        "INSERT INTO label_events (kind, campaign_id, item_id, at) VALUES (?, ?, ?, ?)",
        (kind, campaign_id, item_id, at),
    )


EVENT_TYPES = (BIGINT, BIGINT, TEXT, REAL)


@cache
def tally_events_sql(n: int) -> str:
    """For n tally updates `(campaign, item, new status, finalized_at)`, run BEFORE the
    update: append `label.finalized` for a tally going from open or review to finalized, and
    `item.needs_review` for one going from open to review (a finalized or reviewed tally
    stays as it is). `at` is the finalization time, else the item's newest answer."""
    return (
        f"WITH v(c, i, status, fin) AS (VALUES {typed_rows(EVENT_TYPES, n)}) "
        "INSERT INTO label_events (kind, campaign_id, item_id, at) "
        f"SELECT CASE WHEN v.status = 'finalized' THEN '{FINALIZED}' ELSE '{NEEDS_REVIEW}' END, "
        "v.c, v.i, COALESCE(v.fin, (SELECT MAX(a.created_at) FROM answers a "
        "WHERE a.campaign_id = v.c AND a.item_id = v.i), 0) "
        "FROM v JOIN tallies t ON t.campaign_id = v.c AND t.item_id = v.i "
        "WHERE v.status IN ('finalized', 'review') AND t.status IN ('open', 'review') "
        "AND t.status <> v.status ORDER BY v.c, v.i"
    )


def _row(r: Row) -> LabelEventRow:
    return LabelEventRow(
        seq=int(r[0]),
        kind=r[1],
        campaign_id=int(r[2]),
        item_id=None if r[3] is None else int(r[3]),
        at=float(r[4]),
    )


class EventsMixin(SqlBase):
    async def label_events(
        self, campaign_id: int, after: int, limit: int, kind: str | None = None
    ) -> list[LabelEventRow]:
        """The campaign's events with `seq > after` (of `kind` when given), in seq order, at
        most `limit` (one index range: `label_events (campaign_id, seq)`)."""
        params: list[object] = [campaign_id, after]
        where = ""
        if kind is not None:
            where, params = " AND kind = ?", [*params, kind]
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {_COLS} FROM label_events WHERE campaign_id = ? AND seq > ?{where} "
                "ORDER BY seq LIMIT ?",
                [*params, limit],
            )
        return [_row(r) for r in rows]

    async def label_page(self, campaign_id: int, after: int, limit: int) -> LabelPageData:
        """The campaign's `label.finalized` events with `seq > after` (at most `limit`, seq
        order), with the current tallies, items, answers and standings of their items, read
        on one connection: O(page), never O(campaign)."""
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {_COLS} FROM label_events WHERE campaign_id = ? AND kind = ? "
                "AND seq > ? ORDER BY seq LIMIT ?",
                (campaign_id, FINALIZED, after, limit),
            )
            events = [_row(r) for r in rows]
            ids = sorted({e.item_id for e in events if e.item_id is not None})
            if not ids:
                return LabelPageData(events)
            within = f"campaign_id = ? AND item_id IN ({marks(len(ids))})"
            tallies = await c.fetch(
                f"SELECT {TALLY_COLS} FROM tallies WHERE {within}", [campaign_id, *ids]
            )
            items = await c.fetch(
                "SELECT i.id, i.dataset_id, i.kind, i.source, i.text, i.candidate, g.gold, "
                "g.explanation, i.truth, i.meta FROM items i LEFT JOIN campaign_gold g "
                f"ON g.campaign_id = ? AND g.item_id = i.id WHERE i.id IN ({marks(len(ids))})",
                [campaign_id, *ids],
            )
            answers = [
                answer_row(r)
                for r in await c.fetch(
                    f"SELECT {ANSWER_COLS} FROM answers WHERE {within} ORDER BY id",
                    [campaign_id, *ids],
                )
            ]
            standings = await c.fetch(
                f"SELECT {STANDING_COLS} FROM player_campaign WHERE campaign_id = ? "
                f"AND player_id IN (SELECT player_id FROM answers WHERE {within})",
                [campaign_id, campaign_id, *ids],
            )
        return LabelPageData(
            events,
            [tally_row(r) for r in tallies],
            [item_row(r) for r in items],
            answers,
            [standing_row(r) for r in standings],
        )

    async def last_label_seq(self) -> int:
        """The highest seq written so far (0 when none)."""
        async with self.db.read() as c:
            value = await c.fetchval("SELECT MAX(seq) FROM label_events")
        return int(value or 0)
