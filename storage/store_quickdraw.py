"""Store queries: doodle guesses, doodle-round state, extra guess points, doodle media.

A player's first guess on a doodle is written twice on purpose: as their answer (through the
group commit, with its points) and as a `guesses` row with the guess's context. Later guesses
are only `guesses` rows; the points of a right later guess are paid by the engine's rewards
hook (`RewardsHook.pay_outside_batch`) through the same ledger, totals and board rollups the
group commit uses.

`write_guess` stores everything one channel guess changes (the `guesses` row, the round's
state when it changed, the `extra` marks of a later right guess) in the caller's transaction,
so a guess costs one commit, shared with the points of a later right guess. Before it, the
same transaction calls `guard_guess`: the database, not a process's memory, says whether the
round is still open and how many guesses the player made, with the round row (share-locked,
or locked for update when the guess changes the round) and the player row locked on
PostgreSQL. A close (`UPDATE rounds ... WHERE status = 'open'`) therefore waits for a guess
being written, and two guesses of one player, in any processes, are counted one after the
other. Lock order: round, then player (the answer batch's order too).
"""

from __future__ import annotations

from typing import Any

from storage.base import AnswerUnit
from storage.driver import Conn, Row
from storage.rows import GuessGuard, GuessRow, ItemRow, NewGuess, RoundRow
from storage.sql_base import (
    ITEM_COLS,
    NOT_GOLD,
    ROUND_COLS,
    SqlBase,
    dumps,
    item_row,
    loads,
    round_row,
)

GUESS_COLS = (
    "id, round_id, campaign_id, item_id, player_id, text, normalized, label, kind, correct, "
    "hints_shown, after_reveal, is_first, points, latency_ms, mode, platform, created_at"
)


def _guess(r: Row) -> GuessRow:
    return GuessRow(
        round_id=None if r[1] is None else int(r[1]),
        campaign_id=int(r[2]),
        item_id=int(r[3]),
        player_id=int(r[4]),
        text=r[5],
        normalized=r[6],
        label=r[7],
        kind=r[8],
        correct=bool(r[9]),
        hints_shown=int(r[10]),
        after_reveal=bool(r[11]),
        is_first=bool(r[12]),
        points=int(r[13]),
        latency_ms=None if r[14] is None else int(r[14]),
        mode=r[15],
        platform=r[16],
        created_at=float(r[17]),
        id=int(r[0]),
    )


async def insert_guess(tx: Conn, g: NewGuess) -> int:
    gid = await tx.fetchval(
        "INSERT INTO guesses (round_id, campaign_id, item_id, player_id, text, "
        "normalized, label, kind, correct, hints_shown, after_reveal, is_first, points, "
        "latency_ms, mode, platform, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (
            g.round_id,
            g.campaign_id,
            g.item_id,
            g.player_id,
            g.text,
            g.normalized,
            g.label,
            g.kind,
            int(g.correct),
            g.hints_shown,
            int(g.after_reveal),
            int(g.is_first),
            g.points,
            g.latency_ms,
            g.mode,
            g.platform,
            g.created_at,
        ),
    )
    return int(gid)


async def merge_extra(tx: Conn, answer_id: int, extra: dict[str, Any]) -> None:
    old = await tx.fetchval("SELECT extra FROM answers WHERE id = ?", (answer_id,))
    if old is None:
        return
    await tx.execute(
        "UPDATE answers SET extra = ? WHERE id = ?", (dumps({**loads(old), **extra}), answer_id)
    )


async def update_state(tx: Conn, round_id: int, state: dict[str, Any]) -> RoundRow | None:
    r = await tx.fetchone(
        f"UPDATE rounds SET state = ? WHERE id = ? RETURNING {ROUND_COLS}",
        (dumps(state), round_id),
    )
    return None if r is None else round_row(r)


async def guard_guess(
    tx: Conn, pg: bool, round_id: int, player_id: int, changes_round: bool, since: float
) -> GuessGuard:
    """The round and the player's guesses in it as the database holds them, the round (and
    its campaign, and the player) locked on PostgreSQL until the transaction ends."""
    cols = ", ".join(f"r.{c.strip()}" for c in ROUND_COLS.split(","))
    lock = (" FOR UPDATE OF r" if changes_round else " FOR SHARE OF r") + " FOR SHARE OF c"
    r = await tx.fetchone(
        f"SELECT {cols}, c.status FROM rounds r JOIN campaigns c ON c.id = r.campaign_id "
        f"WHERE r.id = ?{lock if pg else ''}",
        (round_id,),
    )
    if r is None:
        return GuessGuard("gone", None, 0, ())
    rnd = round_row(r)
    if pg:
        await tx.execute("SELECT id FROM players WHERE id = ? FOR UPDATE", (player_id,))
    rows = await tx.fetch(
        "SELECT created_at FROM guesses WHERE round_id = ? AND player_id = ?",
        (round_id, player_id),
    )
    recent = tuple(sorted(float(x[0]) for x in rows if float(x[0]) > since))
    status = rnd.status if r[len(ROUND_COLS.split(","))] == "active" else "inactive"
    return GuessGuard(status, rnd, len(rows), recent)


