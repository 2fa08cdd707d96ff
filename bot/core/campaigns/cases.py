"""Use cases: campaign lifecycle, channels and schedules, exports from chat, audit log.

Moderators create campaigns from chat with uploaded files (validated exactly as the CLI
import validates them: every bad line listed, nothing stored), start, pause, resume, stop
and archive them, and read their status with a progress chart. `campaign_command` reads the
same actions typed as text (Telegram); Discord calls the typed methods directly. Schedules,
exports and the audit log live in `campaign_desk`, tick work in `campaign_jobs`.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field

from bot.core.campaigns import admin as campaign_admin
from bot.core.campaigns import texts
from bot.core.campaigns.args import parse, usage
from bot.core.campaigns.desk import CampaignDesk
from bot.core.campaigns.importing import CampaignSpec, create_campaign, make_spec
from bot.core.campaigns.uploads import UploadSource, sort_uploads
from bot.core.compare import status_lines as compare_status_lines
from bot.core.kernel import scope
from bot.core.kernel.errors import InvalidInput, NotFound, PermissionDenied, WrongPlace
from bot.core.kernel.models import Media, PlayerRef, Reply
from bot.core.kernel.scope import Actor
from bot.render.progress import render_progress
from storage import CampaignRow

log = logging.getLogger(__name__)

DONE_VERBS = {
    "start": "▶ {name} is active: players can answer it now.",
    "pause": "⏸ {name} is paused: no rounds or solo tasks until it is resumed.",
    "resume": "▶ {name} is active again.",
    "stop": "⏹ {name} is stopped: it no longer runs. Its labels can still be exported.",
    "archive": "🗄 {name} is archived.",
}


@dataclass(frozen=True, slots=True)
class CreateRequest:
    """What a moderator asks for; None means the default (`[game]` in the config)."""

    name: str
    game: str | None = None
    question: str | None = None
    options: list[str] | None = None
    min_overlap: int | None = None
    max_overlap: int | None = None
    gold_rate: float | None = None
    reward: float | None = None
    confidence: float | None = None
    dataset: str | None = None
    everyone: bool = False
    start: bool = False
    skip_bad: bool = False
    settings: dict[str, str] = field(default_factory=dict)
    """The game's own settings (`bot.games.base.Game.settings_keys`), as typed."""


