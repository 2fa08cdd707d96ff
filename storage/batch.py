"""Batched writes inside one transaction: the storage half of group commit.

Every method issues a constant number of statements whatever the batch size (multi-row
`VALUES`, `executemany`), so a batch of hundreds of answers costs a handful of round trips.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.driver import Conn
from storage.rows import AnswerRow, NewAnswer, NewLedgerEntry, Standing, TallyRow
from storage.sql_base import (
    ANSWER_COLS,
    STANDING_COLS,
    TALLY_COLS,
    UPSERT_STANDING,
    answer_row,
    dumps,
    keys_cte,
    marks,
    standing_params,
    standing_row,
    tally_row,
)

Key = tuple[int, int]


@dataclass(frozen=True, slots=True)
class TallyUpdate:
    campaign_id: int
    item_id: int
    n_answers: int
    counts: dict[str, list[float]]
    label: str | None
    confidence: float | None
    agreement: float | None
    status: str
    finalized_at: float | None
    release: int = 0


@dataclass(slots=True)
class StatsDelta:
    player_id: int
    points: int = 0
    answers: int = 0
    gold_answered: int = 0
    gold_right: int = 0
    settled: int = 0
    agreed: int = 0
    last_answer_at: float | None = None


class AnswerTx:
    def __init__(self, conn: Conn, dialect: str, max_params: int) -> None:
        self.c = conn
        self._pg = dialect == "postgres"
        self._max = max_params

    def _lock(self, alias: str) -> str:
        """Lock the rows read for update (PostgreSQL; SQLite's single writer makes it moot)."""
        return f" FOR UPDATE OF {alias}" if self._pg else ""

    def _step(self, width: int) -> int:
        return max(1, self._max // width)

    async def round_status(self, round_ids: Sequence[int]) -> dict[int, str]:
        ids = sorted(set(round_ids))
        out: dict[int, str] = {}
        for i in range(0, len(ids), self._step(1)):
            part = ids[i : i + self._step(1)]
            rows = await self.c.fetch(
                f"SELECT id, status FROM rounds WHERE id IN ({marks(len(part))})", part
            )
            out.update({int(r[0]): r[1] for r in rows})
        return out

    async def insert_answers(self, answers: Sequence[NewAnswer]) -> list[int | None]:
        """Insert; a (campaign, item, player) already stored is skipped. Returns the new id
        per input row, None where the row was a duplicate."""
        ids: dict[tuple[int, int, int], int] = {}
        width = 13
        for i in range(0, len(answers), self._step(width)):
            part = answers[i : i + self._step(width)]
            params: list[object] = []
            for a in part:
                params += [
                    a.campaign_id, a.item_id, a.player_id, a.round_id, a.label, a.platform,
                    a.latency_ms, a.created_at, int(a.is_gold),
                    None if a.correct is None else int(a.correct), a.weight, a.flag,
                    dumps(a.extra),
                ]  # fmt: skip
            rows = await self.c.fetch(
                "INSERT INTO answers (campaign_id, item_id, player_id, round_id, label, "
                "platform, latency_ms, created_at, is_gold, correct, weight, flag, extra) "
                f"VALUES {marks(len(part), width)} "
                "ON CONFLICT (campaign_id, item_id, player_id) DO NOTHING "
                "RETURNING id, campaign_id, item_id, player_id",
                params,
            )
            for r in rows:
                ids[(int(r[1]), int(r[2]), int(r[3]))] = int(r[0])
        out: list[int | None] = []
        for a in answers:
            out.append(ids.pop((a.campaign_id, a.item_id, a.player_id), None))
        return out

    async def load_tallies(self, keys: Sequence[Key]) -> dict[Key, TallyRow]:
        uniq = sorted(set(keys))
        out: dict[Key, TallyRow] = {}
        for i in range(0, len(uniq), self._step(2)):
            part = uniq[i : i + self._step(2)]
            flat = [v for k in part for v in k]
            rows = await self.c.fetch(
                keys_cte(("c", "i"), len(part))
                + f"SELECT {_cols('t', TALLY_COLS)} FROM k JOIN tallies t "
                "ON t.campaign_id = k.c AND t.item_id = k.i" + self._lock("t"),
                flat,
            )
            for r in rows:
                t = tally_row(r)
                out[(t.campaign_id, t.item_id)] = t
        return out

    async def save_tallies(self, updates: Sequence[TallyUpdate]) -> None:
        await self.c.executemany(
            "UPDATE tallies SET n_answers = ?, counts = ?, label = ?, confidence = ?, "
            "agreement = ?, status = ?, finalized_at = ?, "
            "pending = CASE WHEN pending > ? THEN pending - ? ELSE 0 END "
            "WHERE campaign_id = ? AND item_id = ?",
            [
                (
                    u.n_answers, dumps(u.counts), u.label, u.confidence, u.agreement, u.status,
                    u.finalized_at, u.release, u.release, u.campaign_id, u.item_id,
                )
                for u in updates
            ],
        )  # fmt: skip

    async def finish_solo_rounds(self, round_ids: Sequence[int], now: float) -> None:
        await self.c.executemany(
            "UPDATE rounds SET status = 'answered', closed_at = ? WHERE id = ? "
            "AND mode = 'solo' AND status = 'open'",
            [(now, rid) for rid in round_ids],
        )

    async def add_ledger(self, entries: Sequence[NewLedgerEntry]) -> None:
        await self.c.executemany(
            "INSERT INTO ledger (player_id, created_at, points, kind, reason, answer_id, "
            "campaign_id, community_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    e.player_id, e.created_at, e.points, e.kind, e.reason, e.answer_id,
                    e.campaign_id, e.community_id,
                )
                for e in entries
            ],
        )  # fmt: skip

    async def bump_stats(self, deltas: Sequence[StatsDelta]) -> None:
        await self.c.executemany(
            "UPDATE player_stats SET points = points + ?, answers = answers + ?, "
            "gold_answered = gold_answered + ?, gold_right = gold_right + ?, "
            "settled = settled + ?, agreed = agreed + ?, "
            "last_answer_at = COALESCE(?, last_answer_at) "
            "WHERE player_id = ?",
            [
                (
                    d.points, d.answers, d.gold_answered, d.gold_right, d.settled, d.agreed,
                    d.last_answer_at, d.player_id,
                )
                for d in sorted(deltas, key=lambda d: d.player_id)
            ],
        )  # fmt: skip

    async def answers_for(self, keys: Sequence[Key]) -> dict[Key, list[AnswerRow]]:
        uniq = sorted(set(keys))
        out: dict[Key, list[AnswerRow]] = {k: [] for k in uniq}
        for i in range(0, len(uniq), self._step(2)):
            part = uniq[i : i + self._step(2)]
            flat = [v for k in part for v in k]
            rows = await self.c.fetch(
                keys_cte(("c", "i"), len(part))
                + f"SELECT {_cols('a', ANSWER_COLS)} FROM k JOIN answers a "
                "ON a.campaign_id = k.c AND a.item_id = k.i ORDER BY a.id",
                flat,
            )
            for r in rows:
                a = answer_row(r)
                out[(a.campaign_id, a.item_id)].append(a)
        return out

    async def existing_answers(
        self, keys: Sequence[tuple[int, int, int]]
    ) -> set[tuple[int, int, int]]:
        """Which (campaign, item, player) triples already have an answer."""
        uniq = sorted(set(keys))
        found: set[tuple[int, int, int]] = set()
        for i in range(0, len(uniq), self._step(3)):
            part = uniq[i : i + self._step(3)]
            rows = await self.c.fetch(
                keys_cte(("c", "i", "p"), len(part))
                + "SELECT a.campaign_id, a.item_id, a.player_id FROM k JOIN answers a "
                "ON a.campaign_id = k.c AND a.item_id = k.i AND a.player_id = k.p",
                [v for k in part for v in k],
            )
            found.update((int(r[0]), int(r[1]), int(r[2])) for r in rows)
        return found

    async def load_standings(self, keys: Sequence[Key]) -> dict[Key, Standing]:
        """Standings by (player, campaign); missing ones are fresh defaults."""
        uniq = sorted(set(keys))
        out = {k: Standing(k[0], k[1]) for k in uniq}
        for i in range(0, len(uniq), self._step(2)):
            part = uniq[i : i + self._step(2)]
            rows = await self.c.fetch(
                keys_cte(("p", "c"), len(part))
                + f"SELECT {_cols('s', STANDING_COLS)} FROM k JOIN player_campaign s "
                "ON s.player_id = k.p AND s.campaign_id = k.c" + self._lock("s"),
                [v for k in part for v in k],
            )
            for r in rows:
                st = standing_row(r)
                out[(st.player_id, st.campaign_id)] = st
        return out

    async def save_standings(self, standings: Sequence[Standing], now: float) -> None:
        await self.c.executemany(UPSERT_STANDING, [standing_params(s, now) for s in standings])


def _cols(alias: str, cols: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in cols.split(","))
