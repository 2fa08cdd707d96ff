"""The store's campaigns protocols (part of `storage.base.Store`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from storage.rows import AuditRow, ChannelRow, NewSchedule, RoundRow, ScheduleRow

Key = tuple[int, int]


class CampaignStore(Protocol):
    """Schedules, campaign lifecycle, campaign channels and the audit log."""

    async def upsert_schedule(self, s: NewSchedule, now: float) -> ScheduleRow:
        """Create or replace the schedule of a campaign in a channel (its day count kept)."""
        ...

    async def delete_schedule(self, campaign_id: int, channel_id: int) -> bool: ...

    async def campaign_schedules(self, campaign_id: int) -> list[ScheduleRow]: ...

    async def due_schedules(self, now: float, limit: int = 200) -> list[ScheduleRow]:
        """Schedules whose next run is due, of active campaigns only (a paused campaign's
        schedules wait, and coalesce into one run when it resumes)."""
        ...

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
        ...

    async def set_schedule_round(self, schedule_id: int, round_id: int) -> None: ...

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
        ...

    async def unposted_scheduled_rounds(self, now: float) -> list[tuple[RoundRow, ScheduleRow]]:
        """Open channel rounds never bound to a message, in a channel where their campaign
        is scheduled: the process stopped between creating and posting them."""
        ...

    async def campaigns_done(self) -> list[int]:
        """Active campaigns with at least one normal item and every normal (non-gold) item
        finalized or reviewed."""
        ...

    async def change_campaign_status(
        self, campaign_id: int, allowed_from: Sequence[str], status: str, now: float
    ) -> bool:
        """Set the status only if it is one of `allowed_from` (so two racing changes, e.g.
        an auto-completion and a pause, cannot both win). False when it was not."""
        ...

    async def campaign_channels(self, campaign_id: int) -> list[ChannelRow]:
        """Every channel a campaign ran in: scheduled there, or rounds posted there."""
        ...

    async def find_channel(self, platform: str, external_id: str) -> ChannelRow | None: ...

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
    ) -> int: ...

    async def audit_entries(
        self, *, limit: int = 20, campaign_id: int | None = None, target: str | None = None
    ) -> list[AuditRow]:
        """The newest entries first; with a campaign, those about it (by id, or by a target
        naming it for callers that did not pass the id)."""
        ...
