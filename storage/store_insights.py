"""Store queries: the dashboard's read models (campaign series, contributors, item pages,
the audit log of both logs). Read-only; every query names its campaign (or campaigns), and
scope is the engine's job (`bot.core.insights`).

Rules:
- days are UTC days numbered from the epoch (`day = floor(t / 86400)`); a day with nothing
  is left out (the caller fills the gaps);
- "finalized" means tally status `finalized` or `reviewed` with a `finalized_at`; gold items
  of the campaign (`campaign_gold`) are left out of the progress series, as in the report;
- the item list filters by tally status (`finalized` covers `finalized` and `reviewed`),
  in item id order, one page (`offset`, `limit`) plus the total count;
- the audit page merges `audit_log` and `review_log`, newest first; `campaign_ids` None
  means every entry (admins), otherwise only entries about those campaigns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storage.board_math import SCOPE_CAMPAIGN
from storage.rows import AuditEntry, ContributorRow, ItemAnswerRow, ItemListRow
from storage.sql_base import NOT_GOLD, SqlBase, loads, marks, opt_bool

DAY_S = 86400
STATES = {
    "finalized": ("finalized", "reviewed"),
    "review": ("review",),
    "open": ("open",),
}
"""Item list filter -> the tally statuses it shows."""

_ITEM_COLS = (
    "i.id, i.kind, i.text, i.candidate, i.source, t.status, "
    "COALESCE(t.reviewed_label, t.label), t.confidence, t.n_answers, g.gold"
)
_ITEM_FROM = (
    "FROM tallies t JOIN items i ON i.id = t.item_id LEFT JOIN campaign_gold g "
    "ON g.campaign_id = t.campaign_id AND g.item_id = t.item_id WHERE t.campaign_id = ?"
)


def _opt_float(v: Any) -> float | None:
    return None if v is None else float(v)


def _opt_int(v: Any) -> int | None:
    return None if v is None else int(v)


def _item(r: Any) -> ItemListRow:
    return ItemListRow(
        int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], _opt_float(r[7]), int(r[8]), r[9]
    )


class InsightsMixin(SqlBase):
    def _day(self, column: str) -> str:
        if self.db.dialect == "postgres":
            return f"CAST(FLOOR({column} / {DAY_S}) AS BIGINT)"
        return f"CAST({column} / {DAY_S} AS INTEGER)"  # times are positive: truncation = floor

    async def answers_per_day(self, campaign_id: int) -> list[tuple[int, int]]:
        """(UTC day number, answers stored that day) for the days with answers, in order."""
        day = self._day("created_at")
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {day} AS d, COUNT(*) FROM answers WHERE campaign_id = ? "
                "GROUP BY d ORDER BY d",
                (campaign_id,),
            )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def finalized_per_day(self, campaign_id: int) -> list[tuple[int, int]]:
        """(UTC day number, non-gold items finalized that day) for the days with some."""
        day = self._day("t.finalized_at")
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {day} AS d, COUNT(*) FROM tallies t WHERE t.campaign_id = ? "
                "AND t.finalized_at IS NOT NULL AND t.status IN ('finalized', 'reviewed') "
                f"AND {NOT_GOLD} GROUP BY d ORDER BY d",
                (campaign_id,),
            )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def campaign_contributors(self, campaign_id: int) -> list[ContributorRow]:
        """Every player who answered in the campaign, most answers first (then player id),
        with their points in it (the campaign's all-time board total, 0 when none)."""
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT a.player_id, p.display_name, p.hidden, COUNT(*), "
                "SUM(CASE WHEN a.is_gold = 1 THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN a.is_gold = 1 AND a.correct = 1 THEN 1 ELSE 0 END), "
                "MAX(a.created_at), MAX(b.all_pts) FROM answers a "
                "JOIN players p ON p.id = a.player_id LEFT JOIN board_totals b "
                "ON b.scope = ? AND b.scope_id = a.campaign_id AND b.player_id = a.player_id "
                "WHERE a.campaign_id = ? GROUP BY a.player_id, p.display_name, p.hidden "
                "ORDER BY COUNT(*) DESC, a.player_id",
                (SCOPE_CAMPAIGN, campaign_id),
            )
        return [
            ContributorRow(
                int(r[0]),
                r[1],
                bool(r[2]),
                int(r[3]),
                int(r[4] or 0),
                int(r[5] or 0),
                float(r[6]),
                int(r[7] or 0),
            )
            for r in rows
        ]

    async def campaign_item_page(
        self, campaign_id: int, state: str | None, offset: int, limit: int
    ) -> tuple[int, list[ItemListRow]]:
        """(items matching `state` in all, one page of them by item id); `state` None: all,
        otherwise a key of `STATES`."""
        where, params = "", [campaign_id]
        if state is not None:
            statuses = STATES[state]
            where = f" AND t.status IN ({marks(len(statuses))})"
            params += list(statuses)  # type: ignore[arg-type]
        async with self.db.read() as c:
            total = await c.fetchval(f"SELECT COUNT(*) {_ITEM_FROM}{where}", params)
            rows = await c.fetch(
                f"SELECT {_ITEM_COLS} {_ITEM_FROM}{where} ORDER BY i.id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
        return int(total or 0), [_item(r) for r in rows]

    async def campaign_item_row(self, campaign_id: int, item_id: int) -> ItemListRow | None:
        """One item of the campaign with its tally; None when the campaign has no such item."""
        async with self.db.read() as c:
            r = await c.fetchone(
                f"SELECT {_ITEM_COLS} {_ITEM_FROM} AND t.item_id = ?", (campaign_id, item_id)
            )
        return None if r is None else _item(r)

    async def item_answer_views(self, campaign_id: int, item_id: int) -> list[ItemAnswerRow]:
        """Every answer to the item in the campaign, oldest first."""
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT a.player_id, p.display_name, p.hidden, a.label, a.created_at, "
                "a.is_gold, a.correct, a.weight, a.flag FROM answers a "
                "JOIN players p ON p.id = a.player_id WHERE a.campaign_id = ? AND a.item_id = ? "
                "ORDER BY a.created_at, a.id",
                (campaign_id, item_id),
            )
        return [
            ItemAnswerRow(
                int(r[0]),
                r[1],
                bool(r[2]),
                r[3],
                float(r[4]),
                bool(r[5]),
                opt_bool(r[6]),
                float(r[7]),
                r[8],
            )
            for r in rows
        ]

    async def audit_page(
        self, campaign_ids: Sequence[int] | None, offset: int, limit: int
    ) -> tuple[int, list[AuditEntry]]:
        """(entries in all, one page newest first) of both logs, all of them (`campaign_ids`
        None) or those about these campaigns."""
        if campaign_ids is not None and not campaign_ids:
            return 0, []
        where, params = "", list(campaign_ids or ())
        if campaign_ids is not None:
            where = f" WHERE campaign_id IN ({marks(len(campaign_ids))})"
        audit = (
            "SELECT 'audit', id, at, actor, action, target, campaign_id, NULL, NULL, detail "
            f"FROM audit_log{where}"
        )
        review = (
            "SELECT 'review', id, created_at, actor, action, '', campaign_id, item_id, "
            f"player_id, detail FROM review_log{where}"
        )
        async with self.db.read() as c:
            total = await c.fetchval(
                f"SELECT (SELECT COUNT(*) FROM audit_log{where}) + "
                f"(SELECT COUNT(*) FROM review_log{where})",
                params * 2,
            )
            rows = await c.fetch(
                f"SELECT * FROM ({audit} UNION ALL {review}) e "
                "ORDER BY 3 DESC, 1 DESC, 2 DESC LIMIT ? OFFSET ?",
                [*params, *params, limit, offset],
            )
        return int(total or 0), [_audit(r) for r in rows]


def _audit(r: Any) -> AuditEntry:
    detail = r[9] or ""
    if r[0] == "review":
        fields = loads(detail)
        detail = ", ".join(f"{k}={v}" for k, v in fields.items()) if fields else ""
    return AuditEntry(
        r[0], int(r[1]), float(r[2]), r[3], r[4], r[5] or "", _opt_int(r[6]), _opt_int(r[7]),
        _opt_int(r[8]), detail,
    )  # fmt: skip
