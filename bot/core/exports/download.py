"""One export file of a campaign, as `run.py export` writes it and the dashboard downloads it.

Rules:
- `export_file(store, campaign, options)` is the one function both call, so a download and
  the command line give the same bytes for the same options (`ExportOptions`, the command
  line's flags: `--answers`, `--format csv|jsonl|ndjson`, `--raw-ids`, `--method`,
  `--raw-cells`, `--drawings`). Labels of a quick-draw campaign carry the doodle columns;
  `ndjson` is the doodles of a quick-draw campaign in Quick, Draw!'s format, player drawings
  (issue 15) in raw or simplified format as `drawings` says (default simplified); hidden
  player drawings are in no export. Options that do not go together
  are refused with `InvalidInput` naming the option (`check`).
- `Downloads` is the dashboard's use case over it, with chat's rule: exports are for bot
  admins only (`/export`); for anyone else every campaign is `NotFound` like a missing one.
  Workers are pseudonymous unless the admin asks for `raw_ids` (players who chose /privacy
  stay pseudonymous even then). `coco` and `labelstudio` are a locate campaign's marks
  (`bot.core.exports.detection`). Every download is audited
  (`export`), as chat exports are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.aggregation import METHODS
from bot.core.exports import detection, texts
from bot.core.exports.batch_labels import LIVE
from bot.core.exports.labels import (
    ANSWER_COLUMNS,
    LABEL_COLUMNS,
    answer_rows,
    doodle_label_rows,
    render,
)
from bot.core.exports.multilabel import labels_with_columns
from bot.core.kernel import scope
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, NotFound
from bot.core.kernel.scope import Actor
from storage import CampaignRow, Store

NDJSON = "ndjson"
FORMATS = ("csv", "jsonl", NDJSON, *detection.DETECTION_FORMATS)
EXPORT_METHODS = (LIVE, *METHODS)
CONTENT_TYPES = {
    "csv": "text/csv",
    "jsonl": "application/jsonl",
    NDJSON: "application/x-ndjson",
    detection.COCO: "application/json",
    detection.LABELSTUDIO: "application/json",
}
QUICKDRAW = "quickdraw"
LOCATE = "locate"
DRAWING_FORMATS = ("simplified", "raw")


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """The command line's export flags (defaults: pseudonymous labels of the live tally as
    spreadsheet-safe CSV)."""

    answers: bool = False
    fmt: str = "csv"
    raw_ids: bool = False
    method: str = LIVE
    raw_cells: bool = False
    drawings: str = "simplified"
    """How `ndjson` writes player drawings: `simplified` (0..255, no time) or `raw`."""


@dataclass(frozen=True, slots=True)
class Export:
    filename: str
    data: bytes
    count: int
    what: str
    """`labels`, `answers` or `doodles`."""
    content_type: str


def check(campaign: CampaignRow, o: ExportOptions) -> None:
    """InvalidInput naming the option when `o` does not fit together or with `campaign`."""
    if o.fmt not in FORMATS:
        raise InvalidInput(texts.UNKNOWN_FORMAT, fmt=o.fmt, formats=", ".join(FORMATS))
    if o.method not in EXPORT_METHODS:
        raise InvalidInput(
            texts.UNKNOWN_METHOD, method=o.method, methods=", ".join(EXPORT_METHODS)
        )
    if o.answers and o.method != LIVE:
        raise InvalidInput(texts.METHOD_NOT_FOR_ANSWERS)
    if o.drawings not in DRAWING_FORMATS:
        raise InvalidInput(
            texts.UNKNOWN_DRAWINGS, value=o.drawings, choices=", ".join(DRAWING_FORMATS)
        )
    if o.fmt == NDJSON and (o.answers or campaign.game != QUICKDRAW):
        raise InvalidInput(texts.NDJSON_ONLY_DOODLES)
    if o.fmt in detection.DETECTION_FORMATS and (o.answers or campaign.game != LOCATE):
        raise InvalidInput(texts.DETECTION_ONLY_LOCATE, fmt=o.fmt)


def slug(name: str) -> str:
    """A file name part from a campaign name: lower case, letters, digits, `-` and `_`."""
    cleaned = re.sub(r"[^a-z0-9_-]+", "-", name.strip().lower()).strip("-")
    return cleaned or "campaign"


async def export_file(store: Store, campaign: CampaignRow, o: ExportOptions) -> Export:
    """The export of `campaign` with options `o` (see the module rules)."""
    check(campaign, o)
    if o.fmt == NDJSON:
        from bot.core.quickdraw.labels import doodles_ndjson

        data, n = await doodles_ndjson(store, campaign, drawings=o.drawings)
        return _named(campaign, "doodles", o.fmt, data, n)
    if o.fmt in detection.DETECTION_FORMATS:
        rows_of = await detection.located(store, campaign)
        make = detection.coco if o.fmt == detection.COCO else detection.labelstudio
        name = f"{slug(campaign.name)}-{o.fmt}.json"
        return Export(name, make(campaign, rows_of), len(rows_of), "images", CONTENT_TYPES[o.fmt])
    if o.answers:
        rows = await answer_rows(store, campaign, raw_ids=o.raw_ids)
        data = render(rows, ANSWER_COLUMNS, o.fmt, raw_cells=o.raw_cells)
        return _named(campaign, "answers", o.fmt, data, len(rows))
    if campaign.game == QUICKDRAW:
        from bot.core.quickdraw.labels import DOODLE_COLUMNS

        rows = await doodle_label_rows(store, campaign, method=o.method)
        columns: tuple[str, ...] = (*LABEL_COLUMNS, *DOODLE_COLUMNS)
    else:
        rows, columns = await labels_with_columns(store, campaign, method=o.method)
    data = render(rows, columns, o.fmt, raw_cells=o.raw_cells)
    return _named(campaign, "labels", o.fmt, data, len(rows))


def _named(campaign: CampaignRow, what: str, fmt: str, data: bytes, n: int) -> Export:
    return Export(f"{slug(campaign.name)}-{what}.{fmt}", data, n, what, CONTENT_TYPES[fmt])


class Downloads:
    """The dashboard's exports: which campaigns a viewer may export, and the file."""

    def __init__(self, k: Kernel) -> None:
        self.k = k

    async def campaigns(self, actor: Actor) -> list[CampaignRow]:
        """The campaigns `actor` may export (every one for a bot admin, none for anyone
        else), by name."""
        if not actor.is_admin:
            return []
        rows = await self.k.store.list_campaigns()
        return sorted(
            (c for c in rows if scope.can_see(actor, c.community_id)), key=lambda c: c.name
        )

    async def download(self, actor: Actor, campaign_id: int, o: ExportOptions) -> Export:
        """The file (see the module rules); audited as `export`."""
        found = await self.k.store.get_campaign(campaign_id)
        if found is None or not actor.is_admin or not scope.can_see(actor, found.community_id):
            raise NotFound(texts.NO_SUCH_CAMPAIGN_ID, campaign_id=campaign_id)
        out = await export_file(self.k.store, found, o)
        detail = f"{out.what} as {o.fmt}: {out.count} rows (dashboard)"
        await self.k.audit(actor.ref, "export", found.name, detail, campaign=found)
        return out
