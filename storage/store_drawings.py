"""Store queries of player drawings (issue 15, migration 014).

Rules:
- the hourly limit is decided inside the transaction that issues a prompt: the player's row
  is locked on PostgreSQL (SQLite has one writer), the prompts issued in the last hour are
  counted, and the new one is inserted only under the limit;
- a prompt is used once: `UPDATE draw_prompts SET used_at = now WHERE id = ? AND player_id = ?
  AND used_at IS NULL AND expires_at >= now`; only the transaction that changed the row stores
  the drawing, so a double submit in any processes stores one;
- a drawing enters its campaign's doodle pool as an item of the campaign's dataset (kind
  `doodle`, strokes as its media) with a tally in that campaign only, in the same transaction;
- hiding sets `hidden_at`/`hidden_by` once (conditional UPDATE) and sets the item's tally to
  `hidden`, which no next-task query serves (they take `open` tallies only);
- forgetting a player deletes their drawings and prompts (ON DELETE CASCADE from the player
  row) and the strokes of the items they became (`item_media`), whose tallies become
  `hidden`: never served nor exported again; the other players' answers and guesses on them
  stay, so nobody else's points or counts change.
"""

from __future__ import annotations

from typing import Any

from storage.driver import Conn, Row
from storage.rows import TALLY_HIDDEN, DrawingRow, DrawPromptRow, NewDrawing
from storage.sql_base import ITEM_INSERT, SqlBase, item_values

PROMPT_COLS = "id, player_id, campaign_id, word, issued_at, expires_at, used_at"
DRAWING_COLS = (
    "id, prompt_id, player_id, campaign_id, item_id, word, platform, raw, simplified, width, "
    "height, started_ms, drawing_ms, created_at, hidden_at, hidden_by"
)
HOUR = 3600.0


def _prompt(r: Row) -> DrawPromptRow:
    return DrawPromptRow(
        int(r[0]), int(r[1]), int(r[2]), r[3], float(r[4]), float(r[5]),
        None if r[6] is None else float(r[6]),
    )  # fmt: skip


def _drawing(r: Row) -> DrawingRow:
    return DrawingRow(
        int(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), r[5], r[6], r[7], r[8],
        int(r[9]), int(r[10]), int(r[11]), int(r[12]), float(r[13]),
        None if r[14] is None else float(r[14]), r[15],
    )  # fmt: skip


