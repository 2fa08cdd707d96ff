"""Rounds, item selection with overlap reservations, answers and tallies (reads and
single writes). Batched answer writes live in `storage/batch.py`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from storage.base import AnswerUnit
from storage.batch import AnswerTx
from storage.rows import AnswerRow, RoundRow, Standing, TallyRow
from storage.sql_base import (
    ANSWER_COLS,
    IS_GOLD,
    NOT_GOLD,
    ROUND_COLS,
    STANDING_COLS,
    TALLY_COLS,
    UPSERT_STANDING,
    SqlBase,
    answer_row,
    dumps,
    round_row,
    standing_params,
    standing_row,
    tally_row,
)
from storage.store_events import ANSWER_BATCH_LOCK as ANSWER_BATCH_LOCK
from storage.store_events import take_turn
from storage.store_play_sql import NEEDS_ANSWERS as _NEEDS_ANSWERS
from storage.store_play_sql import NOT_FULL as _NOT_FULL
from storage.store_play_sql import NOT_SEEN as _NOT_SEEN


class PlayMixin(SqlBase):
    @asynccontextmanager
    async def answer_batch(self) -> AsyncIterator[AnswerUnit]:
        """One write transaction for a group commit of answers (see `storage.batch`): writes
        are pipelined where the driver allows it, and all of them have ended before the
        transaction commits or rolls back.

        On PostgreSQL the batches of all processes take turns (`ANSWER_BATCH_LOCK`, held to
        the commit): a batch locks its players, then tallies, then the players a finalized
        item credits, so two at once could deadlock. Each process still groups its answers
        into one batch per turn."""
        async with self.db.transaction() as conn:
            await take_turn(conn, self.db.dialect)  # ANSWER_BATCH_LOCK: also label events
            tx = AnswerTx(conn, self.db.dialect, self.db.max_params)
            tx.pipeline()
            try:
                yield tx
                await tx.finish()
            except BaseException:
                await tx.settle()  # queued writes end before the rollback
                raise

    async def reserve_solo_item(
        self,
        campaign_id: int,
        player_id: int,
        *,
        gold: bool,
        platform: str,
        now: float,
        closes_at: float | None = None,
        state: dict[str, Any] | None = None,
    ) -> RoundRow | None:
        """Pick the next item for a player's solo session and open a solo round for it.

        One open solo round per player and campaign: the one the player holds is returned
        (renewed to `closes_at`) instead of a second item (see `_held_solo_round`).

        Never an item the player has answered or been served before. A normal item is taken
        only while it needs answers (see `_NEEDS_ANSWERS`), and its reservation is counted in
        `pending` so concurrent players do not overshoot the overlap. Gold items are served
        to each player once, regardless of overlap.
        """
        gold_sql = IS_GOLD if gold else f"{NOT_GOLD} AND {_NEEDS_ANSWERS}"
        async with self.db.transaction() as tx:
            held = await _held_solo_round(tx, campaign_id, player_id, closes_at)
            if held is not None:
                return held
            for _attempt in range(3):
                item_id = await tx.fetchval(
                    "SELECT t.item_id FROM tallies t JOIN items i ON i.id = t.item_id "
                    "JOIN campaigns c ON c.id = t.campaign_id "
                    f"WHERE t.campaign_id = ? AND {gold_sql} AND {_NOT_SEEN} "
                    "ORDER BY t.priority DESC, t.n_answers DESC, t.item_id LIMIT 1",
                    (campaign_id, player_id, player_id, player_id, player_id),
                )
                if item_id is None:
                    return None
                if not gold:
                    took = await tx.fetchval(
                        "UPDATE tallies SET pending = pending + 1 WHERE campaign_id = ? "
                        f"AND item_id = ? AND item_id IN (SELECT t.item_id FROM tallies t "
                        f"JOIN campaigns c ON c.id = t.campaign_id WHERE t.campaign_id = ? "
                        f"AND t.item_id = ? AND {_NEEDS_ANSWERS}) RETURNING item_id",
                        (campaign_id, item_id, campaign_id, item_id),
                    )
                    if took is None:
                        continue
                return await _insert_round(
                    tx,
                    campaign_id,
                    int(item_id),
                    "solo",
                    None,
                    player_id,
                    platform,
                    now,
                    closes_at,
                    state or {},
                )
        return None

    async def open_solo_campaigns(self, player_id: int) -> set[int]:
        """The campaigns in which a player holds an open solo round (a reservation)."""
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT DISTINCT campaign_id FROM rounds WHERE player_id = ? AND mode = 'solo' "
                "AND status = 'open'",
                (player_id,),
            )
        return {int(r[0]) for r in rows}

    async def pick_channel_item(self, campaign_id: int, *, gold: bool = False) -> int | None:
        """The next item for a round in a channel: open with room for answers (an item
        whose label a feature decides waits open when full), not in another open round."""
        gold_sql = IS_GOLD if gold else f"{NOT_GOLD} AND t.status = 'open' AND {_NOT_FULL}"
        async with self.db.read() as c:
            value = await c.fetchval(
                "SELECT t.item_id FROM tallies t JOIN items i ON i.id = t.item_id "
                f"WHERE t.campaign_id = ? AND {gold_sql} AND NOT EXISTS (SELECT 1 FROM rounds r "
                "WHERE r.campaign_id = t.campaign_id AND r.item_id = t.item_id "
                "AND r.status = 'open' AND r.mode = 'channel') "
                "ORDER BY t.priority DESC, t.n_answers DESC, t.item_id LIMIT 1",
                (campaign_id,),
            )
        return None if value is None else int(value)

    async def open_round(
        self,
        campaign_id: int,
        item_id: int,
        *,
        mode: str,
        channel_id: int | None,
        player_id: int | None,
        platform: str,
        now: float,
        closes_at: float | None,
        state: dict[str, Any] | None = None,
        max_open_in_channel: int | None = None,
    ) -> RoundRow | None:
        """Open a round. With `max_open_in_channel`, a channel round is opened only while
        its channel holds fewer open rounds (checked in this transaction, see
        `channel_full`); None when it is full."""
        async with self.db.transaction() as tx:
            if (
                max_open_in_channel is not None
                and channel_id is not None
                and await channel_full(tx, channel_id, max_open_in_channel)
            ):
                return None
            return await _insert_round(
                tx,
                campaign_id,
                item_id,
                mode,
                channel_id,
                player_id,
                platform,
                now,
                closes_at,
                state or {},
            )

    async def get_round(self, round_id: int) -> RoundRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(f"SELECT {ROUND_COLS} FROM rounds WHERE id = ?", (round_id,))
        return None if r is None else round_row(r)

    async def bind_round_message(self, round_id: int, message_ref: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE rounds SET message_ref = ? WHERE id = ?", (message_ref, round_id)
            )

    async def close_round(
        self, round_id: int, now: float, status: str = "closed"
    ) -> RoundRow | None:
        """Close an open round (releasing a solo reservation); None if it was not open."""
        async with self.db.transaction() as tx:
            r = await tx.fetchone(
                f"UPDATE rounds SET status = ?, closed_at = ? WHERE id = ? AND status = 'open' "
                f"RETURNING {ROUND_COLS}",
                (status, now, round_id),
            )
            if r is None:
                return None
            row = round_row(r)
            if row.mode == "solo":
                await tx.execute(
                    "UPDATE tallies SET pending = CASE WHEN pending > 0 THEN pending - 1 "
                    "ELSE 0 END WHERE campaign_id = ? AND item_id = ?",
                    (row.campaign_id, row.item_id),
                )
        return row

    async def due_rounds(self, now: float, limit: int = 500) -> list[RoundRow]:
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {ROUND_COLS} FROM rounds WHERE status = 'open' AND closes_at IS NOT NULL "
                "AND closes_at <= ? ORDER BY closes_at LIMIT ?",
                (now, limit),
            )
        return [round_row(r) for r in rows]

    async def open_channel_rounds(self, channel_id: int) -> list[RoundRow]:
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {ROUND_COLS} FROM rounds WHERE channel_id = ? AND status = 'open' "
                "ORDER BY id",
                (channel_id,),
            )
        return [round_row(r) for r in rows]

    async def round_answers(self, round_id: int) -> list[AnswerRow]:
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {ANSWER_COLS} FROM answers WHERE round_id = ? ORDER BY id", (round_id,)
            )
        return [answer_row(r) for r in rows]

    async def get_answer(self, campaign_id: int, item_id: int, player_id: int) -> AnswerRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(
                f"SELECT {ANSWER_COLS} FROM answers WHERE campaign_id = ? AND item_id = ? "
                "AND player_id = ?",
                (campaign_id, item_id, player_id),
            )
        return None if r is None else answer_row(r)

    async def item_answers(self, campaign_id: int, item_id: int) -> list[AnswerRow]:
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {ANSWER_COLS} FROM answers WHERE campaign_id = ? AND item_id = ? "
                "ORDER BY id",
                (campaign_id, item_id),
            )
        return [answer_row(r) for r in rows]

    async def campaign_answers(self, campaign_id: int) -> list[AnswerRow]:
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {ANSWER_COLS} FROM answers WHERE campaign_id = ? ORDER BY id",
                (campaign_id,),
            )
        return [answer_row(r) for r in rows]

    async def player_answers(self, player_id: int, limit: int = 1000) -> list[AnswerRow]:
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {ANSWER_COLS} FROM answers WHERE player_id = ? "
                "ORDER BY created_at DESC, id DESC LIMIT ?",
                (player_id, limit),
            )
        return [answer_row(r) for r in rows]

    async def get_tally(self, campaign_id: int, item_id: int) -> TallyRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(
                f"SELECT {TALLY_COLS} FROM tallies WHERE campaign_id = ? AND item_id = ?",
                (campaign_id, item_id),
            )
        return None if r is None else tally_row(r)

    async def campaign_tallies(self, campaign_id: int) -> list[TallyRow]:
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {TALLY_COLS} FROM tallies WHERE campaign_id = ? ORDER BY item_id",
                (campaign_id,),
            )
        return [tally_row(r) for r in rows]


async def channel_full(tx: Any, channel_id: int, cap: int) -> bool:
    """Whether a channel already holds `cap` open channel rounds. The channel's row is locked
    first, so concurrent opens in one channel (several processes on one PostgreSQL) queue
    and each counts the rounds the others committed; SQLite has a single writer."""
    await tx.execute("UPDATE channels SET kind = kind WHERE id = ?", (channel_id,))
    n = await tx.fetchval(
        "SELECT COUNT(*) FROM rounds WHERE channel_id = ? AND status = 'open' "
        "AND mode = 'channel'",
        (channel_id,),
    )
    return int(n or 0) >= cap


async def _held_solo_round(
    tx: Any, campaign_id: int, player_id: int, closes_at: float | None
) -> RoundRow | None:
    """The player's open solo round in a campaign, renewed to `closes_at` (None if none).
    The player's row is locked first, so concurrent reservations of one player queue
    (PostgreSQL; SQLite has one writer) and the second finds the first's round."""
    await tx.execute("UPDATE players SET hidden = hidden WHERE id = ?", (player_id,))
    r = await tx.fetchone(
        "UPDATE rounds SET closes_at = COALESCE(?, closes_at) WHERE campaign_id = ? "
        "AND player_id = ? AND mode = 'solo' AND status = 'open' "
        f"RETURNING {ROUND_COLS}",
        (closes_at, campaign_id, player_id),
    )
    return None if r is None else round_row(r)


