"""Compare subcommands (issue 17): `run.py export --format ranking NAME [--output F]` writes
the ranking of a compare campaign's base items as CSV (`bot.core.compare.ranking_rows`:
rank, item_id, source, name, score, comparisons, pairs; docs/compare.md#exports). The
campaign may be named by `--campaign NAME` or as the last word (`cmd_capture` reads it)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.errors import InvalidInput, NotFound

RANKING = "ranking"


def add_parsers(sub: Any, common: argparse.ArgumentParser, campaign: Any) -> None:
    """`--format ranking` for `export`."""
    for action in sub.choices["export"]._actions:
        if "--format" in action.option_strings:
            action.choices = [*action.choices, RANKING]


async def dispatch(args: argparse.Namespace, settings: Settings) -> int | None:
    if args.command != "export" or args.format != RANKING:
        return None
    if args.answers:
        raise InvalidInput("--format ranking exports the ranking of the items, not --answers")
    return await cmd_export_ranking(args, settings)


async def cmd_export_ranking(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.commands import _store
    from bot.core.compare import RANKING_COLUMNS, ranking_rows
    from bot.core.exports.labels import render
    from bot.csv_safe import safe_cell

    name = args.campaign or getattr(args, "name", None)
    if not name:
        raise InvalidInput("say which campaign: run.py export --format ranking NAME")
    store = await _store(settings)
    try:
        campaign = await store.get_campaign_by_name(name)
        if campaign is None:
            raise NotFound(f"there is no campaign named {name!r}")
        if campaign.game != "compare":
            raise InvalidInput(
                f"{campaign.name} is not a compare campaign (it is {campaign.game})"
            )
        rows = await ranking_rows(store, campaign)
    finally:
        await store.close()
    if not args.raw_cells:  # text cells spreadsheet-safe; numbers (a negative score) as is
        rows = [
            {**r, "source": safe_cell(r["source"]), "name": safe_cell(r["name"])} for r in rows
        ]
    data = render(rows, RANKING_COLUMNS, "csv", raw_cells=True)
    if args.output == "-":
        sys.stdout.write(data.decode())
    else:
        await asyncio.to_thread(Path(args.output).write_bytes, data)
        print(f"wrote the ranking of {len(rows)} items of {campaign.name!r} to {args.output}")
    return 0
