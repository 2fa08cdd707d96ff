"""API token subcommands (`run.py token`), run by an admin:

- `token create --name N [--community ID ...] [--write] [--expires-days D]`: prints the new
  token once, with a warning to store it now (only its hash is kept);
- `token list`: one line per token (id, name, prefix, scopes, communities, created, last
  used, expires, revoked), never a token;
- `token revoke ID`: revokes it for good and says so.
Errors (unknown token id, unknown community id, bad values) print `error: ...`, exit 1.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from bot.config import Settings
from bot.core.access import IssuedToken, TokenInfo


def add_parsers(sub: Any, common: argparse.ArgumentParser, campaign: Any) -> None:
    """`token create|list|revoke`."""
    tok = sub.add_parser(
        "token",
        parents=[common],
        help="API tokens for the JSON API",
        description="Create, list and revoke API tokens (docs/api.md).",
    )
    tsub = tok.add_subparsers(dest="action", required=True, metavar="ACTION")
    new = tsub.add_parser("create", parents=[common], help="a new token, shown once")
    new.add_argument("--name", required=True, metavar="N", help="what the token is for")
    new.add_argument(
        "--community",
        action="append",
        type=int,
        default=[],
        metavar="ID",
        help="a community the token may see (repeatable; none: every community)",
    )
    new.add_argument("--write", action="store_true", help="scopes read+write (default: read)")
    new.add_argument("--expires-days", type=int, metavar="D", help="expires after D days")
    tsub.add_parser("list", parents=[common], help="every token, never the secret")
    rev = tsub.add_parser("revoke", parents=[common], help="revoke a token for good")
    rev.add_argument("token_id", type=int, metavar="ID")


async def dispatch(args: argparse.Namespace, settings: Settings) -> int | None:
    if args.command != "token":
        return None
    from bot.cli.commands import _store
    from bot.core.engine import Engine

    store = await _store(settings)
    engine = Engine(store, settings)
    try:
        access = engine.access
        if args.action == "create":
            issued = await access.create(
                args.name,
                write=args.write,
                communities=args.community,
                expires_days=args.expires_days,
            )
            print(format_issued(issued))
        elif args.action == "list":
            print(format_list(await access.tokens(), engine.now()))
        else:
            info = await access.revoke(args.token_id)
            print(f"revoked token {info.id} ({info.name!r}): it no longer works")
    finally:
        await engine.close()
        await store.close()
    return 0


def format_issued(issued: IssuedToken) -> str:
    i = issued.info
    where = ", ".join(map(str, i.communities)) or "all"
    expires = _when(i.expires_at) if i.expires_at is not None else "never"
    return (
        f"created token {i.id} ({i.name!r}): scopes {i.scopes}, communities {where}, "
        f"expires {expires}\n\n{issued.token}\n\n"
        "Store this token now: it is shown only this once and cannot be recovered "
        "(only its hash is kept). Lost it? Revoke it and create another."
    )


_HEAD = ("id", "name", "prefix", "scopes", "communities", "created", "last used", "expires")


def format_list(tokens: list[TokenInfo], now: float) -> str:
    """A table of tokens with a `revoked` column (an expired token says so under expires)."""
    if not tokens:
        return "no API tokens (create one with: run.py token create --name NAME)"
    rows = [(*_HEAD, "revoked")]
    for t in tokens:
        expires = "never" if t.expires_at is None else _when(t.expires_at)
        if t.expires_at is not None and t.expires_at <= now:
            expires += " (expired)"
        rows.append(
            (
                str(t.id),
                t.name,
                t.shown,
                t.scopes,
                ",".join(map(str, t.communities)) or "all",
                _when(t.created_at),
                "never" if t.last_used_at is None else _when(t.last_used_at),
                expires,
                "-" if t.revoked_at is None else _when(t.revoked_at),
            )
        )
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = ("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows)
    return "\n".join(line.rstrip() for line in lines)


def _when(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(at))
