"""`run.py web`: the web side alone (no bots, no scheduler) until Ctrl-C or SIGTERM.

The store, the engine and the web adapter open as in `run.py run` with `[web] enabled`
forced on; bot tokens in the environment are ignored, and the start-up rewards pass is left
to a process with bots (`App(bots=False)`). The log line
`web side served at http://HOST:PORT` names where it listens. A port that cannot be bound
is one line on stderr and exit code 1.

`--login-link PLATFORM:ID` (a bot admin from `[admins]`, e.g. `telegram:123`) prints a
one-time sign-in link for that admin once serving (`[web] public_url`, or the served address
when it is unset), then serves as usual; anyone not in `[admins]` is refused with one line on
stderr and exit code 2, before anything is served. While `[admins]` names nobody (a fresh
install, the demo), any `PLATFORM:ID` or bare `ID` gets an operator link: a session with
admin rights, named `operator ID` (`bot.core.access.signin`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import logging
import signal
import sys
from typing import TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)


def add_parsers(sub: Any, common: argparse.ArgumentParser, campaign: Any) -> None:
    """`run.py web [--login-link PLATFORM:ID]`."""
    p = sub.add_parser(
        "web",
        parents=[common],
        help="serve the web side alone ([web] listen and port; docs/web.md)",
        description="Serve the web side (dashboard, API, health, metrics) alone: no bots, no "
        "scheduler, until Ctrl-C or SIGTERM.",
    )
    p.add_argument(
        "--login-link",
        metavar="PLATFORM:ID",
        help="print a one-time dashboard sign-in link for this bot admin (as listed in "
        "[admins], e.g. telegram:123456; any id while [admins] is empty), then serve",
    )


def _admin_problem(settings: Settings, person: str) -> str | None:
    """Why `person` cannot get a link (None: a bot admin named in `[admins]`, or anyone
    while `[admins]` names nobody)."""
    from bot.core.access import texts
    from bot.core.kernel.errors import InvalidInput

    try:
        from bot.core.access.signin import parse_person

        platform, external_id = parse_person(person)
    except InvalidInput as exc:
        return exc.message
    if not (settings.admins.discord or settings.admins.telegram):
        return None  # an operator link (no admin is configured yet)
    if external_id not in getattr(settings.admins, platform, []):
        return texts.NOT_AN_ADMIN.format(who=f"{platform}:{external_id}")
    return None


async def _serve(app: App, person: str | None) -> None:
    """`App.run_forever` with the sign-in link printed once serving."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows
            loop.add_signal_handler(sig, stop.set)
    await app.start(require_platform=False)
    log.info("LabelQuest is running; Ctrl-C or SIGTERM stops it")
    try:
        if person is not None:
            assert app.engine is not None and app.web is not None
            web = app.settings.web
            url = await app.engine.signin.admin_link(
                person, base_url=web.public_url or app.web.url, minutes=web.login_link_minutes
            )
            admins = app.settings.admins
            who = person if admins.discord or admins.telegram else f"operator {person}"
            note = "" if who == person else " (no [admins] configured: admin rights)"
            print(
                f"Dashboard sign-in link for {who}{note}, works once, for "
                f"{web.login_link_minutes} minutes:\n{url}",
                flush=True,
            )
        await stop.wait()
    finally:
        log.info("shutting down")
        await app.stop()


async def dispatch(args: argparse.Namespace, settings: Settings) -> int | None:
    if args.command != "web":
        return None
    from bot.app import App

    person = args.login_link
    if person is not None and (problem := _admin_problem(settings, person)) is not None:
        print(f"error: --login-link: {problem}", file=sys.stderr)
        return 2
    web = dataclasses.replace(settings.web, enabled=True)
    settings = dataclasses.replace(settings, web=web)
    try:
        await _serve(App(settings, scheduler=False, bots=False), person)
    except OSError as exc:  # the port is taken, the address is not local
        reason = exc.strerror or type(exc).__name__
        print(
            f"error: cannot serve the web side on {web.listen}:{web.port}: {reason}",
            file=sys.stderr,
        )
        return 1
    return 0
