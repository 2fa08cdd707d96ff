"""Review subcommands: `run.py review` and `run.py campaign report`.

- `review [--campaign NAME]`: the review queue (items the crowd left undecided), one line per
  item with its vote split.
- `review [--campaign NAME] --set ITEM=LABEL [--set ...] [--gold [--explanation TEXT]]`: set
  expert labels (they override the crowd in exports and reports; any non-gold item of the
  campaign, not only those in review); with `--gold` the items also become gold items.
  ITEM is the item id shown by the queue or the export; `--campaign` is needed only when
  the item belongs to several campaigns.
- `campaign report NAME [--json]`: the quality report (`bot.core.review.report`).
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from bot.config import Settings
from bot.core.kernel.errors import InvalidInput, NotFound
from storage import CampaignRow, Store

QUEUE_LIMIT = 500


def add_parsers(sub: Any, common: argparse.ArgumentParser, campaign: Any) -> None:
    """`review`, and `campaign report`."""
    rev = sub.add_parser(
        "review",
        parents=[common],
        help="the review queue; set expert labels",
        description="List the items the crowd left undecided, or set expert labels with --set.",
    )
    rev.add_argument("--campaign", metavar="NAME", help="only this campaign")
    rev.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="ITEM=LABEL",
        help="set the expert label of an item (repeatable)",
    )
    rev.add_argument("--gold", action="store_true", help="also make the --set items gold items")
    rev.add_argument(
        "--explanation", metavar="TEXT", help="what players see after answering the new gold item"
    )
    rep = campaign.add_parser("report", parents=[common], help="quality report of a campaign")
    rep.add_argument("name")
    rep.add_argument("--json", action="store_true", help="print one JSON object")


async def dispatch(args: argparse.Namespace, settings: Settings) -> int | None:
    if args.command == "review":
        return await cmd_review(args, settings)
    if args.command == "campaign" and args.action == "report":
        return await cmd_report(args, settings)
    return None


async def _store(settings: Settings) -> Store:
    from bot.cli.commands import _store as open_configured

    return await open_configured(settings)


async def _campaign(store: Store, name: str) -> CampaignRow:
    found = await store.get_campaign_by_name(name)
    if found is None:
        raise NotFound(f"there is no campaign named {name!r}")
    return found


async def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.play.quality import QualityRules
    from bot.core.review.report import campaign_report, format_report

    store = await _store(settings)
    try:
        campaign = await _campaign(store, args.name)
        report = await campaign_report(
            store, campaign, QualityRules.from_settings(settings.quality)
        )
    finally:
        await store.close()
    print(json.dumps(report.as_json()) if args.json else format_report(report))
    return 0


async def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    if (args.gold or args.explanation) and not args.set:
        raise InvalidInput("--gold and --explanation go with --set ITEM=LABEL")
    store = await _store(settings)
    try:
        only = await _campaign(store, args.campaign) if args.campaign else None
        if args.set:
            for spec in args.set:
                print(await _set_one(store, only, spec, args.gold, args.explanation))
        else:
            await _print_queue(store, only)
    finally:
        await store.close()
    return 0


async def _print_queue(store: Store, only: CampaignRow | None) -> None:
    from bot.core.review.queue import queue_kind, vote_split
    from bot.games.registry import get_game

    campaigns = [only] if only else await store.list_campaigns()
    by_id = {c.id: c for c in campaigns}
    queue = await store.review_queue(list(by_id), limit=QUEUE_LIMIT)
    if not queue:
        print("nothing to review" + (f" in {only.name!r}" if only else ""))
        return
    counts = await store.review_counts(list(by_id))
    items = await store.get_items([t.item_id for t in queue])
    current = None
    for t in queue:
        c, item = by_id[t.campaign_id], items[t.item_id]
        if c.id != current:
            current = c.id
            print(f"{c.name}: {counts.get(c.id, 0)} item(s) in review")
        game = get_game(c.game)
        lean = (
            ""
            if t.label is None or t.confidence is None
            else (f"  leaning {t.label} ({t.confidence:.0%})")
        )
        print(
            f"  item {t.item_id}\t{item.source}\t{queue_kind(t)}\t"
            f"votes: {vote_split(game, c, item, t)}{lean}"
        )
    if len(queue) == QUEUE_LIMIT:
        print(f"(first {QUEUE_LIMIT} shown)")
    print("set a label with: run.py review --campaign NAME --set ITEM=LABEL [--gold]")


async def _set_one(
    store: Store, only: CampaignRow | None, spec: str, gold: bool, explanation: str | None
) -> str:
    from bot.core.review.queue import set_label

    raw_item, sep, raw_label = spec.partition("=")
    if not sep or not raw_item.strip().isdigit() or not raw_label.strip():
        raise InvalidInput(f"--set {spec!r}: expected ITEM=LABEL, e.g. --set 17=cat")
    item = await store.get_item(int(raw_item))
    if item is None:
        raise NotFound(f"--set {spec!r}: there is no item {raw_item.strip()}")
    campaign = await _campaign_of(store, only, item.id, spec)
    done = await set_label(
        store, campaign, item, raw_label, "cli", time.time(), gold=gold, explanation=explanation
    )
    label = done.label
    was = done.previous.status
    crowd = "" if done.previous.label is None else f", crowd said {done.previous.label!r}"
    line = f"item {item.id} of {campaign.name!r}: expert label {label!r} (was {was}{crowd})"
    if done.gold:
        line += f"; now a gold item with the answer {label!r}"
    return line


async def _campaign_of(
    store: Store, only: CampaignRow | None, item_id: int, spec: str
) -> CampaignRow:
    tallies = await store.item_tallies(item_id)
    ids = [t.campaign_id for t in tallies]
    if only is not None:
        if only.id not in ids:
            raise NotFound(f"--set {spec!r}: item {item_id} is not part of {only.name!r}")
        return only
    if not ids:
        raise NotFound(f"--set {spec!r}: item {item_id} is not part of any campaign")
    if len(ids) > 1:
        names = [c.name for c in await store.list_campaigns() if c.id in ids]
        raise InvalidInput(
            f"--set {spec!r}: item {item_id} is in several campaigns "
            f"({', '.join(names)}): add --campaign NAME"
        )
    campaign = await store.get_campaign(ids[0])
    assert campaign is not None
    return campaign
