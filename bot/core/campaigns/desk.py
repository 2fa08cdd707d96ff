"""Use cases of the campaign desk: who may do what, channel schedules, the community's time
zone, exports from chat and the audit log view.

Permissions (each refusal says plainly who can):
- moderators (the adapter's `PlayerRef.is_moderator`: Manage Server or the configured role
  on Discord, chat administrators on Telegram) act in their own group or server; admins
  (`[admins]` in the config) act anywhere;
- the scope rule (`bot/core/kernel/scope.py`) decides the rest: a campaign created in a
  community belongs to it and its moderators manage it; another community's campaign is
  reported exactly like a missing one. A campaign shared by every community (created by an
  admin with everyone=yes, or on the command line) is managed by admins; moderators may
  still see it and schedule its rounds in their channels;
- exports and the audit log are for admins only.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.core.campaigns import admin as campaign_admin
from bot.core.campaigns import texts
from bot.core.campaigns.detection_export import detection_asked, detection_reply
from bot.core.campaigns.jobs import CampaignJobs, rule_of
from bot.core.campaigns.schedule_rules import describe, rule_from, zone
from bot.core.capture import PhotoDesk
from bot.core.exports import labels as exports
from bot.core.exports.files import fit
from bot.core.exports.multilabel import labels_with_columns
from bot.core.kernel import scope
from bot.core.kernel.errors import InvalidInput, NotFound, PermissionDenied, WrongPlace
from bot.core.kernel.models import Kind, Media, PlayerRef, Reply
from bot.core.kernel.scope import Actor, find_actor
from storage import CampaignRow, ScheduleRow

TELEGRAM_DOCUMENT_MAX = 50 * 1024 * 1024


class CampaignDesk(CampaignJobs):
    # permissions ---------------------------------------------------------------------

    async def require_moderator(self, ref: PlayerRef) -> Actor:
        """The acting moderator (or bot admin), else PermissionDenied."""
        actor = await find_actor(self.k, ref)
        if not scope.is_moderator(actor):
            raise PermissionDenied(texts.NOT_MODERATOR)
        return actor

    def require_admin(self, ref: PlayerRef, what: str) -> None:
        if not self.k.is_admin(ref):
            raise PermissionDenied(texts.NOT_ADMIN, what=what)

    async def community_of(self, ref: PlayerRef) -> int | None:
        """The community of a group interaction (None in a private chat)."""
        if ref.channel is None or ref.channel.kind != Kind.GROUP:
            return None
        return (await self.k.channel(ref.channel)).community_id

    async def visible_campaign(self, actor: Actor, name: str | None) -> CampaignRow:
        """The campaign named `name` if the scope rule lets `actor` see it; another
        community's campaign is reported exactly like a missing one."""
        campaign = await campaign_admin.find(self.k.store, name)
        if not scope.can_see(actor, campaign.community_id):
            raise NotFound(texts.NO_CAMPAIGN_NAMED, name=(name or "").strip())
        return campaign

    async def managed_campaign(self, actor: Actor, name: str | None) -> CampaignRow:
        """The campaign named `name` if `actor` may change it (shared ones: bot admins)."""
        campaign = await self.visible_campaign(actor, name)
        if not scope.can_manage(actor, campaign.community_id):
            raise PermissionDenied(texts.SHARED_CAMPAIGN_ADMINS_ONLY, name=campaign.name)
        return campaign

    # schedules -----------------------------------------------------------------------

    async def campaign_schedule(
        self,
        ref: PlayerRef,
        name: str,
        *,
        every: int | None = None,
        hours: str | None = None,
        max_per_day: int | None = None,
        quiet_days: str | None = None,
    ) -> Reply:
        """Schedule rounds of a campaign in this channel (defaults from `[campaigns]`)."""
        actor = await self.require_moderator(ref)
        if ref.channel is None or not actor.in_group:
            raise WrongPlace(texts.SCHEDULE_FROM_THE_CHANNEL)
        campaign = await self.visible_campaign(actor, name)
        if campaign.status in ("stopped", "completed", "archived"):
            raise InvalidInput(
                texts.CAMPAIGN_NOTHING_TO_RUN, name=campaign.name, status=campaign.status
            )
        rule = rule_from(self.k.settings.campaigns, every, hours, max_per_day, quiet_days)
        channel = await self.k.channel(ref.channel)
        tz_name = await self.community_timezone(channel.community_id)
        now = self.k.now()
        row = campaign_admin.new_schedule(campaign.id, channel.id, rule, now, tz_name, _actor(ref))
        s = await self.k.store.upsert_schedule(row, now)
        await self.k.audit(
            ref,
            "schedule.set",
            campaign.name,
            f"in {channel.name}: {describe(rule)}",
            campaign=campaign,
        )
        active = campaign.status == "active"
        note = "" if active else texts.RUNS_WHEN_ACTIVE.format(status=campaign.status)
        return Reply(
            texts.SCHEDULED.format(
                campaign=campaign.name,
                channel=channel.name,
                rule=describe(rule),
                tz=tz_name,
                next_run=self.when(s.next_run_at, tz_name),
                note=note,
            ),
            ephemeral=True,
        )

    async def campaign_unschedule(self, ref: PlayerRef, name: str) -> Reply:
        actor = await self.require_moderator(ref)
        if ref.channel is None or not actor.in_group:
            raise WrongPlace(texts.IN_GROUP)
        campaign = await self.visible_campaign(actor, name)
        channel = await self.k.channel(ref.channel)
        if not await self.k.store.delete_schedule(campaign.id, channel.id):
            raise InvalidInput(
                texts.NO_SCHEDULE_HERE, campaign=campaign.name, channel=channel.name
            )
        await self.k.audit(
            ref, "schedule.remove", campaign.name, f"in {channel.name}", campaign=campaign
        )
        return Reply(
            texts.UNSCHEDULED.format(campaign=campaign.name, channel=channel.name), ephemeral=True
        )

    async def community_timezone(self, community_id: int | None) -> str:
        """The time zone a moderator set for the community, else `[scheduler] timezone`."""
        if community_id is not None:
            row = await self.k.store.get_community(community_id)
            if row is not None and row.settings.get("timezone_set"):
                return row.timezone
        return self.k.settings.scheduler.timezone

    async def campaign_timezone(self, ref: PlayerRef, tz_name: str | None) -> Reply:
        """Show or set the community's time zone (schedules and daily boards use it)."""
        actor = await self.require_moderator(ref)
        community_id = actor.community_id if actor.in_group else None
        if community_id is None:
            raise WrongPlace(texts.IN_GROUP)
        if not tz_name or not tz_name.strip():
            current = await self.community_timezone(community_id)
            return Reply(texts.TIME_ZONE_IS.format(current=current), ephemeral=True)
        tz = zone(tz_name)
        row = await self.k.store.get_community(community_id)
        settings = {**(row.settings if row is not None else {}), "timezone_set": True}
        await self.k.store.update_community(community_id, timezone=tz.key, settings=settings)
        await self.k.audit(ref, "community.timezone", row.name if row else "", tz.key)
        now = self.when(self.k.now(), tz.key)
        return Reply(texts.TIME_ZONE_SET.format(tz=tz.key, now=now), ephemeral=True)

    def when(self, t: float, tz_name: str) -> str:
        return datetime.fromtimestamp(t, zone(tz_name)).strftime("%a %d %b %H:%M")

    async def schedule_lines(self, campaign: CampaignRow) -> list[str]:
        """One line per channel schedule; the next round's time only while the campaign is
        active (only active campaigns are played)."""
        lines = []
        for s in await self.k.store.campaign_schedules(campaign.id):
            tz = self.schedule_timezone(s)
            if campaign.status == "active":
                when = texts.NEXT_RUN.format(when=self.when(s.next_run_at, tz))
            else:
                when = texts.NO_RUNS_WHILE.format(status=campaign.status)
            lines.append(f"🗓 {_place(s)}: {describe(rule_of(s))}; {when} ({tz})")
        return lines

    # exports and the audit log -------------------------------------------------------

    async def export_campaign(
        self,
        ref: PlayerRef,
        name: str,
        fmt: str = "csv",
        *,
        answers: bool = False,
        max_bytes: int = TELEGRAM_DOCUMENT_MAX,
    ) -> Reply:
        """A campaign's labels (or raw answers, pseudonymous) as files that fit `max_bytes`
        (the platform's upload limit; see `export_files`). Every export is audited.
        Photos (`_photo_export`) are a capture campaign's dataset (`bot.core.capture`)."""
        photos = await self._photos_asked(name, fmt)
        if photos is not None:
            return await PhotoDesk(self.k).export_reply(ref, *photos, max_bytes)
        located = await detection_asked(self.k.store, name, fmt)
        if located is not None:  # coco / labelstudio of a locate campaign
            self.require_admin(ref, "export campaigns")
            return await detection_reply(self.k, ref, *located, max_bytes)
        return await self._export_table(ref, name, fmt, answers, max_bytes)

    async def _export_table(
        self, ref: PlayerRef, name: str, fmt: str, answers: bool, max_bytes: int
    ) -> Reply:
        self.require_admin(ref, "export campaigns")
        fmt = (fmt or "csv").lower()
        if fmt not in exports.FORMATS:
            raise InvalidInput(
                texts.UNKNOWN_EXPORT_FORMAT, formats=", ".join(exports.FORMATS), fmt=fmt
            )
        campaign = await campaign_admin.find(self.k.store, name)
        columns: tuple[str, ...]
        if answers:
            rows, columns = (
                await exports.answer_rows(self.k.store, campaign),
                exports.ANSWER_COLUMNS,
            )
        else:
            rows, columns = await labels_with_columns(self.k.store, campaign)
        what = "answers" if answers else "labels"
        filename = f"{_slug(campaign.name)}-{what}.{fmt}"
        files = await asyncio.to_thread(
            fit, filename, rows, lambda part: exports.render(part, columns, fmt), max_bytes
        )
        await self.k.audit(
            ref,
            "export",
            campaign.name,
            f"{what} as {fmt}: {len(rows)} rows in {len(files)} file(s)",
            campaign=campaign,
        )
        split = texts.SPLIT_INTO.format(count=len(files)) if len(files) > 1 else ""
        zipped = texts.ZIPPED if files[0].filename.endswith(".zip") else ""
        reply = Reply(
            texts.EXPORTED.format(
                campaign=campaign.name,
                count=len(rows),
                what=what,
                fmt=fmt,
                split=split,
                zipped=zipped,
            ),
            files=(_doc(files[0].filename, files[0].data),),
            ephemeral=True,
        )
        for f in files[1:]:
            reply = reply.followed_by(
                Reply(
                    texts.EXPORT_PART.format(filename=f.filename),
                    files=(_doc(f.filename, f.data),),
                    ephemeral=True,
                )
            )
        return reply

    async def _photos_asked(self, name: str, fmt: str) -> tuple[str, bool] | None:
        """(campaign, published) when `/export` asks for a photo dataset: format `photos`,
        or the words ending a name that is not itself a campaign's."""
        photos = _photo_export(name, fmt)
        if photos is None or fmt.lower().startswith("photos"):
            return photos
        return None if await self.k.store.get_campaign_by_name(name) else photos

    async def audit_log(
        self, ref: PlayerRef, limit: int = 20, campaign_name: str | None = None
    ) -> Reply:
        """The newest audit entries (admins only), optionally about one campaign."""
        self.require_admin(ref, "read the audit log")
        limit = max(1, min(limit, 100))
        campaign = None
        if campaign_name:
            campaign = await campaign_admin.find(self.k.store, campaign_name)
        rows = await self.k.store.audit_entries(
            limit=limit,
            campaign_id=campaign.id if campaign else None,
            target=campaign.name if campaign else None,
        )
        of = texts.AUDIT_OF.format(campaign=campaign.name) if campaign else ""
        title = texts.AUDIT_TITLE.format(of=of)
        if not rows:
            return Reply(texts.AUDIT_EMPTY.format(title=title), ephemeral=True)
        lines = [title, *(format_entry(r.at, r.actor, r.action, r.target, r.detail) for r in rows)]
        return Reply("\n".join(lines), ephemeral=True)


