"""Store queries of the translate game (issue 16, migration 017).

Rules:
- `player_languages` holds only consented players (callers require consent) and goes with
  the player (ON DELETE CASCADE);
- `item_exclusions` feeds the solo next-task query (`storage.store_play_sql.NOT_SEEN`);
- a source is decided once: `open_comparison` inserts the `translate_sources` row with
  `ON CONFLICT DO NOTHING` and stores the pair only when its insert won; `decide_source`
  upserts with `DO UPDATE ... WHERE state = 'comparing'`, so a decided source never changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storage.rows import TALLY_FINALIZED, TALLY_REVIEW, NewItem
from storage.rows.translate import (
    SOURCE_ACCEPTED,
    SOURCE_COMPARING,
    SOURCE_REVIEW,
    TranslateSourceRow,
)
from storage.sql_base import ITEM_INSERT, SqlBase, item_values

_SOURCE_COLS = "campaign_id, item_id, state, pair_item_id, accepted_item_id, score, decided_at"


class TranslateMixin(SqlBase):
    """`storage.base.TranslateStore` over SQL."""

    async def set_player_languages(self, player_id: int, codes: Sequence[str]) -> None:
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM player_languages WHERE player_id = ?", (player_id,))
            for code in dict.fromkeys(codes):
                await tx.execute(
                    "INSERT INTO player_languages (player_id, code) VALUES (?, ?)",
                    (player_id, code),
                )

    async def player_languages(self, player_id: int) -> list[str]:
        async with self.db.read() as conn:
            rows = await conn.fetch(
                "SELECT code FROM player_languages WHERE player_id = ? ORDER BY code",
                (player_id,),
            )
        return [str(r[0]) for r in rows]

    async def exclude_players(self, item_id: int, player_ids: Sequence[int]) -> None:
        async with self.db.transaction() as tx:
            for pid in dict.fromkeys(player_ids):
                await tx.execute(
                    "INSERT INTO item_exclusions (item_id, player_id) VALUES (?, ?) "
                    "ON CONFLICT (item_id, player_id) DO NOTHING",
                    (item_id, pid),
                )

    async def excluded_players(self, item_id: int) -> list[int]:
        async with self.db.read() as conn:
            rows = await conn.fetch(
                "SELECT player_id FROM item_exclusions WHERE item_id = ? ORDER BY player_id",
                (item_id,),
            )
        return [int(r[0]) for r in rows]

    async def set_extra_overlap(self, campaign_id: int, item_id: int, extra: int) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE tallies SET extra_overlap = ? WHERE campaign_id = ? AND item_id = ?",
                (extra, campaign_id, item_id),
            )

    async def open_comparison(
        self,
        campaign_id: int,
        source_item_id: int,
        pair: NewItem,
        excluded: Sequence[int],
        now: float,
    ) -> int | None:
        async with self.db.transaction() as tx:
            won = await tx.fetchval(
                "INSERT INTO translate_sources (campaign_id, item_id, state) VALUES (?, ?, ?) "
                "ON CONFLICT (campaign_id, item_id) DO NOTHING RETURNING item_id",
                (campaign_id, source_item_id, SOURCE_COMPARING),
            )
            if won is None:
                return None
            dataset_id = await tx.fetchval(
                "SELECT dataset_id FROM campaigns WHERE id = ?", (campaign_id,)
            )
            pair_id = int(
                await tx.fetchval(
                    ITEM_INSERT + " RETURNING id", item_values(int(dataset_id), pair, now)
                )
            )
            await tx.execute(
                "INSERT INTO tallies (campaign_id, item_id) VALUES (?, ?)", (campaign_id, pair_id)
            )
            for pid in dict.fromkeys(excluded):
                await tx.execute(
                    "INSERT INTO item_exclusions (item_id, player_id) VALUES (?, ?)",
                    (pair_id, pid),
                )
            await tx.execute(
                "UPDATE translate_sources SET pair_item_id = ? WHERE campaign_id = ? "
                "AND item_id = ?",
                (pair_id, campaign_id, source_item_id),
            )
        return pair_id

    async def decide_source(
        self,
        campaign_id: int,
        source_item_id: int,
        *,
        accepted_item_id: int | None,
        label: str | None,
        score: float | None,
        now: float,
    ) -> bool:
        async with self.db.transaction() as tx:
            return await decide_source_in(
                tx, campaign_id, source_item_id, accepted_item_id, label, score, now
            )

    async def translate_sources(self, campaign_id: int) -> list[TranslateSourceRow]:
        async with self.db.read() as conn:
            rows = await conn.fetch(
                f"SELECT {_SOURCE_COLS} FROM translate_sources WHERE campaign_id = ? "
                "ORDER BY item_id",
                (campaign_id,),
            )
        return [
            TranslateSourceRow(
                int(r[0]),
                int(r[1]),
                str(r[2]),
                None if r[3] is None else int(r[3]),
                None if r[4] is None else int(r[4]),
                None if r[5] is None else float(r[5]),
                None if r[6] is None else float(r[6]),
            )
            for r in rows
        ]


class DecideInUnit:
    """`AnswerUnit.decide_source`: the once-only decision inside an answer unit, so the
    winner's payment commits with it (or neither does)."""

    c: Any  # the unit's connection (`storage.pipe.Pipe`)

    async def decide_source(
        self,
        campaign_id: int,
        source_item_id: int,
        *,
        accepted_item_id: int | None,
        label: str | None,
        score: float | None,
        now: float,
    ) -> bool:
        return await decide_source_in(
            self.c, campaign_id, source_item_id, accepted_item_id, label, score, now
        )


async def decide_source_in(
    tx: Any,
    campaign_id: int,
    source_item_id: int,
    accepted_item_id: int | None,
    label: str | None,
    score: float | None,
    now: float,
) -> bool:
    """Decide a source once (module rule) on the caller's connection: its row moves on only
    from `comparing` (or is new), and its tally becomes the accepted label or `review`."""
    state = SOURCE_REVIEW if label is None else SOURCE_ACCEPTED
    won = await tx.fetchval(
        "INSERT INTO translate_sources (campaign_id, item_id, state, accepted_item_id, "
        "score, decided_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (campaign_id, item_id) DO UPDATE SET state = excluded.state, "
        "accepted_item_id = excluded.accepted_item_id, score = excluded.score, "
        "decided_at = excluded.decided_at "
        "WHERE translate_sources.state = ? RETURNING item_id",
        (campaign_id, source_item_id, state, accepted_item_id, score, now, SOURCE_COMPARING),
    )
    if won is None:
        return False
    if label is None:
        await tx.execute(
            "UPDATE tallies SET status = ? WHERE campaign_id = ? AND item_id = ?",
            (TALLY_REVIEW, campaign_id, source_item_id),
        )
    else:
        await tx.execute(
            "UPDATE tallies SET label = ?, confidence = ?, status = ?, finalized_at = ? "
            "WHERE campaign_id = ? AND item_id = ?",
            (label, score, TALLY_FINALIZED, now, campaign_id, source_item_id),
        )
    return True
