"""Locate subcommands (issue 17): `run.py export --format coco NAME` and `--format
labelstudio` write a locate campaign's boxes or points as COCO or Label Studio JSON
(`bot.core.exports.detection`; docs/locate.md#admins). The file itself is made by
`bot.core.exports.download.export_file`, as for every other format."""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import Settings

DETECTION = ("coco", "labelstudio")


def add_parsers(sub: Any, common: argparse.ArgumentParser, campaign: Any) -> None:
    """`--format coco` and `--format labelstudio` for `export`."""
    exp = sub.choices["export"]
    for action in exp._actions:
        if "--format" in action.option_strings:
            action.choices = [*action.choices, *DETECTION]


async def dispatch(args: argparse.Namespace, settings: Settings) -> int | None:
    return None  # `export` writes these formats like the others (bot.cli.commands)
