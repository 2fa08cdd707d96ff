"""Quick-draw subcommands: `run.py import quickdraw` and the doodle side of `run.py export`.

- `import quickdraw FILE_OR_DIR... --campaign NAME [--limit N] [--recognized-only] [--skip-bad]`:
  raw or
  simplified ndjson and `.bin` files (detected from their content) become a doodle campaign
  (`bot.core.campaigns.quickdraw_import.import_quickdraw`); skipped lines are listed with
  file and line.
- `export --campaign NAME` of a quick-draw campaign: the label export gains the doodle
  columns (`bot.core.quickdraw.labels.DOODLE_COLUMNS`); `--format ndjson` (added to the
  export's choices here) writes the doodles as Quick, Draw! ndjson with `recognized` set from
  the human guesses. The file itself is made by `bot.core.exports.download.export_file`,
  which `run.py export` and the dashboard share.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path
from typing import Any

from bot.config import Settings

NDJSON = "ndjson"


def _subparsers(parser: argparse.ArgumentParser) -> Any:
    """The subcommand table of `parser` (argparse keeps it among its actions)."""
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def add_parsers(sub: Any, common: argparse.ArgumentParser, campaign: Any) -> None:
    """`import quickdraw`, and `--format ndjson` for `export`."""
    isub = _subparsers(sub.choices["import"])
    qd = isub.add_parser(
        "quickdraw",
        parents=[common],
        help="Quick, Draw! ndjson (raw or simplified) or .bin",
        description="Import Quick, Draw! drawings as a doodle-guessing campaign. The format "
        "of each file is detected from its content; a malformed line is skipped and listed.",
    )
    qd.add_argument("files", type=Path, nargs="+", metavar="FILE_OR_DIR")
    qd.add_argument("--campaign", required=True, metavar="NAME", help="name of the new campaign")
    qd.add_argument("--limit", type=int, metavar="N", help="import at most N drawings")
    qd.add_argument(
        "--skip-bad",
        action="store_true",
        help="store the good lines and list the bad ones (default: all or nothing)",
    )
    qd.add_argument(
        "--recognized-only",
        action="store_true",
        help="leave out drawings the Quick, Draw! model did not recognize",
    )
    qd.add_argument("--question", help="question shown with each doodle")
    qd.add_argument("--min-overlap", type=int, metavar="N", help="independent guessers needed")
    qd.add_argument("--max-overlap", type=int, metavar="N")
    qd.add_argument("--confidence", type=float, metavar="P")
    qd.add_argument("--reward", type=float, default=1.0, metavar="X", help="points multiplier")
    fmt = next(a for a in sub.choices["export"]._actions if "--format" in a.option_strings)
    fmt.choices = [*fmt.choices, NDJSON]
    fmt.help = "csv or jsonl; ndjson (quick-draw campaigns): the doodles, recognized by people"
    sub.choices["export"].add_argument(
        "--drawings",
        choices=["simplified", "raw"],
        default="simplified",
        help="with --format ndjson: write player drawings simplified (0..255, the default) or "
        "raw (as drawn, with t)",
    )


async def dispatch(args: argparse.Namespace, settings: Settings) -> int | None:
    if args.command == "import" and args.what == "quickdraw":
        return await cmd_import_quickdraw(args, settings)
    return None


async def cmd_import_quickdraw(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.commands import _store
    from bot.core.campaigns.importing import make_spec
    from bot.core.campaigns.quickdraw_import import import_quickdraw

    spec = make_spec(
        settings,
        args.campaign,
        "quickdraw",
        question=args.question,
        min_overlap=args.min_overlap,
        max_overlap=args.max_overlap,
        confidence=args.confidence,
        gold_rate=0.0,
        reward_multiplier=args.reward,
    )
    spec = dataclasses.replace(spec, settings={"distractors": settings.quickdraw.distractors})
    store = await _store(settings)
    try:
        campaign, problems = await import_quickdraw(
            store,
            args.files,
            spec,
            limit=args.limit,
            recognized_only=args.recognized_only,
            now=time.time(),
            skip_bad=args.skip_bad,
        )
        counts = await store.campaign_counts(campaign.id)
    finally:
        await store.close()
    print(
        f"imported {_count(counts.items, 'doodle')} ({_count(len(campaign.options), 'word')})"
        f" into campaign {campaign.name!r} (quickdraw, overlap {campaign.min_overlap}-"
        f"{campaign.max_overlap})"
    )
    if problems:
        print(f"skipped {_count(len(problems), 'bad line')}:")
        for p in problems:
            print(f"  {p}")
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
