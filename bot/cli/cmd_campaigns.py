"""Campaign subcommands: `run.py campaign create|start|pause|resume|stop|archive|status|
schedule|drawings` and `run.py audit`. `campaign list` stays in bot/cli/commands.py.

Every change is written to the audit log as actor `cli (<os user>)`. Campaigns created here
are shared by every community (admins manage them from chat; moderators may schedule them).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import getpass
import shlex
import time
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.core.campaigns.args import parse_settings
from bot.core.kernel.errors import InvalidInput, NotFound
from bot.games.registry import GAMES

ACTIONS = ("start", "pause", "resume", "stop", "archive")


SET_HELP = "a game setting (repeatable; `/campaign help` lists them)"


def add_parsers(sub: Any, common: argparse.ArgumentParser, campaign: Any) -> None:
    """`campaign create|start|...|schedule`, `--image` for `campaign status`, and `audit`."""
    create = campaign.add_parser(
        "create",
        parents=[common],
        help="a new campaign from files or an imported dataset",
        description="Create a campaign (a draft unless --start). The dataset is one of: "
        "--images (a folder or a .zip of images, with labels.csv inside or --labels), "
        "--texts (a CSV with a text column), --quickdraw (Quick, Draw! files), or --dataset "
        "(one imported before).",
    )
    create.add_argument("name", metavar="NAME")
    create.add_argument("--game", choices=sorted(GAMES))
    create.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help=SET_HELP)
    data = create.add_mutually_exclusive_group(required=False)  # capture: none (its photos)
    data.add_argument("--images", type=Path, metavar="DIR_OR_ZIP")
    data.add_argument("--texts", type=Path, metavar="FILE.csv")
    data.add_argument("--quickdraw", type=Path, nargs="+", metavar="FILE")
    data.add_argument("--dataset", metavar="NAME", help="a dataset imported before")
    create.add_argument("--labels", type=Path, metavar="FILE.csv", help="labels of --images")
    create.add_argument("--question", help="question shown with each item ({label} = candidate)")
    create.add_argument("--options", metavar="a,b,c", help="classify: the label options")
    create.add_argument("--min-overlap", type=int, metavar="N")
    create.add_argument("--max-overlap", type=int, metavar="N")
    create.add_argument("--confidence", type=float, metavar="P")
    create.add_argument("--gold-rate", type=float, metavar="R")
    create.add_argument("--reward", type=float, default=1.0, metavar="X", help="points ×")
    create.add_argument("--start", action="store_true", help="make it active at once")
    create.add_argument("--skip-bad", action="store_true", help="store the good rows only")
    for action in ACTIONS:
        p = campaign.add_parser(action, parents=[common], help=f"{action} a campaign")
        p.add_argument("name", metavar="NAME")
    campaign.choices["status"].add_argument(
        "--image", type=Path, metavar="FILE.png", help="also write the progress chart here"
    )
    sched = campaign.add_parser(
        "schedule",
        parents=[common],
        help="rounds in a channel the bot has seen",
        description="Schedule rounds of a campaign in a channel or group (by its platform "
        "id, e.g. telegram:-100123 or discord:987654321); times are in the community's "
        "time zone.",
    )
    sched.add_argument("name", metavar="NAME")
    sched.add_argument("--channel", required=True, metavar="PLATFORM:ID")
    sched.add_argument("--every", type=int, metavar="MINUTES")
    sched.add_argument("--hours", metavar="HH:MM-HH:MM", help='e.g. 09:00-21:00, or "all"')
    sched.add_argument("--max-per-day", type=int, metavar="N", help="0: no maximum")
    sched.add_argument("--quiet-days", metavar="DAYS", help="e.g. sat,sun")
    sched.add_argument("--remove", action="store_true", help="stop the rounds there")
    drawings = campaign.add_parser(
        "drawings", parents=[common], help="let players draw for a quickdraw campaign (or not)"
    )
    drawings.add_argument("name", metavar="NAME")
    drawings.add_argument("state", choices=["on", "off"], help="take player drawings or not")
    audit = sub.add_parser("audit", parents=[common], help="moderator and admin actions")
    audit.add_argument("--limit", type=int, default=20, metavar="N")
    audit.add_argument("--campaign", metavar="NAME", help="only actions about this campaign")


async def dispatch(args: argparse.Namespace, settings: Settings) -> int | None:
    """Run the command if it is one of this feature's; None otherwise."""
    if args.command == "audit":
        return await _with_store(settings, lambda s: cmd_audit(s, args))
    known = (*ACTIONS, "create", "status", "schedule", "drawings")
    if args.command != "campaign" or args.action not in known:
        return None
    handler = {
        "create": cmd_create,
        "status": cmd_status,
        "schedule": cmd_schedule,
        "drawings": cmd_drawings,
    }.get(args.action, cmd_action)
    return await _with_store(settings, lambda s: handler(s, settings, args))


