"""Capture subcommands (issue 16): `run.py export --format photos NAME --output X.zip
[--published]` writes the dataset of a capture campaign: its accepted photos and their
manifests (`bot.core.capture.export_photos`; docs/capture.md#admins). The campaign may be
named by `--campaign NAME` or as the last word."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.errors import InvalidInput, NotFound

PHOTOS = "photos"


def add_parsers(sub: Any, common: argparse.ArgumentParser, campaign: Any) -> None:
    """`--format photos`, `--published` and a campaign NAME for `export`."""
    exp = sub.choices["export"]
    for action in exp._actions:
        if "--format" in action.option_strings:
            action.choices = [*action.choices, PHOTOS]
        if "--campaign" in action.option_strings:
            action.required = False
    exp.add_argument(
        "--published",
        action="store_true",
        help="with --format photos: only photos whose authors agreed to publication under "
        "the campaign's open licence",
    )
    exp.add_argument("name", nargs="?", metavar="NAME", help="the campaign (or --campaign)")


async def dispatch(args: argparse.Namespace, settings: Settings) -> int | None:
    if args.command != "export":
        return None
    name = getattr(args, "name", None)
    if args.campaign and name and args.campaign != name:
        raise InvalidInput("name the campaign once: --campaign NAME or NAME")
    args.campaign = args.campaign or name
    if not args.campaign:
        raise InvalidInput("say which campaign: run.py export --campaign NAME (or NAME)")
    if args.format != PHOTOS:
        if args.published:
            raise InvalidInput("--published goes with --format photos")
        return None
    return await cmd_export_photos(args, settings)


async def cmd_export_photos(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.commands import _store
    from bot.core.capture import export_photos

    if args.output == "-":
        raise InvalidInput("--format photos writes a zip: give --output FILE.zip")
    store = await _store(settings)
    try:
        campaign = await store.get_campaign_by_name(args.campaign)
        if campaign is None:
            raise NotFound(f"there is no campaign named {args.campaign!r}")
        if campaign.game != "capture":
            raise InvalidInput(f"{campaign.name} is not a photo (capture) campaign")
        data, count = await export_photos(store, campaign, args.published)
    finally:
        await store.close()
    await asyncio.to_thread(Path(args.output).write_bytes, data)
    which = "published (consent 3)" if args.published else "owner's (consent 2)"
    print(f"wrote {count} accepted photos of {campaign.name!r} ({which}) to {args.output}")
    return 0
