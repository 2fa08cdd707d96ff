"""The subcommands of `run.py`. Each opens what it needs, does one thing, prints a result."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

from bot.config import Settings
from bot.core.kernel.errors import InvalidInput, LabelQuestError, NotFound
from storage import SqlStore, StoreError, open_store, redact_url
from storage.migrate import current_version


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.main import features

    for feature in features():
        code: int | None = await feature.dispatch(args, settings)
        if code is not None:
            return code
    handler = {
        "run": cmd_run,
        "demo": cmd_demo,
        "import": cmd_import,
        "export": cmd_export,
        "campaign": cmd_campaign,
        "db": cmd_db,
    }[args.command]
    return await handler(args, settings)


async def _store(settings: Settings) -> SqlStore:
    db = settings.database
    return await open_store(
        db.url,
        password=settings.secret(db.password_env),
        pool_size=db.pool_size,
        sqlite_synchronous=db.sqlite_synchronous,
    )


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import App, NoPlatform

    try:
        await App(settings).run_forever()
    except NoPlatform as exc:
        print(exc, file=sys.stderr)
        return 2
    except (LabelQuestError, StoreError):
        raise
    except Exception as exc:  # a bot that cannot start: bad token, missing intent, network
        print(f"error: a bot could not start: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


async def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from bot.demo.run import format_summary, run_demo

    if args.players < 1 or args.items < 2:
        raise InvalidInput("the demo needs at least 1 player and 2 items")
    if getattr(args, "play", None):
        from bot.demo.play import play_campaign

        db = getattr(args, "db", None) or settings.database.url
        played = await play_campaign(settings, db, args.play, players=args.players, seed=args.seed)
        print(played.text())
        return 0
    summary = await run_demo(
        settings,
        players=args.players,
        items=args.items,
        seed=args.seed,
        db=getattr(args, "db", None),
        out=args.out,
    )
    if args.json:
        print(json.dumps(summary.as_json()))
    else:
        print(format_summary(summary))
    return 0


async def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.campaigns.importing import import_images, import_texts, make_spec

    options = [o.strip() for o in args.options.split(",")] if args.options else None
    spec = make_spec(
        settings,
        args.campaign,
        args.game,
        options=options,
        question=args.question,
        min_overlap=args.min_overlap,
        max_overlap=args.max_overlap,
        confidence=args.confidence,
        gold_rate=args.gold_rate,
        reward_multiplier=args.reward,
    )
    store = await _store(settings)
    try:
        if args.what == "images":
            campaign, skipped = await import_images(
                store, args.folder, args.labels, spec, skip_bad=args.skip_bad, now=time.time()
            )
        else:
            campaign, skipped = await import_texts(
                store, args.labels, spec, skip_bad=args.skip_bad, now=time.time()
            )
        counts = await store.campaign_counts(campaign.id)
    finally:
        await store.close()
    gold = await _gold_note(settings, campaign.id)
    print(
        f"imported {counts.items} items{gold} into campaign {campaign.name!r} "
        f"({campaign.game}, overlap {campaign.min_overlap}-{campaign.max_overlap})"
    )
    if skipped:
        print(f"skipped {len(skipped)} bad row(s):")
        for p in skipped:
            print(f"  {p}")
    return 0


async def _gold_note(settings: Settings, campaign_id: int) -> str:
    store = await _store(settings)
    try:
        n = await store.gold_item_count(campaign_id)
    finally:
        await store.close()
    return f" (+{n} gold)" if n else ""


async def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """`export`: the file `bot.core.exports.download.export_file` makes, as the dashboard's
    download does for the same options."""
    from bot.core.exports.download import NDJSON, ExportOptions, export_file

    if args.answers and args.method != "live":
        raise InvalidInput("--method applies to labels, not to --answers")
    store = await _store(settings)
    try:
        campaign = await store.get_campaign_by_name(args.campaign)
        if campaign is None:
            raise NotFound(f"there is no campaign named {args.campaign!r}")
        if args.format == NDJSON and (args.answers or campaign.game != "quickdraw"):
            raise InvalidInput("--format ndjson exports the doodles of a quick-draw campaign")
        options = ExportOptions(
            answers=args.answers,
            fmt=args.format,
            raw_ids=args.raw_ids,
            method=args.method,
            raw_cells=args.raw_cells,
            drawings=getattr(args, "drawings", "simplified"),
        )
        out = await export_file(store, campaign, options)
    finally:
        await store.close()
    if args.output == "-":
        sys.stdout.write(out.data.decode())
    else:
        await asyncio.to_thread(Path(args.output).write_bytes, out.data)
        print(f"wrote {out.count} {out.what} of {campaign.name!r} to {args.output}")
    return 0


async def cmd_campaign(args: argparse.Namespace, settings: Settings) -> int:
    store = await _store(settings)
    try:
        if args.action == "list":
            for c in await store.list_campaigns():
                n = await store.campaign_counts(c.id)
                print(
                    f"{c.name}\t{c.game}\t{c.status}\t{n.finalized}/{n.items} finalized\t"
                    f"{n.answers} answers"
                )
            return 0
        campaign = await store.get_campaign_by_name(args.name)
        if campaign is None:
            raise NotFound(f"there is no campaign named {args.name!r}")
        n = await store.campaign_counts(campaign.id)
        print(
            f"{campaign.name}: {campaign.game}, {campaign.status}\n"
            f"  items {n.items}: finalized {n.finalized}, in review {n.review}, reviewed "
            f"{n.reviewed}, in progress {n.in_progress}\n"
            f"  answers {n.answers} from {n.players} players"
        )
        return 0
    finally:
        await store.close()


async def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    store = await _store(settings)
    try:
        version = await current_version(store.db)
        print(f"store: {store.dialect} at {redact_url(settings.database.url)}")
        print(f"schema version: {version}")
        if args.action == "info":
            for c in await store.list_campaigns():
                n = await store.campaign_counts(c.id)
                print(f"campaign {c.name}: {n.items} items, {n.answers} answers")
    finally:
        await store.close()
    return 0
