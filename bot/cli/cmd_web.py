"""`run.py web`: the web side alone (no bots, no scheduler) until Ctrl-C or SIGTERM.

The store, the engine and the web adapter open as in `run.py run` with `[web] enabled`
forced on; bot tokens in the environment are ignored, and the start-up rewards pass is left
to a process with bots (`App(bots=False)`). The log line
`web side served at http://HOST:PORT` names where it listens. A port that cannot be bound
is one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from bot.config import Settings


def add_parsers(sub: Any, common: argparse.ArgumentParser, campaign: Any) -> None:
    """`run.py web`."""
    sub.add_parser(
        "web",
        parents=[common],
        help="serve the web side alone ([web] listen and port; docs/web.md)",
        description="Serve the web side (health, metrics) alone: no bots, no scheduler, "
        "until Ctrl-C or SIGTERM.",
    )


async def dispatch(args: argparse.Namespace, settings: Settings) -> int | None:
    if args.command != "web":
        return None
    from bot.app import App

    web = dataclasses.replace(settings.web, enabled=True)
    settings = dataclasses.replace(settings, web=web)
    try:
        await App(settings, scheduler=False, bots=False).run_forever(require_platform=False)
    except OSError as exc:  # the port is taken, the address is not local
        reason = exc.strerror or type(exc).__name__
        print(
            f"error: cannot serve the web side on {web.listen}:{web.port}: {reason}",
            file=sys.stderr,
        )
        return 1
    return 0