class QuickdrawMixin(SqlBase):
    async def add_guess(self, g: NewGuess) -> int:
        async with self.db.transaction() as tx:
            return await insert_guess(tx, g)

    async def write_guess(
        self,
        tx: AnswerUnit,
        g: NewGuess,
        *,
        state: dict[str, Any] | None = None,
        marks: tuple[int, dict[str, Any]] | None = None,
    ) -> tuple[int, RoundRow | None]:
        """In the caller's unit of work (`answer_batch`); see `AnswerUnit.write_guess`."""
        return await tx.write_guess(g, state=state, marks=marks)

    async def round_guesses(self, round_id: int, player_id: int | None = None) -> list[GuessRow]:
        """Guesses of a round in the order they were made (one player's, if given)."""
        sql = f"SELECT {GUESS_COLS} FROM guesses WHERE round_id = ?"
        params: list[Any] = [round_id]
        if player_id is not None:
            sql += " AND player_id = ?"
            params.append(player_id)
        async with self.db.read() as c:
            rows = await c.fetch(sql + " ORDER BY id", params)
        return [_guess(r) for r in rows]

    async def player_guesses(self, player_id: int) -> list[GuessRow]:
        """Every guess a player typed, oldest first (for /mydata)."""
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {GUESS_COLS} FROM guesses WHERE player_id = ? ORDER BY id", (player_id,)
            )
        return [_guess(r) for r in rows]

    async def campaign_guesses(
        self, campaign_id: int, *, first_only: bool = False
    ) -> list[GuessRow]:
        sql = f"SELECT {GUESS_COLS} FROM guesses WHERE campaign_id = ?"
        if first_only:
            sql += " AND is_first = 1"
        async with self.db.read() as c:
            rows = await c.fetch(sql + " ORDER BY id", (campaign_id,))
        return [_guess(r) for r in rows]

    async def pick_doodle(self, campaign_id: int, channel_id: int) -> int | None:
        """The next doodle for a channel round: open, not on show in another open round;
        the ones this channel has seen least first, then a fixed scrambled order (so rounds
        do not walk through one category at a time, as import order would)."""
        async with self.db.read() as c:
            value = await c.fetchval(
                "SELECT t.item_id FROM tallies t JOIN items i ON i.id = t.item_id "
                f"WHERE t.campaign_id = ? AND {NOT_GOLD} AND t.status = 'open' "
                "AND NOT EXISTS (SELECT 1 FROM rounds r WHERE r.campaign_id = t.campaign_id "
                "AND r.item_id = t.item_id AND r.status = 'open' AND r.mode = 'channel') "
                "ORDER BY (SELECT COUNT(*) FROM rounds s WHERE s.item_id = t.item_id "
                "AND s.channel_id = ?), (t.item_id * 7919) % 10007, t.item_id LIMIT 1",
                (campaign_id, channel_id),
            )
        return None if value is None else int(value)

    async def shown_in_channel(self, item_id: int, channel_id: int) -> bool:
        """Whether a round in this channel already closed on this doodle (and so showed its
        word)."""
        async with self.db.read() as c:
            value = await c.fetchval(
                "SELECT 1 FROM rounds WHERE item_id = ? AND channel_id = ? "
                "AND status <> 'open' AND mode = 'channel' LIMIT 1",
                (item_id, channel_id),
            )
        return value is not None

    async def round_by_message(self, platform: str, message_ref: str) -> RoundRow | None:
        """The round shown by a platform message (its `message_ref`), if any."""
        async with self.db.read() as c:
            r = await c.fetchone(
                f"SELECT {ROUND_COLS} FROM rounds WHERE message_ref = ? AND platform = ? "
                "ORDER BY id DESC LIMIT 1",
                (message_ref, platform),
            )
        return None if r is None else round_row(r)

    async def open_rounds_of_game(self, game: str) -> list[RoundRow]:
        """Open channel rounds of every campaign of `game`."""
        cols = ", ".join(f"r.{c.strip()}" for c in ROUND_COLS.split(","))
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {cols} FROM rounds r JOIN campaigns c ON c.id = r.campaign_id "
                "WHERE r.status = 'open' AND r.mode = 'channel' AND c.game = ? ORDER BY r.id",
                (game,),
            )
        return [round_row(r) for r in rows]

    async def dataset_items_with_media(
        self, dataset_id: int
    ) -> list[tuple[ItemRow, str | None, bytes | None]]:
        """Every item of a dataset with its media (mime, bytes), in id order."""
        cols = ", ".join(f"i.{c.strip()}" for c in ITEM_COLS.split(","))
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {cols}, m.mime, m.data FROM items i LEFT JOIN item_media m "
                "ON m.item_id = i.id WHERE i.dataset_id = ? ORDER BY i.id",
                (dataset_id,),
            )
        return [(item_row(r), r[10], None if r[11] is None else bytes(r[11])) for r in rows]