async def _insert_round(
    tx: Any,
    campaign_id: int,
    item_id: int,
    mode: str,
    channel_id: int | None,
    player_id: int | None,
    platform: str,
    now: float,
    closes_at: float | None,
    state: dict[str, Any],
) -> RoundRow:
    r = await tx.fetchone(
        "INSERT INTO rounds (campaign_id, item_id, mode, channel_id, player_id, platform, "
        "status, opened_at, closes_at, state) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) "
        f"RETURNING {ROUND_COLS}",
        (
            campaign_id,
            item_id,
            mode,
            channel_id,
            player_id,
            platform,
            now,
            closes_at,
            dumps(state),
        ),
    )
    assert r is not None
    return round_row(r)


class StandingsMixin(SqlBase):
    async def get_standing(self, player_id: int, campaign_id: int) -> Standing:
        async with self.db.read() as c:
            r = await c.fetchone(
                f"SELECT {STANDING_COLS} FROM player_campaign WHERE player_id = ? "
                "AND campaign_id = ?",
                (player_id, campaign_id),
            )
        return Standing(player_id, campaign_id) if r is None else standing_row(r)

    async def player_standings(self, player_id: int) -> list[Standing]:
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {STANDING_COLS} FROM player_campaign WHERE player_id = ? "
                "ORDER BY campaign_id",
                (player_id,),
            )
        return [standing_row(r) for r in rows]

    async def campaign_standings(self, campaign_id: int) -> list[Standing]:
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {STANDING_COLS} FROM player_campaign WHERE campaign_id = ? "
                "ORDER BY player_id",
                (campaign_id,),
            )
        return [standing_row(r) for r in rows]

    async def save_standing(self, standing: Standing, now: float) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(UPSERT_STANDING, standing_params(standing, now))

    async def gold_item_count(self, campaign_id: int) -> int:
        async with self.db.read() as c:
            value = await c.fetchval(
                "SELECT COUNT(*) FROM campaign_gold WHERE campaign_id = ?", (campaign_id,)
            )
        return int(value or 0)
