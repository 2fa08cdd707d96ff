"""What every dashboard page shares: reading path ids and query values, the 400 and 404
pages, the engine and the viewer's scope, dates, tables and the pager.

Rules:
- a path id or query value that is not what the page expects answers a 400 page whose
  message names the parameter (`id`, `item_id`, `page`, `state`) and what it must be;
- an object the viewer may not see answers the same 404 page as a missing one (the engine
  raises the same `NotFound` for both, and its words name only the id that was asked for);
- every value reaches HTML through `esc`; tables sit in `<div class="table-wrap">` so a
  phone scrolls them sideways instead of the page.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

from aiohttp import web

from bot.core.engine import Engine
from bot.core.insights import Page
from bot.core.kernel.errors import NotFound
from bot.web.app import ENGINE
from bot.web.layout import esc, page
from bot.web.viewer import Viewer, viewer_of

MAX_ID_DIGITS = 18
MAX_PAGE = 1_000_000

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class BadParameter(Exception):
    """A path id or query value the page cannot use: answered with a 400 page."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(f"{name}: {why}")
        self.name = name
        self.why = why


def guarded(handler: Handler) -> Handler:
    """Answer `BadParameter` with a 400 page naming it, `NotFound` with a 404 page."""

    @functools.wraps(handler)
    async def run(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except BadParameter as exc:
            body = f'<p class="error">Bad {esc(exc.name)}: {esc(exc.why)}.</p>'
            return page("Bad request", body, viewer_of(request), status=400)
        except NotFound as exc:
            body = f'<p class="error">Not found: {esc(exc.message)}.</p>'
            body += '<p><a href="/dashboard">Back to the campaigns</a></p>'
            return page("Not found", body, viewer_of(request), status=404)

    return run


def engine_of(request: web.Request) -> Engine:
    return request.app[ENGINE]


def path_id(request: web.Request, name: str) -> int:
    """A positive whole number from the path (400 naming `name` otherwise)."""
    text = request.match_info[name]
    if not text.isascii() or not text.isdigit() or len(text) > MAX_ID_DIGITS or int(text) < 1:
        raise BadParameter(name, f"{name} must be a positive whole number, not {text!r}")
    return int(text)


def page_number(request: web.Request) -> int:
    """`?page=N` (1 when absent; 400 naming `page` when not a whole number from 1)."""
    text = request.query.get("page")
    if text is None:
        return 1
    if not (text.isascii() and text.isdigit() and len(text) <= 7 and 1 <= int(text) <= MAX_PAGE):
        raise BadParameter("page", f"page must be a whole number from 1 to {MAX_PAGE}")
    return int(text)


def when(t: float) -> str:
    """A time as the dashboard shows it: UTC, to the minute."""
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M")


def pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.1%}"


def num(x: float | None, digits: int = 3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], caption: str) -> str:
    """A table of cells that are already HTML (escaped by the caller), in a scroll box."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return (
        f'<div class="table-wrap"><table><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def pager(base: str, at: Page, query: str = "") -> str:
    """Previous / next links around "page N of M" (`query`: other parameters to keep)."""
    if at.count <= 1 and at.number == 1:
        return ""
    keep = f"{query}&" if query else ""
    links = []
    if at.number > 1:
        links.append(
            f'<a rel="prev" href="{esc(base)}?{esc(keep)}page={at.number - 1}">Previous</a>'
        )
    links.append(f"<span>page {at.number} of {at.count}</span>")
    if at.number < at.count:
        links.append(f'<a rel="next" href="{esc(base)}?{esc(keep)}page={at.number + 1}">Next</a>')
    return '<nav class="pager" aria-label="pages">' + " ".join(links) + "</nav>"


def viewer(request: web.Request) -> Viewer:
    return viewer_of(request)