class CampaignCases(CampaignDesk):
    async def campaign_create(
        self, ref: PlayerRef, req: CreateRequest, uploads: UploadSource | None = None
    ) -> Reply:
        """Create a campaign from uploaded files or an imported dataset (a draft unless
        `start`). The files are fetched only after the permission and option checks."""
        actor = await self.require_moderator(ref)
        community_id = actor.community_id if actor.in_group else None
        if req.everyone and not self.k.is_admin(ref):
            raise PermissionDenied(texts.ONLY_ADMINS_CREATE_SHARED)
        if community_id is None and not req.everyone and not self.k.is_admin(ref):
            raise WrongPlace(texts.CREATE_IN_YOUR_GROUP)
        files = list(await uploads()) if uploads is not None else []
        qd = bool(files) and bool(
            sort_uploads(files, campaign_admin.limits(self.k.settings)).quickdraw
        )
        game = req.game or ("quickdraw" if qd else None)
        if game is None:
            raise InvalidInput(texts.SAY_WHICH_GAME)
        spec = self._spec(ref, req, game, None if req.everyone else community_id)
        spec = dataclasses.replace(spec, status="active" if req.start else "draft")
        if await self.k.store.get_campaign_by_name(spec.name) is not None:
            raise InvalidInput(texts.CAMPAIGN_EXISTS, name=spec.name)
        now = self.k.now()
        skipped: list[str] = []
        if req.dataset:
            if files:
                raise InvalidInput(texts.DATASET_OR_FILES)
            campaign = await self._from_dataset(actor, spec, req.dataset, now)
        elif game == "capture" and not files:  # its items are the photos players send
            campaign = await campaign_admin.empty_dataset(self.k.store, spec, now)
            if campaign.community_id is not None:
                await self.k.store.claim_dataset(campaign.dataset_id, campaign.community_id)
        else:
            sorted_files = sort_uploads(files, campaign_admin.limits(self.k.settings))
            campaign, skipped = await campaign_admin.create_from_files(
                self.k.store, self.k.settings, spec, sorted_files, skip_bad=req.skip_bad, now=now
            )
            if campaign.community_id is not None:  # the new dataset is the community's
                await self.k.store.claim_dataset(campaign.dataset_id, campaign.community_id)
        counts = await self.k.store.campaign_counts(campaign.id)
        gold = await self.k.store.gold_item_count(campaign.id)
        source = f"dataset {req.dataset}" if req.dataset else ", ".join(f.filename for f in files)
        source = source or "contributed photos"
        await self.k.audit(
            ref,
            "campaign.create",
            campaign.name,
            f"{campaign.game}, {counts.items} items (+{gold} gold) from {source}; "
            f"{campaign.status}",
            campaign=campaign,
        )
        return Reply(
            _created_text(
                campaign.name, campaign.game, campaign.status, counts.items, gold, skipped
            ),
            ephemeral=True,
        )

    async def _from_dataset(
        self, actor: Actor, spec: CampaignSpec, name: str, now: float
    ) -> CampaignRow:
        """A campaign over a dataset the scope rule lets `actor` see (their community's or a
        shared one); another community's dataset is reported exactly like a missing one and
        only visible names are listed."""
        owners = await self.k.store.dataset_owners()
        dataset = await self.k.store.get_dataset(name.strip())
        if dataset is None or not scope.can_see(actor, owners.get(dataset.id)):
            names = [
                d.name
                for d, _ in await self.k.store.list_datasets()
                if scope.can_see(actor, owners.get(d.id))
            ]
            raise NotFound(
                texts.NO_DATASET_NAMED, name=name, names=", ".join(names[:10]) or "none yet"
            )
        if await self.k.store.get_campaign_by_name(spec.name) is not None:
            raise InvalidInput(texts.CAMPAIGN_EXISTS, name=spec.name)
        return await create_campaign(self.k.store, spec, dataset.id, now)

    def _spec(
        self, ref: PlayerRef, req: CreateRequest, game: str, community_id: int | None
    ) -> CampaignSpec:
        """What the moderator asked for, checked against the settings' defaults and limits."""
        return make_spec(
            self.k.settings,
            req.name,
            game.strip().lower(),
            options=req.options,
            question=req.question,
            min_overlap=req.min_overlap,
            max_overlap=req.max_overlap,
            confidence=req.confidence,
            gold_rate=req.gold_rate,
            reward_multiplier=1.0 if req.reward is None else req.reward,
            community_id=community_id,
            created_by=f"{ref.platform}:{ref.external_id}",
            game_settings=req.settings,
        )

    async def campaign_action(self, ref: PlayerRef, action: str, name: str) -> Reply:
        """start, pause, resume, stop or archive a campaign (lifecycle in campaign_admin)."""
        actor = await self.require_moderator(ref)
        campaign = await self.managed_campaign(actor, name)
        changed = await campaign_admin.change_status(self.k.store, campaign, action, self.k.now())
        self.k.forget_campaign(campaign.id)
        await self.k.audit(
            ref,
            f"campaign.{action}",
            campaign.name,
            f"{campaign.status} -> {changed.status}",
            campaign=campaign,
        )
        return Reply(DONE_VERBS[action].format(name=campaign.name))

    async def campaign_drawings(self, ref: PlayerRef, name: str, allow: bool) -> Reply:
        """Whether a quickdraw campaign takes player drawings (issue 15; off by default)."""
        actor = await self.require_moderator(ref)
        campaign = await self.managed_campaign(actor, name)
        if campaign.game != "quickdraw":
            raise InvalidInput(
                texts.DRAWINGS_ONLY_QUICKDRAW, name=campaign.name, game=campaign.game
            )
        await self.k.store.set_player_drawings(campaign.id, allow)
        state = "takes" if allow else "no longer takes"
        await self.k.audit(ref, "campaign.drawings", campaign.name, state, campaign=campaign)
        return Reply(texts.DRAWINGS_SWITCHED.format(name=campaign.name, state=state))

    async def campaign_status(self, ref: PlayerRef, name: str) -> Reply:
        """Progress chart and numbers, plus where and when its rounds run."""
        actor = await self.require_moderator(ref)
        campaign = await self.visible_campaign(actor, name)
        counts = await self.k.store.campaign_counts(campaign.id)
        chart = render_progress(campaign_admin.progress(campaign, counts))
        scope = "every community" if campaign.community_id is None else "this community"
        lines = [campaign_admin.counts_text(campaign, counts), f"Open to {scope}."]
        if campaign.game == "compare":  # the ranking, briefly (issue 17, docs/compare.md)
            lines += await compare_status_lines(self.k.store, campaign)
        schedules = await self.schedule_lines(campaign)
        lines += schedules or ["No scheduled rounds: /campaign schedule in a channel."]
        return Reply(
            "\n".join(lines),
            Media(chart.data, chart.filename, chart.alt_text, "photo"),
            ephemeral=True,
        )

    async def campaign_list(self, ref: PlayerRef) -> Reply:
        """The campaigns this moderator can see: their community's and shared ones."""
        actor = await self.require_moderator(ref)
        rows = []
        for c in await self.k.store.list_campaigns():
            if not scope.can_see(actor, c.community_id):
                continue
            if c.status == "archived":
                continue
            n = await self.k.store.campaign_counts(c.id)
            done = n.finalized + n.reviewed
            rows.append(
                texts.CAMPAIGN_ROW.format(
                    name=c.name, game=c.game, status=c.status, done=done, items=n.items
                )
            )
        if not rows:
            return Reply(texts.NO_CAMPAIGNS_YET, ephemeral=True)
        return Reply("\n".join([texts.CAMPAIGNS_TITLE, *rows]), ephemeral=True)

    async def campaign_command(
        self, ref: PlayerRef, text: str, uploads: UploadSource | None = None
    ) -> Reply:
        """`/campaign ...` as typed text (see `campaign_args`)."""
        cmd = parse(text)
        if cmd.action == "help":
            return Reply(usage(), ephemeral=True)
        if cmd.action == "create":
            lo, hi = cmd.overlap()
            req = CreateRequest(
                cmd.name,
                cmd.text("game"),
                cmd.text("question"),
                cmd.labels(),
                lo,
                hi,
                cmd.number("gold_rate"),
                cmd.number("reward"),
                cmd.number("confidence"),
                cmd.text("dataset"),
                cmd.flag("everyone"),
                cmd.flag("start"),
                cmd.flag("skip_bad"),
                cmd.game_settings(),
            )
            return await self.campaign_create(ref, req, uploads)
        if cmd.action in campaign_admin.TRANSITIONS:
            return await self.campaign_action(ref, cmd.action, cmd.name)
        if cmd.action == "status":
            return await self.campaign_status(ref, cmd.name)
        if cmd.action == "list":
            return await self.campaign_list(ref)
        if cmd.action == "schedule":
            return await self.campaign_schedule(
                ref,
                cmd.name,
                every=cmd.integer("every"),
                hours=cmd.text("hours"),
                max_per_day=cmd.integer("max_per_day"),
                quiet_days=cmd.text("quiet_days"),
            )
        if cmd.action == "unschedule":
            return await self.campaign_unschedule(ref, cmd.name)
        if cmd.action == "drawings":
            if cmd.text("allow") is None:
                raise InvalidInput(texts.DRAWINGS_NEED_ALLOW, name=cmd.name or "NAME")
            return await self.campaign_drawings(ref, cmd.name, cmd.flag("allow"))
        return await self.campaign_timezone(ref, cmd.name)


def _created_text(
    name: str, game: str, status: str, items: int, gold: int, skipped: list[str]
) -> str:
    gold_note = f" (+{gold} gold)" if gold else ""
    lines = [f"✅ Campaign {name} created: {items} items{gold_note}, game {game}, {status}."]
    if status == "draft":
        lines.append(f"Start it with /campaign start {name}")
    lines.append(f"Schedule rounds in a channel with /campaign schedule {name}")
    if skipped:
        lines.append(f"Skipped {len(skipped)} bad row(s):")
        lines += [f"  {p}" for p in skipped[:20]]
        if len(skipped) > 20:
            lines.append(f"  ... and {len(skipped) - 20} more")
    return "\n".join(lines)
