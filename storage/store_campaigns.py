"""Store queries: round schedules per channel, campaign completion and the audit log.

Claiming a due schedule is a compare-and-set on its `version`: two ticks (or two processes)
that read the same due schedule cannot both advance it, and the round the winner creates is
written in the same transaction as the claim, so a schedule never creates a round twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storage.driver import Conn, Row
from storage.rows import AuditRow, ChannelRow, NewSchedule, RoundRow, ScheduleRow
from storage.sql_base import (
    CHANNEL_COLS,
    IS_GOLD,
    NOT_GOLD,
    ROUND_COLS,
    SqlBase,
    channel_row,
    dumps,
    loads,
    round_row,
)
from storage.store_events import COMPLETED, append_event, take_turn
from storage.store_play import channel_full

_SCHEDULE_SELECT = (
    "SELECT s.id, s.campaign_id, s.channel_id, s.every_minutes, s.start_minute, s.end_minute, "
    "s.max_per_day, s.quiet_days, s.next_run_at, s.last_run_at, s.day_key, s.day_count, "
    "s.last_round_id, s.version, s.created_by, ch.platform, ch.external_id, ch.name, "
    "ch.community_id, co.timezone, co.settings FROM schedules s "
    "JOIN channels ch ON ch.id = s.channel_id "
    "LEFT JOIN communities co ON co.id = ch.community_id "
)
_AUDIT_COLS = "id, at, actor, platform, actor_id, action, target, campaign_id, detail"
# Same choice as `PlayMixin.pick_channel_item`, inside the claiming transaction.
_PICK = (
    "SELECT t.item_id FROM tallies t JOIN items i ON i.id = t.item_id "
    "WHERE t.campaign_id = ? AND {gold} AND NOT EXISTS (SELECT 1 FROM rounds r "
    "WHERE r.campaign_id = t.campaign_id AND r.item_id = t.item_id "
    "AND r.status = 'open' AND r.mode = 'channel') "
    "ORDER BY t.priority DESC, t.n_answers DESC, t.item_id LIMIT 1"
)


def _days(text: str) -> frozenset[int]:
    return frozenset(int(d) for d in text.split(",") if d.strip())


def _schedule(r: Row) -> ScheduleRow:
    settings = loads(r[20])
    return ScheduleRow(
        id=int(r[0]),
        campaign_id=int(r[1]),
        channel_id=int(r[2]),
        every_minutes=int(r[3]),
        start_minute=int(r[4]),
        end_minute=int(r[5]),
        max_per_day=int(r[6]),
        quiet_days=_days(r[7]),
        next_run_at=float(r[8]),
        last_run_at=None if r[9] is None else float(r[9]),
        day_key=r[10],
        day_count=int(r[11]),
        last_round_id=None if r[12] is None else int(r[12]),
        version=int(r[13]),
        created_by=r[14],
        platform=r[15],
        channel_external_id=r[16],
        channel_name=r[17],
        community_id=None if r[18] is None else int(r[18]),
        timezone=r[19],
        tz_set=bool(settings.get("timezone_set")) if isinstance(settings, dict) else False,
    )


def _audit(r: Row) -> AuditRow:
    return AuditRow(
        int(r[0]),
        float(r[1]),
        r[2],
        r[3],
        r[4],
        r[5],
        r[6],
        None if r[7] is None else int(r[7]),
        r[8],
    )


class CampaignsMixin(SqlBase):
    # schedules ------------------------------------------------------------------------

    async def upsert_schedule(self, s: NewSchedule, now: float) -> ScheduleRow:
        """Create or replace the schedule of a campaign in a channel (its day count kept)."""
        days = ",".join(str(d) for d in sorted(s.quiet_days))
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO schedules (campaign_id, channel_id, every_minutes, start_minute, "
                "end_minute, max_per_day, quiet_days, next_run_at, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, channel_id) "
                "DO UPDATE SET every_minutes = excluded.every_minutes, "
                "start_minute = excluded.start_minute, end_minute = excluded.end_minute, "
                "max_per_day = excluded.max_per_day, quiet_days = excluded.quiet_days, "
                "next_run_at = excluded.next_run_at, created_by = excluded.created_by, "
                "version = schedules.version + 1",
                (
                    s.campaign_id,
                    s.channel_id,
                    s.every_minutes,
                    s.start_minute,
                    s.end_minute,
                    s.max_per_day,
                    days,
                    s.next_run_at,
                    s.created_by,
                    now,
                ),
            )
            r = await tx.fetchone(
                _SCHEDULE_SELECT + "WHERE s.campaign_id = ? AND s.channel_id = ?",
                (s.campaign_id, s.channel_id),
            )
        assert r is not None
        return _schedule(r)

    async def delete_schedule(self, campaign_id: int, channel_id: int) -> bool:
        async with self.db.transaction() as tx:
            found = await tx.fetchval(
                "DELETE FROM schedules WHERE campaign_id = ? AND channel_id = ? RETURNING id",
                (campaign_id, channel_id),
            )
        return found is not None

    async def campaign_schedules(self, campaign_id: int) -> list[ScheduleRow]:
        async with self.db.read() as c:
            rows = await c.fetch(
                _SCHEDULE_SELECT + "WHERE s.campaign_id = ? ORDER BY s.id", (campaign_id,)
            )
        return [_schedule(r) for r in rows]

    async def due_schedules(self, now: float, limit: int = 200) -> list[ScheduleRow]:
        """Schedules whose next run is due, of active campaigns only (a paused campaign's
        schedules wait, and coalesce into one run when it resumes)."""
        async with self.db.read() as c:
            rows = await c.fetch(
                _SCHEDULE_SELECT + "JOIN campaigns ca ON ca.id = s.campaign_id "
                "WHERE s.next_run_at <= ? AND ca.status = 'active' ORDER BY s.next_run_at "
                "LIMIT ?",
                (now, limit),
            )
        return [_schedule(r) for r in rows]

    async def advance_schedule(
        self,
        schedule_id: int,
        version: int,
        next_run_at: float,
        day_key: str,
        day_count: int,
        ran_at: float | None = None,
    ) -> bool:
        """Move a due schedule on (`ran_at`: it runs now, its round made by the caller);
        False if someone else moved it first."""
        async with self.db.transaction() as tx:
            return await _advance(
                tx, schedule_id, version, next_run_at, day_key, day_count, ran_at
            )

    async def set_schedule_round(self, schedule_id: int, round_id: int) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE schedules SET last_round_id = ? WHERE id = ?", (round_id, schedule_id)
            )

    async def claim_schedule(
        self,
        s: ScheduleRow,
        *,
        next_run_at: float,
        day_key: str,
        day_count: int,
        now: float,
        closes_at: float,
        gold_first: bool,
        max_open_in_channel: int | None = None,
    ) -> tuple[bool, RoundRow | None]:
        """Claim a due run and open its round in one transaction: (claimed, round). The
        round is None when every item is labelled or already in play, or the channel holds
        `max_open_in_channel` open rounds (the run is skipped); a lost claim is
        (False, None) and nothing is written."""
        async with self.db.transaction() as tx:
            if not await _advance(tx, s.id, s.version, next_run_at, day_key, day_count, now):
                return False, None
            if max_open_in_channel is not None and await channel_full(
                tx, s.channel_id, max_open_in_channel
            ):
                return True, None
            item_id = None
            for gold in (True, False) if gold_first else (False,):
                where = IS_GOLD if gold else f"{NOT_GOLD} AND t.status = 'open'"
                item_id = await tx.fetchval(_PICK.format(gold=where), (s.campaign_id,))
                if item_id is not None:
                    break
            if item_id is None:
                return True, None
            r = await tx.fetchone(
                "INSERT INTO rounds (campaign_id, item_id, mode, channel_id, player_id, "
                "platform, status, opened_at, closes_at, state) "
                "VALUES (?, ?, 'channel', ?, NULL, ?, 'open', ?, ?, ?) "
                f"RETURNING {ROUND_COLS}",
                (
                    s.campaign_id,
                    int(item_id),
                    s.channel_id,
                    s.platform,
                    now,
                    closes_at,
                    dumps({"schedule": s.id}),
                ),
            )
            assert r is not None
            rnd = round_row(r)
            await tx.execute("UPDATE schedules SET last_round_id = ? WHERE id = ?", (rnd.id, s.id))
        return True, rnd

    async def unposted_scheduled_rounds(self, now: float) -> list[tuple[RoundRow, ScheduleRow]]:
        """Open channel rounds never bound to a message, in a channel where their campaign
        is scheduled: the process stopped between creating and posting them."""
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {ROUND_COLS} FROM rounds WHERE mode = 'channel' AND status = 'open' "
                "AND message_ref IS NULL AND closes_at > ? AND EXISTS (SELECT 1 FROM "
                "schedules s WHERE s.campaign_id = rounds.campaign_id "
                "AND s.channel_id = rounds.channel_id) ORDER BY id",
                (now,),
            )
            out = []
            for r in rows:
                rnd = round_row(r)
                found = await c.fetchone(
                    _SCHEDULE_SELECT + "WHERE s.campaign_id = ? AND s.channel_id = ?",
                    (rnd.campaign_id, rnd.channel_id),
                )
                if found is not None:
                    out.append((rnd, _schedule(found)))
        return out

    # completion ---------------------------------------------------------------------

    async def campaigns_done(self) -> list[int]:
        """Active campaigns with at least one normal item and every normal (non-gold) item
        finalized or reviewed."""
        async with self.db.read() as c:
            rows = await c.fetch(
                "SELECT ca.id FROM campaigns ca WHERE ca.status = 'active' "
                "AND EXISTS (SELECT 1 FROM tallies t JOIN items i ON i.id = t.item_id "
                f"WHERE t.campaign_id = ca.id AND {NOT_GOLD}) "
                "AND NOT EXISTS (SELECT 1 FROM tallies t JOIN items i ON i.id = t.item_id "
                f"WHERE t.campaign_id = ca.id AND {NOT_GOLD} "
                "AND t.status NOT IN ('finalized', 'reviewed')) ORDER BY ca.id"
            )
        return [int(r[0]) for r in rows]

    async def change_campaign_status(
        self, campaign_id: int, allowed_from: Sequence[str], status: str, now: float
    ) -> bool:
        """Set the status only if it is one of `allowed_from` (so two racing changes, e.g.
        an auto-completion and a pause, cannot both win). False when it was not."""
        marks = ", ".join("?" * len(allowed_from))
        async with self.db.transaction() as tx:
            if status == "completed":  # appends a label event: takes its lock first
                await take_turn(tx, self.db.dialect)
            found = await tx.fetchval(
                f"UPDATE campaigns SET status = ?, updated_at = ? WHERE id = ? "
                f"AND status IN ({marks}) RETURNING id",
                (status, now, campaign_id, *allowed_from),
            )
            if found is not None and status == "completed":
                await append_event(tx, COMPLETED, campaign_id, None, now)
        return found is not None

    async def campaign_channels(self, campaign_id: int) -> list[ChannelRow]:
        """Every channel a campaign ran in: scheduled there, or rounds posted there."""
        async with self.db.read() as c:
            rows = await c.fetch(
                f"SELECT {CHANNEL_COLS} FROM channels WHERE id IN ("
                "SELECT channel_id FROM schedules WHERE campaign_id = ? UNION "
                "SELECT channel_id FROM rounds WHERE campaign_id = ? AND mode = 'channel' "
                "AND channel_id IS NOT NULL) ORDER BY id",
                (campaign_id, campaign_id),
            )
        return [channel_row(r) for r in rows]

    async def find_channel(self, platform: str, external_id: str) -> ChannelRow | None:
        async with self.db.read() as c:
            r = await c.fetchone(
                f"SELECT {CHANNEL_COLS} FROM channels WHERE platform = ? AND external_id = ?",
                (platform, external_id),
            )
        return None if r is None else channel_row(r)

    # audit log ----------------------------------------------------------------------

    async def add_audit(
        self,
        *,
        at: float,
        actor: str,
        action: str,
        target: str = "",
        detail: str = "",
        platform: str = "",
        actor_id: str = "",
        campaign_id: int | None = None,
    ) -> int:
        async with self.db.transaction() as tx:
            aid = await tx.fetchval(
                f"INSERT INTO audit_log ({_AUDIT_COLS.removeprefix('id, ')}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (at, actor, platform, actor_id, action, target, campaign_id, detail),
            )
        return int(aid)

    async def audit_entries(
        self, *, limit: int = 20, campaign_id: int | None = None, target: str | None = None
    ) -> list[AuditRow]:
        """The newest entries first; with a campaign, those about it (by id, or by a target
        naming it for callers that did not pass the id)."""
        sql = f"SELECT {_AUDIT_COLS} FROM audit_log"
        params: list[Any] = []
        if campaign_id is not None:
            sql += " WHERE (campaign_id = ? OR (campaign_id IS NULL AND target = ?))"
            params += [campaign_id, target or ""]
        async with self.db.read() as c:
            rows = await c.fetch(sql + " ORDER BY at DESC, id DESC LIMIT ?", [*params, limit])
        return [_audit(r) for r in rows]


async def _advance(
    tx: Conn,
    schedule_id: int,
    version: int,
    next_run_at: float,
    day_key: str,
    day_count: int,
    ran_at: float | None,
) -> bool:
    found = await tx.fetchval(
        "UPDATE schedules SET next_run_at = ?, day_key = ?, day_count = ?, "
        "last_run_at = COALESCE(?, last_run_at), version = version + 1 "
        "WHERE id = ? AND version = ? RETURNING id",
        (next_run_at, day_key, day_count, ran_at, schedule_id, version),
    )
    return found is not None
