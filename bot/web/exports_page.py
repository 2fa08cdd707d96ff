"""The dashboard's exports: `/dashboard/exports` (a form per campaign) and the download
`/dashboard/exports/download?campaign=<id>&...`.

Rules:
- The page lists the campaigns the viewer may see (`can_see`: their community's and the
  shared ones; a bot admin every campaign), each with a form carrying every option of
  `run.py export`: what (`labels` or `answers`), `format` (csv, jsonl; ndjson for a quick-draw
  campaign's doodles), `method` (live or a batch aggregator), `raw_cells` (CSV cells as
  stored) and, for bot admins only, `raw_ids` (player ids instead of pseudonyms).
- The download is made by `engine.downloads.download`, which calls the same
  `bot.core.exports.download.export_file` as `run.py export`: the same bytes for the same
  options. It is sent as an attachment (`Content-Disposition`) with its content type.
- A campaign the viewer may not see answers 404 like a missing one; an unknown parameter or a
  bad value answers 400 naming it; `raw_ids` from a viewer who is not a bot admin answers
  403. It is a GET (nothing changes but the audit log, which records every export).
- Handlers reach the engine only (never `storage`); every value reaches HTML through `esc`.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from bot.aggregation import METHODS
from bot.core.exports.detection import DETECTION_FORMATS
from bot.core.exports.download import FORMATS, LOCATE, NDJSON, QUICKDRAW, ExportOptions
from bot.core.kernel.errors import InvalidInput, LabelQuestError
from bot.web.app import ENGINE
from bot.web.layout import esc, page
from bot.web.review_page import error_page, number
from bot.web.viewer import Viewer, admin_of

PATH = "/dashboard/exports"
DOWNLOAD = PATH + "/download"
WHAT = ("labels", "answers")
FLAGS = ("raw_ids", "raw_cells")
PARAMS = frozenset({"campaign", "what", "format", "method", *FLAGS})
TRUE, FALSE = frozenset({"1", "on", "true", "yes"}), frozenset({"", "0", "off", "false", "no"})


def add_routes(app: web.Application) -> None:
    app.router.add_get(PATH, exports_page)
    app.router.add_get(DOWNLOAD, download)


async def exports_page(request: web.Request) -> web.Response:
    viewer = admin_of(request)
    campaigns = await request.app[ENGINE].downloads.campaigns(viewer.actor)
    if not campaigns:
        return page("Exports", '<p class="muted">No campaign to export yet.</p>', viewer)
    intro = (
        '<p class="muted">The same files as <code>run.py export</code>. Workers are '
        "pseudonymous (the same pseudonym in every export of this installation)"
        + ("; bot admins may ask for player ids." if viewer.is_admin else ".")
        + "</p>"
    )
    forms = "".join(_form(c.id, c.name, c.game, c.status, viewer) for c in campaigns)
    return page("Exports", intro + forms, viewer)


def options_of(query: Mapping[str, str]) -> tuple[int, ExportOptions]:
    """The campaign id and options of a download; InvalidInput naming a bad parameter."""
    unknown = sorted(set(query) - PARAMS)
    if unknown:
        raise InvalidInput("unknown option {names}", names=", ".join(unknown))
    cid = number(query.get("campaign"), "campaign")
    what = query.get("what", "labels")
    if what not in WHAT:
        raise InvalidInput("what must be labels or answers, got {what!r}", what=what)
    flags = {}
    for name in FLAGS:
        raw = query.get(name, "").strip().lower()
        if raw not in TRUE | FALSE:
            raise InvalidInput("{name} must be on or off, got {raw!r}", name=name, raw=raw)
        flags[name] = raw in TRUE
    options = ExportOptions(
        answers=what == "answers",
        fmt=query.get("format", "csv"),
        raw_ids=flags["raw_ids"],
        method=query.get("method", "live"),
        raw_cells=flags["raw_cells"],
        drawings=query.get("drawings", "simplified"),
    )
    return cid, options


async def download(request: web.Request) -> web.Response:
    viewer = admin_of(request)
    try:
        cid, options = options_of(request.query)
        out = await request.app[ENGINE].downloads.download(viewer.actor, cid, options)
    except LabelQuestError as e:
        return error_page(viewer, e, "Exports")
    return web.Response(
        body=out.data,
        content_type=out.content_type,
        charset="utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{out.filename}"',
            "Cache-Control": "no-store",
        },
    )


def _select(name: str, values: list[str]) -> str:
    opts = "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)
    return f'<label>{esc(name)} <select name="{esc(name)}">{opts}</select></label> '


def _check(name: str, text: str) -> str:
    return f'<label><input type="checkbox" name="{name}" value="1"> {esc(text)}</label> '


def _form(cid: int, name: str, game: str, status: str, viewer: Viewer) -> str:
    formats = [f for f in FORMATS if f != NDJSON or game == QUICKDRAW]
    formats = [f for f in formats if f not in DETECTION_FORMATS or game == LOCATE]
    raw_ids = _check("raw_ids", "player ids instead of pseudonyms") if viewer.is_admin else ""
    return (
        f'<section class="export"><h2>{esc(name)}</h2>'
        f'<p class="muted">{esc(game)} · {esc(status)}</p>'
        f'<form method="get" action="{DOWNLOAD}">'
        f'<input type="hidden" name="campaign" value="{cid}">'
        + _select("what", list(WHAT))
        + _select("format", formats)
        + _select("method", ["live", *METHODS])
        + _check("raw_cells", "CSV cells as stored (no spreadsheet guard)")
        + raw_ids
        + '<button type="submit">Download</button></form></section>'
    )