async def _with_store(settings: Settings, run: Any) -> int:
    from bot.cli.commands import _store

    store = await _store(settings)
    try:
        code: int = await run(store)
        return code
    finally:
        await store.close()


async def audit(store: Any, at: float, action: str, campaign: Any, detail: str) -> None:
    """Record a command-line action on `campaign` in the audit log (`/audit` shows it)."""
    await store.add_audit(
        at=at,
        actor=actor(),
        action=action,
        target=campaign.name,
        detail=detail,
        campaign_id=campaign.id,
    )


def actor() -> str:
    try:
        return f"cli ({getpass.getuser()})"
    except (KeyError, OSError):
        return "cli"


async def cmd_create(store: Any, settings: Settings, args: argparse.Namespace) -> int:
    game = args.game or ("quickdraw" if args.quickdraw else None)
    if game is None:
        raise InvalidInput("say which game with --game verify|classify|quickdraw")
    spec = _spec(settings, args, game)
    now = time.time()
    campaign, skipped = await _create(store, settings, spec, args, now)
    n = await store.campaign_counts(campaign.id)
    await audit(
        store,
        now,
        "campaign.create",
        campaign,
        f"{campaign.game}, {n.items} items; {campaign.status}",
    )
    print(
        f"created campaign {campaign.name!r}: {n.items} items, {campaign.game}, {campaign.status}"
    )
    for line in skipped:
        print(f"  skipped {line}")
    return 0


def _spec(settings: Settings, args: argparse.Namespace, game: str) -> Any:
    """The campaign the arguments ask for (a draft unless --start)."""
    from bot.core.campaigns.importing import make_spec

    options = [o.strip() for o in args.options.split(",")] if args.options else None
    spec = make_spec(
        settings,
        args.name,
        game,
        options=options,
        question=args.question,
        min_overlap=args.min_overlap,
        max_overlap=args.max_overlap,
        confidence=args.confidence,
        gold_rate=args.gold_rate,
        reward_multiplier=args.reward,
        created_by=actor(),
        game_settings=parse_settings(" ".join(shlex.quote(w) for w in args.set)),
    )
    return dataclasses.replace(spec, status="active" if args.start else "draft")


async def _create(
    store: Any, settings: Settings, spec: Any, args: argparse.Namespace, now: float
) -> tuple[Any, list[str]]:
    """Create the campaign from a dataset, an image folder or files; (campaign, skipped)."""
    from bot.core.campaigns import admin as campaign_admin
    from bot.core.campaigns.importing import import_images
    from bot.core.campaigns.uploads import Sorted, Upload

    if args.dataset:
        return await campaign_admin.from_dataset(store, spec, args.dataset, now), []
    if not (args.images or args.texts or args.quickdraw):
        if spec.game != "capture":
            raise InvalidInput("say where the items come from: --images, --texts, "
                               "--quickdraw or --dataset")  # fmt: skip
        return await campaign_admin.empty_dataset(store, spec, now), []
    if args.images is not None and args.images.is_dir():
        if args.labels is None:
            raise InvalidInput("--images DIR needs --labels FILE.csv")
        campaign, bad = await import_images(
            store, args.images, args.labels, spec, skip_bad=args.skip_bad, now=now
        )
        return campaign, [str(p) for p in bad]
    files = await asyncio.to_thread(_read, args)
    uploads = Sorted(
        files.get("zip"),
        files.get("csv"),
        tuple(Upload(p.name, p.read_bytes()) for p in args.quickdraw or ()),
    )
    created: tuple[Any, list[str]] = await campaign_admin.create_from_files(
        store, settings, spec, uploads, skip_bad=args.skip_bad, now=now
    )
    return created


def _read(args: argparse.Namespace) -> dict[str, Any]:
    from bot.core.campaigns.uploads import Upload

    out: dict[str, Any] = {}
    for key, path in (("zip", args.images), ("csv", args.labels or args.texts)):
        if path is None:
            continue
        if not path.is_file():
            raise InvalidInput(f"{path}: no such file")
        out[key] = Upload(path.name, path.read_bytes())
    return out


async def cmd_action(store: Any, settings: Settings, args: argparse.Namespace) -> int:
    from bot.core.campaigns import admin as campaign_admin

    campaign = await campaign_admin.find(store, args.name)
    changed = await campaign_admin.change_status(store, campaign, args.action, time.time())
    await audit(
        store,
        time.time(),
        f"campaign.{args.action}",
        campaign,
        f"{campaign.status} -> {changed.status}",
    )
    print(f"{campaign.name}: {campaign.status} -> {changed.status}")
    return 0