class DrawingsMixin(SqlBase):
    async def set_player_drawings(self, campaign_id: int, on: bool) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE campaigns SET player_drawings = ? WHERE id = ?", (int(on), campaign_id)
            )

    async def player_drawing_campaigns(self) -> list[int]:
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT id FROM campaigns WHERE player_drawings = 1 AND status = 'active' "
                "ORDER BY id"
            )
        return [int(r[0]) for r in rows]

    async def takes_player_drawings(self, campaign_id: int) -> bool:
        async with self.db.read() as c:
            value = await c.fetchval(
                "SELECT player_drawings FROM campaigns WHERE id = ?", (campaign_id,)
            )
        return bool(value)

    async def issue_draw_prompt(
        self,
        player_id: int,
        campaign_id: int,
        word: str,
        now: float,
        expires_at: float,
        *,
        per_hour: int,
    ) -> DrawPromptRow | None:
        async with self.db.transaction() as tx:
            await tx.execute(f"SELECT id FROM players WHERE id = ?{self.for_update}", (player_id,))
            count = await tx.fetchval(
                "SELECT COUNT(*) FROM draw_prompts WHERE player_id = ? AND issued_at > ?",
                (player_id, now - HOUR),
            )
            if int(count or 0) >= per_hour:
                return None
            r = await tx.fetchone(
                "INSERT INTO draw_prompts (player_id, campaign_id, word, issued_at, expires_at) "
                f"VALUES (?, ?, ?, ?, ?) RETURNING {PROMPT_COLS}",
                (player_id, campaign_id, word, now, expires_at),
            )
        return None if r is None else _prompt(r)

    async def get_draw_prompt(self, prompt_id: int) -> DrawPromptRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(
                f"SELECT {PROMPT_COLS} FROM draw_prompts WHERE id = ?", (prompt_id,)
            )
        return None if r is None else _prompt(r)

    async def save_drawing(self, d: NewDrawing, now: float) -> DrawingRow | None:
        async with self.db.transaction() as tx:
            used = await tx.fetchone(
                "UPDATE draw_prompts SET used_at = ? WHERE id = ? AND player_id = ? "
                "AND used_at IS NULL AND expires_at >= ? RETURNING campaign_id",
                (now, d.prompt_id, d.player_id, now),
            )
            if used is None:
                return None
            campaign_id = int(used[0])
            dataset_id = int(
                await tx.fetchval("SELECT dataset_id FROM campaigns WHERE id = ?", (campaign_id,))
            )
            item_id = await _pool_item(tx, campaign_id, dataset_id, d, now)
            r = await tx.fetchone(
                "INSERT INTO drawings (prompt_id, player_id, campaign_id, item_id, word, "
                "platform, raw, simplified, width, height, started_ms, drawing_ms, created_at) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {DRAWING_COLS}",
                (d.prompt_id, d.player_id, campaign_id, item_id, d.word, d.platform, d.raw,
                 d.simplified, d.width, d.height, d.started_ms, d.drawing_ms, now),
            )  # fmt: skip
        return None if r is None else _drawing(r)

    async def get_drawing(self, drawing_id: int) -> DrawingRow | None:
        return await self._one("id = ?", drawing_id)

    async def drawing_of_item(self, item_id: int) -> DrawingRow | None:
        return await self._one("item_id = ?", item_id)

    async def _one(self, where: str, value: Any) -> DrawingRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(f"SELECT {DRAWING_COLS} FROM drawings WHERE {where}", (value,))
        return None if r is None else _drawing(r)

    async def hide_drawing(self, drawing_id: int, by: str, now: float) -> bool:
        async with self.db.transaction() as tx:
            r = await tx.fetchone(
                "UPDATE drawings SET hidden_at = ?, hidden_by = ? WHERE id = ? "
                "AND hidden_at IS NULL RETURNING campaign_id, item_id",
                (now, by, drawing_id),
            )
            if r is None:
                return False
            await tx.execute(
                "UPDATE tallies SET status = ? WHERE campaign_id = ? AND item_id = ?",
                (TALLY_HIDDEN, int(r[0]), int(r[1])),
            )
        return True

    async def player_drawings(self, player_id: int) -> list[DrawingRow]:
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {DRAWING_COLS} FROM drawings WHERE player_id = ? ORDER BY id",
                (player_id,),
            )
        return [_drawing(r) for r in rows]

    async def campaign_drawings(
        self, campaign_id: int, *, hidden: bool = False
    ) -> list[DrawingRow]:
        sql = f"SELECT {DRAWING_COLS} FROM drawings WHERE campaign_id = ?"
        if not hidden:
            sql += " AND hidden_at IS NULL"
        async with self.db.read() as c:
            rows = await c.fetch(sql + " ORDER BY id", (campaign_id,))
        return [_drawing(r) for r in rows]

    async def _before_player_delete(self, tx: Conn, player_id: int) -> None:
        await super()._before_player_delete(tx, player_id)
        mine = "SELECT item_id FROM drawings WHERE player_id = ?"
        await tx.execute(f"DELETE FROM item_media WHERE item_id IN ({mine})", (player_id,))
        await tx.execute(
            f"UPDATE tallies SET status = ? WHERE item_id IN ({mine})", (TALLY_HIDDEN, player_id)
        )


async def _pool_item(
    tx: Conn, campaign_id: int, dataset_id: int, d: NewDrawing, now: float
) -> int:
    """The drawing's doodle item in the campaign's dataset, media and tally."""
    item_id = int(
        await tx.fetchval(ITEM_INSERT + " RETURNING id", item_values(dataset_id, d.item, now))
    )
    await tx.execute(
        "INSERT INTO item_media (item_id, mime, data) VALUES (?, ?, ?)",
        (item_id, d.item.mime or "application/octet-stream", d.item.media or b""),
    )
    await tx.execute(
        "INSERT INTO tallies (campaign_id, item_id) VALUES (?, ?)", (campaign_id, item_id)
    )
    return item_id
