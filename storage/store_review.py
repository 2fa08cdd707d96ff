"""Store queries: review queue, expert labels, gold promotion, standing resets, review log.

The review queue is every non-gold item whose tally is in `review` (it reached max_overlap
below the confidence threshold), ordered by (campaign, item): a cursor of one (campaign,
item) key pages through it both ways. Each moderator action is written together with its
`review_log` row, in one transaction, so the log never misses a change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storage.driver import Conn
from storage.rows import TALLY_REVIEWED, ReviewLogEntry, ReviewLogRow, TallyRow
from storage.sql_base import NOT_GOLD, TALLY_COLS, SqlBase, dumps, loads, tally_row
from storage.store_events import FINALIZED, append_event, take_turn

_T_COLS = ", ".join(f"t.{c.strip()}" for c in TALLY_COLS.split(","))
_LOG_COLS = (
    "id, created_at, action, actor, actor_player_id, campaign_id, item_id, player_id, detail"
)
_IN_QUEUE = f"t.status = 'review' AND {NOT_GOLD}"
Key = tuple[int, int]


def _opt(v: Any) -> int | None:
    return None if v is None else int(v)


def _log_row(r: Any) -> ReviewLogRow:
    return ReviewLogRow(
        int(r[0]),
        float(r[1]),
        r[2],
        r[3],
        _opt(r[4]),
        _opt(r[5]),
        _opt(r[6]),
        _opt(r[7]),
        loads(r[8]),
    )


def _ids(n: int) -> str:
    return ", ".join("?" * n)


_INSERT_LOG = (
    "INSERT INTO review_log (created_at, action, actor, actor_player_id, campaign_id, item_id, "
    "player_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _log_params(e: ReviewLogEntry) -> tuple[object, ...]:
    return (
        e.created_at,
        e.action,
        e.actor,
        e.actor_player_id,
        e.campaign_id,
        e.item_id,
        e.player_id,
        dumps(e.detail),
    )


class _NotQueued(Exception):
    """An item of a `send_back` is not in review: nothing of the call is kept."""


class ReviewMixin(SqlBase):
    # queue ------------------------------------------------------------------------------

    async def review_queue(
        self,
        campaign_ids: Sequence[int],
        *,
        after: Key | None = None,
        before: Key | None = None,
        limit: int = 1,
    ) -> list[TallyRow]:
        """Items in review in these campaigns, by (campaign, item): the first `limit`, or
        those just after `after`, or just before `before` (nearest first)."""
        if not campaign_ids:
            return []
        sql = (
            f"SELECT {_T_COLS} FROM tallies t JOIN items i ON i.id = t.item_id "
            f"WHERE t.campaign_id IN ({_ids(len(campaign_ids))}) AND {_IN_QUEUE}"
        )
        params: list[object] = list(campaign_ids)
        order = "ASC"
        if after is not None:
            sql += " AND (t.campaign_id > ? OR (t.campaign_id = ? AND t.item_id > ?))"
            params += [after[0], after[0], after[1]]
        elif before is not None:
            sql += " AND (t.campaign_id < ? OR (t.campaign_id = ? AND t.item_id < ?))"
            params += [before[0], before[0], before[1]]
            order = "DESC"
        sql += f" ORDER BY t.campaign_id {order}, t.item_id {order} LIMIT ?"
        async with self.db.read() as c:
            rows = await c.fetch(sql, [*params, limit])
        return [tally_row(r) for r in rows]

    async def review_counts(self, campaign_ids: Sequence[int]) -> dict[int, int]:
        """Items in review per campaign (campaigns with none are left out)."""
        if not campaign_ids:
            return {}
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT t.campaign_id, COUNT(*) FROM tallies t JOIN items i ON i.id = t.item_id "
                f"WHERE t.campaign_id IN ({_ids(len(campaign_ids))}) AND {_IN_QUEUE} "
                "GROUP BY t.campaign_id",
                list(campaign_ids),
            )
        return {int(r[0]): int(r[1]) for r in rows}

    async def review_position(self, campaign_id: int, item_id: int) -> int:
        """1-based place of an item in its campaign's queue (items in review before it + 1)."""
        async with self.db.read() as c:
            before = await c.fetchval(
                "SELECT COUNT(*) FROM tallies t JOIN items i ON i.id = t.item_id "
                f"WHERE t.campaign_id = ? AND t.item_id < ? AND {_IN_QUEUE}",
                (campaign_id, item_id),
            )
        return int(before or 0) + 1

    async def item_tallies(self, item_id: int) -> list[TallyRow]:
        """The tallies of one item, one per campaign over its dataset."""
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {TALLY_COLS} FROM tallies WHERE item_id = ? ORDER BY campaign_id",
                (item_id,),
            )
        return [tally_row(r) for r in rows]

    # actions ----------------------------------------------------------------------------

    async def set_expert_label(
        self,
        campaign_id: int,
        item_id: int,
        label: str,
        entry: ReviewLogEntry,
        *,
        gold_explanation: str | None = None,
        queued_only: bool = False,
    ) -> TallyRow | None:
        """Set the expert label of an item (status `reviewed`, the crowd's label kept) and log
        it; with `gold_explanation` the item also becomes a gold item of this campaign only
        (`campaign_gold`), with that answer. None when the campaign has no such item
        (`queued_only`: no such item in its review queue)."""
        queued = " AND status = 'review'" if queued_only else ""
        async with self.db.transaction() as tx:
            await take_turn(tx, self.db.dialect)  # first: label_events' order is commit order
            r = await tx.fetchone(
                "UPDATE tallies SET status = ?, reviewed_label = ?, reviewed_by = ?, "
                "finalized_at = COALESCE(finalized_at, ?) WHERE campaign_id = ? AND item_id = ?"
                f"{queued} RETURNING {TALLY_COLS}",
                (TALLY_REVIEWED, label, entry.actor, entry.created_at, campaign_id, item_id),
            )
            if r is None:
                return None
            await append_event(tx, FINALIZED, campaign_id, item_id, entry.created_at)
            await tx.execute(_INSERT_LOG, _log_params(entry))
            if gold_explanation is not None:
                await tx.execute(
                    "INSERT INTO campaign_gold (campaign_id, item_id, gold, explanation, "
                    "source, set_by, set_at) VALUES (?, ?, ?, ?, 'review', ?, ?)",
                    (campaign_id, item_id, label, gold_explanation, entry.actor, entry.created_at),
                )
                gold = ReviewLogEntry(
                    "gold",
                    entry.actor,
                    entry.created_at,
                    entry.actor_player_id,
                    campaign_id,
                    item_id,
                    None,
                    {"label": label, "explanation": gold_explanation},
                )
                await tx.execute(_INSERT_LOG, _log_params(gold))
        return tally_row(r)

    async def send_back(
        self, campaign_id: int, entries: Sequence[ReviewLogEntry], more: int, max_overlap: int
    ) -> list[TallyRow] | None:
        """Return the items of `entries` (each names its item) from the review queue to the
        crowd, all or none, with their log rows: the tally goes back to `open` with its answers
        kept, and `extra_overlap` lets it take `more` answers beyond those it has (the
        campaign's `max_overlap` plus the extra is where it would stop again). None, with
        nothing changed, when any of them is not in the campaign's review queue."""
        done: list[TallyRow] = []
        try:
            async with self.db.transaction() as tx:
                await self._send_back(tx, campaign_id, entries, more, max_overlap, done)
        except _NotQueued:
            return None
        return done

    async def _send_back(
        self,
        tx: Conn,
        campaign_id: int,
        entries: Sequence[ReviewLogEntry],
        more: int,
        max_overlap: int,
        done: list[TallyRow],
    ) -> None:
        for e in entries:
            r = await tx.fetchone(
                "UPDATE tallies SET status = 'open', finalized_at = NULL, "
                "extra_overlap = n_answers + ? - ? WHERE campaign_id = ? AND item_id = ? "
                "AND status = 'review' AND NOT EXISTS (SELECT 1 FROM campaign_gold g "
                "WHERE g.campaign_id = tallies.campaign_id AND g.item_id = tallies.item_id) "
                f"RETURNING {TALLY_COLS}",
                (more, max_overlap, campaign_id, e.item_id),
            )
            if r is None:
                raise _NotQueued  # rolls the whole transaction back
            await tx.execute(_INSERT_LOG, _log_params(e))
            done.append(tally_row(r))

    async def reset_standings(
        self, player_id: int, campaign_ids: Sequence[int], entry: ReviewLogEntry
    ) -> int:
        """Clear a player's spam counters and gold record in these campaigns and let a failed
        tutorial start over now (a passed one stays passed); returns the standings changed."""
        if not campaign_ids:
            return 0
        failed = "onboarding = 'failed'"
        async with self.db.transaction() as tx:
            rows = await tx.fetch(
                "UPDATE player_campaign SET gold_answered = 0, gold_right = 0, flagged = 0, "
                "flags = '{}', same_run = 0, last_label = NULL, onboarding_failed_at = NULL, "
                f"onboarding = CASE WHEN {failed} THEN 'pending' ELSE onboarding END, "
                f"onboarding_answered = CASE WHEN {failed} THEN 0 ELSE onboarding_answered END, "
                f"onboarding_right = CASE WHEN {failed} THEN 0 ELSE onboarding_right END, "
                f"updated_at = ? WHERE player_id = ? AND campaign_id IN "
                f"({_ids(len(campaign_ids))}) RETURNING campaign_id",
                (entry.created_at, player_id, *campaign_ids),
            )
            if rows:
                await tx.execute(_INSERT_LOG, _log_params(entry))
        return len(rows)

    # log --------------------------------------------------------------------------------

    async def review_log(
        self, *, campaign_id: int | None = None, limit: int = 50
    ) -> list[ReviewLogRow]:
        """The latest moderator actions, newest first (of one campaign when given)."""
        where, params = "", []
        if campaign_id is not None:
            where, params = " WHERE campaign_id = ?", [campaign_id]
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {_LOG_COLS} FROM review_log{where} ORDER BY created_at DESC, id DESC "
                "LIMIT ?",
                [*params, limit],
            )
        return [_log_row(r) for r in rows]

    async def reviews_done(self, player_id: int) -> int:
        """Expert labels set by this player as a moderator (the `reviews_done` counter)."""
        async with self.db.read() as c:
            value = await c.fetchval(
                "SELECT COUNT(*) FROM review_log WHERE actor_player_id = ? AND action = 'label'",
                (player_id,),
            )
        return int(value or 0)