def format_entry(at: float, actor: str, action: str, target: str, detail: str) -> str:
    when = datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M")
    tail = f" — {detail}" if detail else ""
    return f"{when} UTC · {actor} · {action} {target}".rstrip() + tail


def _actor(ref: PlayerRef) -> str:
    return f"{ref.platform}:{ref.external_id}"


def _place(s: ScheduleRow) -> str:
    return f"{s.channel_name} ({s.platform})"


def _slug(name: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_" else "-" for c in name.strip().lower())
    return "-".join(p for p in keep.split("-") if p) or "campaign"


def _doc(filename: str, data: bytes) -> Media:
    return Media(data, filename, f"Export {filename}", "document")


def _photo_export(name: str, fmt: str) -> tuple[str, bool] | None:
    """(campaign, published) when `/export` asks for photos: `fmt` `photos` or
    `photos-published`, or the words `photos [published]` ending the name (Telegram's
    `/export NAME photos published`); None otherwise."""
    words = (name or "").split()
    published = fmt.lower() == "photos-published"
    if fmt.lower() in ("photos", "photos-published"):
        return name.strip(), published
    if len(words) > 2 and words[-1].lower() == "published" and words[-2].lower() == "photos":
        return " ".join(words[:-2]), True
    if len(words) > 1 and words[-1].lower() == "photos":
        return " ".join(words[:-1]), False
    return None
