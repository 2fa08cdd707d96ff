"""Campaign administration shared by the chat use cases and the CLI: creating a campaign
from uploads (or a dataset already imported), its lifecycle, its status and progress chart.

Lifecycle (`TRANSITIONS`): a new campaign is a `draft` (or `active` when started at once);
`start` makes a draft active; `pause` and `resume` toggle active/paused; `stop` ends a
draft, active or paused campaign early; the engine marks an active campaign `completed`
when every item is finalized or reviewed; `archive` puts a stopped or completed campaign
away. Only active campaigns are played (solo sessions, rounds, schedules).
"""

from __future__ import annotations

import asyncio
import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bot.core.campaigns import texts
from bot.core.campaigns.importing import (
    CampaignSpec,
    create_campaign,
    import_images,
    import_texts,
    store_import,
)
from bot.core.campaigns.schedule_rules import Rule, first_run, zone
from bot.core.campaigns.uploads import Limits, Sorted, csv_header, labels_location, unpack
from bot.core.kernel.errors import InvalidInput, NotFound
from bot.core.kernel.settings import EngineSettings
from bot.render.models import CampaignProgress
from storage import CampaignCounts, CampaignRow, ImageLimits, NewSchedule, Store

MB = 1024 * 1024
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "start": (("draft",), "active"),
    "pause": (("active",), "paused"),
    "resume": (("paused",), "active"),
    "stop": (("draft", "active", "paused"), "stopped"),
    "archive": (("stopped", "completed"), "archived"),
}
HOW = {
    "start": "a draft can be started",
    "pause": "only an active campaign can be paused",
    "resume": "only a paused campaign can be resumed",
    "stop": "a draft, active or paused campaign can be stopped",
    "archive": "stop it first; stopped and completed campaigns can be archived",
}


@dataclass(frozen=True, slots=True)
class Created:
    campaign: CampaignRow
    items: int
    gold: int
    skipped: list[str]


def limits(settings: EngineSettings) -> Limits:
    c = settings.campaigns
    return Limits(c.max_upload_mb * MB, c.max_unpacked_mb * MB, c.max_files)


def image_limits(settings: EngineSettings) -> ImageLimits:
    c = settings.campaigns
    return ImageLimits(
        int(c.max_image_megapixels * 1_000_000),
        int(c.max_upload_megapixels * 1_000_000),
        c.max_import_problems,
    )


async def find(store: Store, name: str | None) -> CampaignRow:
    if not name or not name.strip():
        raise InvalidInput(texts.NAME_THE_CAMPAIGN)
    found = await store.get_campaign_by_name(name.strip())
    if found is None:
        raise NotFound(texts.NO_CAMPAIGN_NAMED, name=name.strip())
    return found


async def change_status(
    store: Store, campaign: CampaignRow, action: str, now: float
) -> CampaignRow:
    """Apply a lifecycle action (see the module rule); InvalidInput says why not."""
    if action not in TRANSITIONS:
        raise InvalidInput(
            texts.UNKNOWN_STATUS_ACTION, action=action, actions=", ".join(TRANSITIONS)
        )
    allowed, status = TRANSITIONS[action]
    if not await store.change_campaign_status(campaign.id, allowed, status, now):
        fresh = await store.get_campaign(campaign.id) or campaign
        raise InvalidInput(
            texts.CAMPAIGN_STATUS_BLOCKS, name=campaign.name, status=fresh.status, how=HOW[action]
        )
    return dataclasses.replace(campaign, status=status)


def progress(campaign: CampaignRow, n: CampaignCounts) -> CampaignProgress:
    """Item states for the chart: reviewed items count as finalized (both are done)."""
    done = n.finalized + n.reviewed
    return CampaignProgress(
        campaign.name,
        done,
        n.review,
        n.in_progress,
        max(0, n.items - done - n.review - n.in_progress),
    )


def counts_text(campaign: CampaignRow, n: CampaignCounts) -> str:
    done = n.finalized + n.reviewed
    share = f" ({done / n.items:.0%})" if n.items else ""
    return (
        f"📋 {campaign.name} · {campaign.game} · {campaign.status}\n"
        f"Items: {n.items} — done {done}{share}, in review {n.review}, in progress "
        f"{n.in_progress}, not started {max(0, n.items - done - n.review - n.in_progress)}\n"
        f"Answers: {n.answers} from {n.players} player{'s' if n.players != 1 else ''}\n"
        f"Overlap {campaign.min_overlap}-{campaign.max_overlap} · gold rate "
        f"{campaign.gold_rate:.0%} · reward ×{campaign.reward_multiplier:g}"
    )


