"""Argument parsing and dispatch for `run.py`. Every subcommand takes `--config` and `--db`."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.config import ConfigError, Settings, gateway_problem, load_settings, shard_problem


def _features() -> list[Any]:
    """Feature modules that add subcommands: each has `add_parsers(sub, common, campaign)`
    (`campaign`: the subparsers of `run.py campaign`, for actions such as `report`) and
    `async dispatch(args, settings) -> int | None` (None: not mine)."""
    from bot.cli import (
        cmd_campaigns,
        cmd_capture,
        cmd_compare,
        cmd_locate,
        cmd_quickdraw,
        cmd_review,
        cmd_tokens,
        cmd_web,
        cmd_webhooks,
    )

    return [
        cmd_review,
        cmd_quickdraw,
        cmd_campaigns,
        cmd_tokens,
        cmd_web,
        cmd_webhooks,
        cmd_capture,
        cmd_locate,
        cmd_compare,
    ]


_FEATURES: list[Any] = []


def features() -> list[Any]:
    """The feature modules, imported on first use (not for `run.py aggregate`)."""
    if not _FEATURES:
        _FEATURES.extend(_features())
    return _FEATURES


def _common(sup: bool) -> argparse.ArgumentParser:
    """--config/--db/--log-level, accepted before or after the subcommand."""
    p = argparse.ArgumentParser(add_help=False)
    default = argparse.SUPPRESS if sup else None
    p.add_argument(
        "--config",
        type=Path,
        default=default,
        metavar="PATH",
        help="a TOML file with the settings you change (see config.toml)",
    )
    p.add_argument(
        "--db",
        default=default,
        metavar="PATH_OR_URL",
        help="SQLite file path or postgresql:// URL (overrides the config)",
    )
    p.add_argument("--log-level", default=default, choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return p


def _campaign_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--campaign", required=True, metavar="NAME", help="name of the new campaign")
    p.add_argument("--game", required=True, choices=["verify", "classify"])
    p.add_argument("--options", metavar="a,b,c", help="classify: the label options")
    p.add_argument("--question", help="question shown with each item ({label} = candidate)")
    p.add_argument("--min-overlap", type=int, metavar="N")
    p.add_argument("--max-overlap", type=int, metavar="N")
    p.add_argument("--confidence", type=float, metavar="P")
    p.add_argument("--gold-rate", type=float, metavar="R")
    p.add_argument("--reward", type=float, default=1.0, metavar="X", help="points multiplier")
    p.add_argument(
        "--skip-bad",
        action="store_true",
        help="store the good rows and list the bad ones (default: all or nothing)",
    )


RAW_CELLS_HELP = (
    "CSV cells as stored: no ' before a cell starting with = + - @ tab or CR (the default "
    "guards spreadsheets against formula injection; docs/admins.md#exports)"
)


def _add_aggregate(sub: Any, common: argparse.ArgumentParser) -> None:
    agg = sub.add_parser("aggregate", parents=[common], help="aggregate a long-form answers CSV")
    agg.add_argument("--answers", type=Path, required=True, metavar="FILE.csv")
    agg.add_argument("--method", default=None, help="mv, wawa, ds, onecoin or sds (default: sds)")
    agg.add_argument("--gold", type=Path, metavar="FILE.csv", help="task,label: print accuracy")
    agg.add_argument("-o", "--output", type=Path, metavar="OUT.csv")
    agg.add_argument("--raw-cells", action="store_true", help=RAW_CELLS_HELP)


def _add_demo(sub: Any, common: argparse.ArgumentParser) -> None:
    demo = sub.add_parser("demo", parents=[common], help="a simulated community, end to end")
    demo.add_argument("--players", type=int, default=40, metavar="N")
    demo.add_argument("--items", type=int, default=200, metavar="N")
    demo.add_argument("--seed", type=int, default=7, metavar="S")
    demo.add_argument("--json", action="store_true", help="print one JSON object")
    demo.add_argument("--out", type=Path, metavar="DIR", help="write images here")
    demo.add_argument(
        "--play",
        metavar="CAMPAIGN",
        help="instead: the demo players answer the open items of this campaign of --db "
        "(e.g. items pushed through the API; docs/api.md)",
    )


def build_parser() -> argparse.ArgumentParser:

    common = _common(sup=True)
    parser = argparse.ArgumentParser(
        prog="run.py",
        parents=[_common(sup=False)],
        description="LabelQuest: a Discord and Telegram labeling game over one engine.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser(
        "run", parents=[common], help="run the bots (tokens from the environment)"
    )
    run.add_argument(
        "--shards",
        metavar="0,1",
        help="the Discord shards this process runs (overrides [discord] shard_ids)",
    )
    run.add_argument(
        "--shard-count",
        metavar="N",
        help="total Discord shards over all processes (overrides [discord] shard_count)",
    )
    run.add_argument(
        "--no-discord-gateway",
        dest="discord_gateway",
        action="store_false",
        default=None,
        help="Discord over REST only: post, edit and DM, no gateway session, no events "
        "(sets [discord] gateway = false; for a process that runs no shard)",
    )

    _add_demo(sub, common)
    _add_import(sub, common)
    _add_export(sub, common)
    _add_aggregate(sub, common)

    camp = sub.add_parser("campaign", parents=[common], help="list and inspect campaigns")
    csub = camp.add_subparsers(dest="action", required=True, metavar="ACTION")
    csub.add_parser("list", parents=[common], help="one campaign per line, name first")
    st = csub.add_parser("status", parents=[common], help="progress of one campaign")
    st.add_argument("name")

    for feature in features():
        feature.add_parsers(sub, common, csub)

    db = sub.add_parser("db", parents=[common], help="database maintenance")
    dsub = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    dsub.add_parser("migrate", parents=[common], help="apply pending migrations")
    dsub.add_parser("info", parents=[common], help="backend, schema version, row counts")
    return parser


def _add_import(sub: Any, common: argparse.ArgumentParser) -> None:
    """`import images|texts`: a dataset as a campaign."""
    imp = sub.add_parser("import", parents=[common], help="import a dataset as a campaign")
    isub = imp.add_subparsers(dest="what", required=True, metavar="KIND")
    images = isub.add_parser("images", parents=[common], help="a folder of images + labels CSV")
    images.add_argument("folder", type=Path, metavar="DIR")
    images.add_argument(
        "--labels",
        type=Path,
        required=True,
        metavar="FILE.csv",
        help="columns file,label[,gold][,explanation][,truth]",
    )
    _campaign_args(images)
    txt = isub.add_parser("texts", parents=[common], help="a CSV of texts to classify/verify")
    txt.add_argument(
        "labels",
        type=Path,
        metavar="FILE.csv",
        help="columns text[,label][,gold][,explanation][,truth]",
    )
    _campaign_args(txt)


def _add_export(sub: Any, common: argparse.ArgumentParser) -> None:
    """`export`: labels or answers of a campaign."""
    from bot.aggregation import METHODS

    exp = sub.add_parser("export", parents=[common], help="labels or answers of a campaign")
    exp.add_argument("--campaign", required=True, metavar="NAME")
    exp.add_argument("--format", default="csv", choices=["csv", "jsonl"])
    exp.add_argument(
        "--answers",
        action="store_true",
        help="raw answers in long form (task,worker,label,created_at)",
    )
    exp.add_argument("--raw-ids", action="store_true", help="player ids instead of pseudonyms")
    exp.add_argument(
        "--method",
        default="live",
        choices=["live", *METHODS],
        help="labels of the live tally (default) or of a batch method",
    )
    exp.add_argument("--raw-cells", action="store_true", help=RAW_CELLS_HELP)
    exp.add_argument("-o", "--output", required=True, metavar="FILE", help="'-' for stdout")


def settings_from(args: argparse.Namespace) -> Settings:
    settings = load_settings(getattr(args, "config", None))
    if getattr(args, "db", None):
        settings = settings.with_database_url(args.db)
    shards, count = getattr(args, "shards", None), getattr(args, "shard_count", None)
    if shards is not None or count is not None:
        discord = settings.discord.with_shards(_shard_count(count), _shard_ids(shards))
        problem = shard_problem(
            discord.shard_count,
            discord.shard_ids,
            count_key="--shard-count" if count is not None else "[discord] shard_count",
            ids_key="--shards" if shards is not None else "[discord] shard_ids",
        )
        if problem is not None:
            raise ConfigError(problem)
        settings = dataclasses.replace(settings, discord=discord)
    return _gateway_override(settings, args)


def _gateway_override(settings: Settings, args: argparse.Namespace) -> Settings:
    """`--no-discord-gateway` sets `[discord] gateway = false`; REST only takes no shards."""
    flag = getattr(args, "discord_gateway", None) is False
    if flag:
        discord = dataclasses.replace(settings.discord, gateway=False)
        settings = dataclasses.replace(settings, discord=discord)
    problem = gateway_problem(
        settings.discord.gateway,
        settings.discord.shard_ids,
        gateway_key="--no-discord-gateway" if flag else "[discord] gateway = false",
        ids_key="--shards" if getattr(args, "shards", None) is not None else "[discord] shard_ids",
    )
    if problem is not None:
        raise ConfigError(problem)
    return settings


def _shard_count(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.strip().isdigit():
        raise ConfigError(f"--shard-count: must be a whole number >= 0, got {value!r}")
    return int(value)


def _shard_ids(value: str | None) -> list[int] | None:
    """`--shards 0,1` as a list; an empty value means all shards."""
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        raise ConfigError(
            f"--shards: must be shard numbers separated by commas, e.g. 0,1, got {value!r}"
        )
    return [int(p) for p in parts]


def _command_of(argv: Sequence[str]) -> str | None:
    """The subcommand named in `argv`, skipping the common options and their values."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in ("--config", "--db", "--log-level"):
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def _aggregate_parser() -> argparse.ArgumentParser:
    """Only `run.py aggregate` (same options as in the full parser)."""
    parser = argparse.ArgumentParser(prog="run.py", parents=[_common(sup=False)])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_aggregate(sub, _common(sup=True))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `aggregate` is timed as a whole process: it loads numpy and the aggregators only (no
    # feature modules, no store, no asyncio); a --config file is still validated.
    fast = _command_of(argv) == "aggregate"
    parser = _aggregate_parser() if fast else build_parser()
    args = parser.parse_args(argv)
    if args.command == "aggregate" and getattr(args, "config", None) is None:
        from bot.aggregation.cli import aggregate_command

        return aggregate_command(
            args.answers, args.method, args.gold, args.output, sys.stdout, raw_cells=args.raw_cells
        )
    try:
        settings = settings_from(args)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    if args.command == "aggregate":
        # Timed as a whole process: numpy and the aggregators only, no store, no asyncio.
        from bot.aggregation.cli import aggregate_command

        return aggregate_command(
            args.answers, args.method, args.gold, args.output, sys.stdout, raw_cells=args.raw_cells
        )
    import asyncio

    from bot.cli import commands
    from bot.cli.logs import setup_logging
    from bot.core.kernel.errors import LabelQuestError
    from storage import StoreError

    level = getattr(args, "log_level", None) or settings.logging.level
    secrets = [
        settings.secret(n) or ""
        for n in (
            settings.telegram.token_env,
            settings.telegram.webhook_secret_env,  # PTB logs setWebhook's params at DEBUG
            settings.discord.token_env,
            settings.database.password_env,
        )
    ]
    serving = args.command in ("run", "web")
    setup_logging(level if serving else max(level, "WARNING", key=_rank), secrets)
    try:
        return asyncio.run(commands.dispatch(args, settings))
    except (LabelQuestError, StoreError) as exc:
        print(f"error: {getattr(exc, 'message', str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _rank(level: str) -> int:
    return ["DEBUG", "INFO", "WARNING", "ERROR"].index(level)
