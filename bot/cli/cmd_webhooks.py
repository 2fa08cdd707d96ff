"""Webhook subcommands (`run.py webhook`), run by an admin (docs/api.md#webhooks):

- `webhook add --campaign NAME URL`: registers the URL for the campaign's events and prints
  its signing secret once (a warning too when the URL is plain http to another machine);
- `webhook list`: one line per webhook (id, campaign, URL, secret prefix, active, created);
- `webhook remove ID`: stops it for good (its deliveries stay listed);
- `webhook deliveries ID`: its latest deliveries (event, status, attempts, last status code
  or error, next attempt or delivery time).
Errors (unknown campaign or webhook, a refused URL) print `error: ...` and exit 1. The
deliveries themselves are sent by a process serving the web side (`[webhooks]`).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import Any

from bot.config import Settings
from bot.core.kernel.models import PlayerRef
from bot.core.kernel.scope import Actor
from bot.core.webhooks import AddedWebhook
from storage import CampaignRow, DeliveryRow, WebhookRow

CLI = Actor(PlayerRef("cli", "cli", "cli"), True, None, False)


def add_parsers(sub: Any, common: argparse.ArgumentParser, campaign: Any) -> None:
    """`webhook add|list|remove|deliveries`."""
    hook = sub.add_parser(
        "webhook",
        parents=[common],
        help="webhooks out: POST label events to a URL",
        description="Register, list and remove webhooks; see their deliveries (docs/api.md).",
    )
    wsub = hook.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = wsub.add_parser("add", parents=[common], help="a new webhook; prints its secret once")
    add.add_argument("--campaign", required=True, metavar="NAME", help="whose events")
    add.add_argument("url", metavar="URL", help="where to POST (https://...)")
    wsub.add_parser("list", parents=[common], help="every webhook, never a secret")
    rm = wsub.add_parser("remove", parents=[common], help="stop a webhook for good")
    rm.add_argument("webhook_id", type=int, metavar="ID")
    dl = wsub.add_parser("deliveries", parents=[common], help="a webhook's latest deliveries")
    dl.add_argument("webhook_id", type=int, metavar="ID")


async def dispatch(args: argparse.Namespace, settings: Settings) -> int | None:
    if args.command != "webhook":
        return None
    from bot.cli.commands import _store
    from bot.core.engine import Engine

    store = await _store(settings)
    engine = Engine(store, settings)
    try:
        hooks = engine.webhooks
        if args.action == "add":
            print(format_added(await hooks.add(CLI, args.campaign, args.url)))
        elif args.action == "list":
            print(format_list(await hooks.all(CLI)))
        elif args.action == "remove":
            row = await hooks.remove(CLI, args.webhook_id)
            print(f"removed webhook {row.id} ({row.url}): no more deliveries will be sent")
        else:
            row, deliveries = await hooks.deliveries(CLI, args.webhook_id)
            print(format_deliveries(row, deliveries))
    finally:
        await engine.close()
        await store.close()
    return 0


def format_added(added: AddedWebhook) -> str:
    w = added.webhook
    warning = "" if added.warning is None else f"\n{added.warning}"
    if warning:
        print(added.warning, file=sys.stderr)
    return (
        f"added webhook {w.id} for campaign {w.campaign_id}: POST {w.url}\n\n"
        f"{added.secret}\n\n"
        "This is its signing secret, shown only this once: give it to the receiver to check "
        f"X-LabelQuest-Signature (docs/api.md#webhooks).{warning}"
    )


def format_list(hooks: list[tuple[WebhookRow, CampaignRow | None]]) -> str:
    if not hooks:
        return "no webhooks (add one with: run.py webhook add --campaign NAME URL)"
    rows = [("id", "campaign", "url", "secret", "active", "created")]
    for w, c in hooks:
        name = c.name if c is not None else str(w.campaign_id)
        rows.append(
            (
                str(w.id),
                name,
                w.url,
                w.prefix + "…",
                "yes" if w.active else "no",
                _when(w.created_at),
            )
        )
    return _table(rows)


def format_deliveries(w: WebhookRow, deliveries: list[DeliveryRow]) -> str:
    head = f"webhook {w.id} ({w.url}){'' if w.active else ' (removed)'}"
    if not deliveries:
        return f"{head}: no deliveries yet"
    rows = [("delivery", "event", "status", "attempts", "last result", "when")]
    for d in deliveries:
        result = d.last_error or ("-" if d.last_status_code is None else str(d.last_status_code))
        if d.last_status_code is not None and d.last_error:
            result = f"{d.last_status_code} {d.last_error}"
        when = d.delivered_at if d.status == "delivered" else d.next_attempt_at
        label = {"pending": "next", "delivered": "at", "failed": "gave up"}.get(d.status, "")
        rows.append(
            (
                f"dlv_{d.id}",
                f"evt_{d.seq}",
                d.status,
                str(d.attempts),
                result,
                f"{label} {_when(when or d.created_at)}",
            )
        )
    return head + "\n" + _table(rows)


def _table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = ("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows)
    return "\n".join(line.rstrip() for line in lines)


def _when(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(at))