async def create_from_files(
    store: Store,
    settings: EngineSettings,
    spec: CampaignSpec,
    files: Sorted,
    *,
    skip_bad: bool,
    now: float,
) -> tuple[CampaignRow, list[str]]:
    """Import uploaded files as a dataset and campaign (all or nothing unless `skip_bad`);
    returns the campaign and the problems of skipped rows."""
    with tempfile.TemporaryDirectory(prefix="labelquest-upload-") as tmp:
        root = Path(tmp)
        if files.quickdraw:
            return await _quickdraw(store, settings, spec, files, root, skip_bad, now)
        if files.archive is not None:
            return await _archive(store, settings, spec, files, root, skip_bad, now)
        if files.csv is None:
            raise InvalidInput(texts.ATTACH_THE_DATASET)
        header = csv_header(files.csv.data)
        if "text" not in header and "file" in header:
            raise InvalidInput(texts.CSV_NEEDS_ITS_IMAGES, filename=files.csv.filename)
        path = root / "texts.csv"
        await asyncio.to_thread(path.write_bytes, files.csv.data)
        campaign, bad = await import_texts(
            store, path, spec, skip_bad=skip_bad, now=now, name=files.csv.filename
        )
        return campaign, [str(p) for p in bad]


async def _archive(
    store: Store,
    settings: EngineSettings,
    spec: CampaignSpec,
    files: Sorted,
    root: Path,
    skip_bad: bool,
    now: float,
) -> tuple[CampaignRow, list[str]]:
    """Unpack the archive and import its images; problems name the user's files."""
    assert files.archive is not None
    unpacked = root / "unpacked"
    unpacked.mkdir()
    written = await asyncio.to_thread(unpack, files.archive, unpacked, limits(settings))
    folder, labels = labels_location(written, unpacked, files.csv is not None)
    if files.csv is not None:
        await asyncio.to_thread(labels.write_bytes, files.csv.data)
        labels_name = files.csv.filename
    else:
        labels_name = labels.relative_to(unpacked).as_posix()
    campaign, bad = await import_images(
        store,
        folder,
        labels,
        spec,
        skip_bad=skip_bad,
        now=now,
        limits=image_limits(settings),
        names=(files.archive.filename, labels_name),
    )
    return campaign, [str(p) for p in bad]


async def _quickdraw(
    store: Store,
    settings: EngineSettings,
    spec: CampaignSpec,
    files: Sorted,
    root: Path,
    skip_bad: bool,
    now: float,
) -> tuple[CampaignRow, list[str]]:
    from bot.core.campaigns.quickdraw_import import import_quickdraw

    uploads = files.quickdraw
    paths = []
    for n, up in enumerate(uploads, start=1):
        # one folder per upload keeps the user's file name in every problem reported
        path = root / str(n) / (PurePosixPath(up.filename.replace("\\", "/")).name or "upload")
        await asyncio.to_thread(_write, path, up.data)
        paths.append(path)
    distractors = getattr(getattr(settings, "quickdraw", None), "distractors", None)
    if distractors is not None:
        spec = dataclasses.replace(spec, settings={**spec.settings, "distractors": distractors})
    source = ", ".join(up.filename for up in uploads)
    return await import_quickdraw(store, paths, spec, now=now, skip_bad=skip_bad, source=source)


async def from_dataset(
    store: Store, spec: CampaignSpec, dataset_name: str, now: float
) -> CampaignRow:
    """A new campaign over a dataset that was imported before."""
    dataset = await store.get_dataset(dataset_name.strip())
    if dataset is None:
        names = ", ".join(d.name for d, _ in (await store.list_datasets())[:10]) or "none yet"
        raise NotFound(texts.NO_DATASET_NAMED, name=dataset_name, names=names)
    if await store.get_campaign_by_name(spec.name) is not None:
        raise InvalidInput(texts.CAMPAIGN_EXISTS, name=spec.name)
    return await create_campaign(store, spec, dataset.id, now)


async def empty_dataset(store: Store, spec: CampaignSpec, now: float) -> CampaignRow:
    """A campaign over a new, empty dataset: a capture campaign's items are the photos its
    players contribute (issue 16), so it needs no upload."""
    return await store_import(store, "image", "contributed photos", [], spec, now)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def new_schedule(
    campaign_id: int, channel_id: int, rule: Rule, now: float, tz: str, by: str
) -> NewSchedule:
    """A schedule of `rule` for a campaign in a channel, its first run due in time zone `tz`;
    `by` says who set it."""
    return NewSchedule(
        campaign_id,
        channel_id,
        rule.every_minutes,
        rule.start_minute,
        rule.end_minute,
        rule.max_per_day,
        rule.quiet_days,
        first_run(rule, now, zone(tz)),
        by,
    )