async def cmd_drawings(store: Any, settings: Settings, args: argparse.Namespace) -> int:
    """`campaign drawings NAME on|off`: whether players may draw for it (issue 15)."""
    from bot.core.campaigns import admin as campaign_admin

    campaign = await campaign_admin.find(store, args.name)
    if campaign.game != "quickdraw":
        raise InvalidInput(f"{campaign.name} is a {campaign.game} campaign; only quickdraw "
                           "campaigns take drawings")  # fmt: skip
    await store.set_player_drawings(campaign.id, args.state == "on")
    await audit(store, time.time(), "campaign.drawings", campaign, args.state)
    print(f"{campaign.name}: player drawings {args.state}")
    return 0


async def cmd_status(store: Any, settings: Settings, args: argparse.Namespace) -> int:
    from bot.core.campaigns import admin as campaign_admin
    from bot.core.campaigns.jobs import rule_of
    from bot.core.campaigns.schedule_rules import describe
    from bot.render.progress import render_progress

    campaign = await campaign_admin.find(store, args.name)
    n = await store.campaign_counts(campaign.id)
    print(
        f"{campaign.name}: {campaign.game}, {campaign.status}\n"
        f"  items {n.items}: finalized {n.finalized}, in review {n.review}, reviewed "
        f"{n.reviewed}, in progress {n.in_progress}\n"
        f"  answers {n.answers} from {n.players} players"
    )
    for s in await store.campaign_schedules(campaign.id):
        when = (
            f"next run at {_iso(s.next_run_at)}"
            if campaign.status == "active"
            else f"no rounds while {campaign.status}"
        )
        print(
            f"  schedule {s.platform}:{s.channel_external_id} ({s.channel_name}): "
            f"{describe(rule_of(s))}; {when}"
        )
    if args.image is not None:
        chart = render_progress(campaign_admin.progress(campaign, n))
        await asyncio.to_thread(args.image.write_bytes, chart.data)
        print(f"  progress chart written to {args.image}")
    return 0


async def cmd_schedule(store: Any, settings: Settings, args: argparse.Namespace) -> int:
    from bot.core.campaigns import admin as campaign_admin
    from bot.core.campaigns.schedule_rules import describe, rule_from

    campaign = await campaign_admin.find(store, args.name)
    platform, _, external = args.channel.partition(":")
    channel = await store.find_channel(platform, external)
    if channel is None:
        raise NotFound(
            f"the bot has not seen channel {args.channel!r} yet: use "
            "/campaign schedule there, or check PLATFORM:ID"
        )
    now = time.time()
    if args.remove:
        return await _unschedule(store, campaign, channel, args.channel, now)
    rule = rule_from(
        settings.campaigns, args.every or None, args.hours, args.max_per_day, args.quiet_days
    )
    tz = await _timezone(store, settings, channel)
    row = campaign_admin.new_schedule(campaign.id, channel.id, rule, now, tz, actor())
    s = await store.upsert_schedule(row, now)
    await audit(store, now, "schedule.set", campaign, f"in {channel.name}: {describe(rule)}")
    print(
        f"{campaign.name} in {channel.name}: {describe(rule)} ({tz}); "
        f"next run at {_iso(s.next_run_at)}"
    )
    return 0


async def _unschedule(store: Any, campaign: Any, channel: Any, named: str, now: float) -> int:
    """`campaign schedule --remove`: the schedule goes, and the audit log says so."""
    if not await store.delete_schedule(campaign.id, channel.id):
        raise InvalidInput(f"{campaign.name} has no schedule in {named}")
    await audit(store, now, "schedule.remove", campaign, f"in {channel.name}")
    print(f"removed the schedule of {campaign.name} in {channel.name}")
    return 0


async def _timezone(store: Any, settings: Settings, channel: Any) -> str:
    """The channel's community time zone once a moderator set it, else the default."""
    if channel.community_id is not None:
        community = await store.get_community(channel.community_id)
        if community is not None and community.settings.get("timezone_set"):
            return str(community.timezone)
    return settings.scheduler.timezone


async def cmd_audit(store: Any, args: argparse.Namespace) -> int:
    from bot.core.campaigns import admin as campaign_admin
    from bot.core.campaigns.desk import format_entry

    if args.limit < 1:
        raise InvalidInput("--limit must be at least 1")
    campaign = await campaign_admin.find(store, args.campaign) if args.campaign else None
    rows = await store.audit_entries(
        limit=args.limit,
        campaign_id=campaign.id if campaign else None,
        target=campaign.name if campaign else None,
    )
    for r in rows:
        print(format_entry(r.at, r.actor, r.action, r.target, r.detail))
    return 0


def _iso(t: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M UTC")
