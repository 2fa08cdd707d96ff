"""Campaigns on Discord: the `/campaign` command group for moderators, `/export` and
`/audit` for admins. Every answer is private (ephemeral).

`/campaign create` takes the dataset as attachment options: `file` (a .zip of images with
labels.csv, a .csv of texts, or a Quick, Draw! file) and optionally `labels` (the labels
CSV of a .zip), or `dataset` (the name of one imported before); the text fields are
options. Attachments are read only after the engine accepted the request, and only up to
`[campaigns] max_upload_mb`. `/export` sends files that fit the interaction's upload limit
(`attachment_size_limit`, 10 MiB by default), zipped or split when larger.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.flow import MODERATOR_PERMISSIONS, FeatureCog, moderator_command
from bot.core.campaigns.args import parse_settings
from bot.core.campaigns.cases import CreateRequest
from bot.core.campaigns.uploads import Upload, check_size
from bot.core.kernel.models import PlayerRef, Reply


class CampaignsCog(FeatureCog, name="Campaigns"):
    campaign = app_commands.Group(
        name="campaign",
        description="Moderators: run campaigns",
        default_permissions=MODERATOR_PERMISSIONS,
    )

    @campaign.command(name="create", description="A new campaign from uploaded files")
    @app_commands.describe(
        name="Campaign name",
        game="verify, classify or quickdraw",
        file=".zip of images with labels.csv, .csv of texts, or Quick, Draw! .ndjson/.bin",
        labels="The labels CSV of the .zip (if it is not inside)",
        dataset="Or: a dataset imported before",
        question="Question shown with each item",
        options="classify: the labels, comma-separated",
        min_overlap="Answers per item, at least",
        max_overlap="Answers per item, at most",
        gold_rate="Share of known-answer items (0-1)",
        reward="Points multiplier",
        start="Make it active at once",
        everyone="Admins: open it to every community",
        settings="The game's own settings: key=value words (/campaign help lists them)",
    )
    async def create(
        self,
        interaction: discord.Interaction[Any],
        name: str,
        game: str | None = None,
        file: discord.Attachment | None = None,
        labels: discord.Attachment | None = None,
        dataset: str | None = None,
        question: str | None = None,
        options: str | None = None,
        min_overlap: int | None = None,
        max_overlap: int | None = None,
        gold_rate: float | None = None,
        reward: float | None = None,
        start: bool = False,
        everyone: bool = False,
        settings: str | None = None,
    ) -> None:
        attachments = [a for a in (file, labels) if a is not None]
        limit = self.engine.settings.campaigns.max_upload_mb * 2**20
        req = CreateRequest(
            name,
            game,
            question,
            None if options is None else [o.strip() for o in options.split(",") if o.strip()],
            min_overlap,
            max_overlap,
            gold_rate,
            reward,
            None,
            dataset,
            everyone,
            start,
        )

        async def fetch() -> list[Upload]:
            for a in attachments:
                check_size(a.filename, a.size, limit)
            return [Upload(a.filename, await a.read()) for a in attachments]

        async def call(ref: PlayerRef) -> Reply:
            asked = dataclasses.replace(req, settings=parse_settings(settings))
            reply: Reply = await self.engine.campaigns.campaign_create(
                ref, asked, fetch if attachments else None
            )
            return reply

        await self.run(interaction, call)

    async def _act(self, interaction: discord.Interaction[Any], action: str, name: str) -> None:
        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.campaigns.campaign_action(ref, action, name)
            return reply

        await self.run(interaction, call)

    @campaign.command(name="start", description="Make a draft campaign active")
    @app_commands.describe(name="Campaign name")
    async def start(self, interaction: discord.Interaction[Any], name: str) -> None:
        await self._act(interaction, "start", name)

    @campaign.command(name="pause", description="Pause an active campaign")
    @app_commands.describe(name="Campaign name")
    async def pause(self, interaction: discord.Interaction[Any], name: str) -> None:
        await self._act(interaction, "pause", name)

    @campaign.command(name="resume", description="Resume a paused campaign")
    @app_commands.describe(name="Campaign name")
    async def resume(self, interaction: discord.Interaction[Any], name: str) -> None:
        await self._act(interaction, "resume", name)

    @campaign.command(name="stop", description="End a campaign early")
    @app_commands.describe(name="Campaign name")
    async def stop(self, interaction: discord.Interaction[Any], name: str) -> None:
        await self._act(interaction, "stop", name)

    @campaign.command(name="archive", description="Put a stopped or completed campaign away")
    @app_commands.describe(name="Campaign name")
    async def archive(self, interaction: discord.Interaction[Any], name: str) -> None:
        await self._act(interaction, "archive", name)

    @campaign.command(name="status", description="Progress chart, numbers and schedules")
    @app_commands.describe(name="Campaign name")
    async def status(self, interaction: discord.Interaction[Any], name: str) -> None:
        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.campaigns.campaign_status(ref, name)
            return reply

        await self.run(interaction, call)

    @campaign.command(name="list", description="The campaigns of this server")
    async def list_campaigns(self, interaction: discord.Interaction[Any]) -> None:
        await self.run(interaction, self.engine.campaigns.campaign_list)

    @campaign.command(name="schedule", description="Rounds of a campaign in this channel")
    @app_commands.describe(
        name="Campaign name",
        every="Minutes between rounds",
        hours="Active hours, e.g. 09:00-21:00 (the server's time zone), or all",
        max_per_day="At most this many rounds a day (0: no maximum)",
        quiet_days="No rounds on these days, e.g. sat,sun",
        stop="Stop the rounds here",
    )
    async def schedule(
        self,
        interaction: discord.Interaction[Any],
        name: str,
        every: int | None = None,
        hours: str | None = None,
        max_per_day: int | None = None,
        quiet_days: str | None = None,
        stop: bool = False,
    ) -> None:
        async def call(ref: PlayerRef) -> Reply:
            if stop:
                done: Reply = await self.engine.campaigns.campaign_unschedule(ref, name)
                return done
            reply: Reply = await self.engine.campaigns.campaign_schedule(
                ref,
                name,
                every=every,
                hours=hours,
                max_per_day=max_per_day,
                quiet_days=quiet_days,
            )
            return reply

        await self.run(interaction, call)

    @campaign.command(name="timezone", description="This server's time zone for schedules")
    @app_commands.describe(zone="e.g. Europe/Berlin (leave empty to see the current one)")
    async def timezone(
        self, interaction: discord.Interaction[Any], zone: str | None = None
    ) -> None:
        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.campaigns.campaign_timezone(ref, zone)
            return reply

        await self.run(interaction, call)

    @campaign.command(name="drawings", description="Let players draw for a quickdraw campaign")
    @app_commands.describe(name="Campaign name", allow="Take player drawings (off by default)")
    async def drawings(
        self, interaction: discord.Interaction[Any], name: str, allow: bool
    ) -> None:
        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.campaigns.campaign_drawings(ref, name, allow)
            return reply

        await self.run(interaction, call)

    @app_commands.command(name="export", description="Admins: a campaign's labels as a file")
    @app_commands.describe(
        campaign="Campaign name",
        format="csv or jsonl; photos (or photos-published) for a capture campaign's dataset; "
        "coco or labelstudio for a locate campaign's boxes",
        answers="Raw answers instead of labels",
    )
    @moderator_command
    async def export(
        self,
        interaction: discord.Interaction[Any],
        campaign: str,
        format: Literal[
            "csv", "jsonl", "photos", "photos-published", "coco", "labelstudio"
        ] = "csv",
        answers: bool = False,
    ) -> None:
        limit = interaction.filesize_limit

        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.campaigns.export_campaign(
                ref, campaign, format, answers=answers, max_bytes=limit
            )
            return reply

        await self.run(interaction, call)

    @app_commands.command(name="audit", description="Admins: recent moderator actions")
    @app_commands.describe(limit="How many entries (at most 100)", campaign="Only this campaign")
    @moderator_command
    async def audit(
        self,
        interaction: discord.Interaction[Any],
        limit: app_commands.Range[int, 1, 100] = 20,
        campaign: str | None = None,
    ) -> None:
        async def call(ref: PlayerRef) -> Reply:
            reply: Reply = await self.engine.campaigns.audit_log(ref, limit, campaign)
            return reply

        await self.run(interaction, call)


def make_cog(bot: Any) -> commands.Cog:
    return CampaignsCog(bot)
