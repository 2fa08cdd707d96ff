"""Import Quick, Draw! files as a doodle dataset and a `quickdraw` campaign.

Rule: raw ndjson, simplified ndjson and `.bin` files are read (format detected from the
content, see `storage.quickdraw_formats`). A malformed line or record is reported as
`<file> line <n>: <problem>` (or `record <n> at byte <b>` for `.bin`); with `skip_bad` it is
skipped and the rest imported, without it nothing is stored (chat uploads, like images and
texts; the command line skips, as its help says). A file without a single well-formed
drawing (empty, unreadable, not Quick, Draw!) fails the whole import and nothing is stored.
`limit` caps the drawings in total; `recognized_only` leaves out drawings whose `recognized`
flag is false.

Each drawing becomes an item of kind `doodle`: `candidate` and `truth` are its word, `meta`
keeps `word`, `key_id`, `countrycode`, `timestamp` (as written in ndjson), `recognized` (the
original model flag), `format` and `file`; the strokes are the item's media (Quick, Draw!'s
JSON nesting, `application/vnd.quickdraw.strokes+json`). The item `source` is
`<format>/<word>/<key_id>` (a line or record number when there is no key id), so the same
drawing imported as raw and as simplified stays two items. The campaign's options are the
words found, which solo picks use as distractors.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from pathlib import Path

from bot.core.campaigns import texts
from bot.core.campaigns.importing import CampaignSpec, store_import
from bot.core.kernel import texts as kernel_texts
from bot.core.kernel.errors import InvalidInput, LabelQuestError
from bot.games.registry import get_game
from storage import (
    CampaignRow,
    Drawing,
    ImportResult,
    NewItem,
    Store,
    format_timestamp,
    read_quickdraw,
)

STROKES_MIME = "application/vnd.quickdraw.strokes+json"
MAX_LISTED = 50


class QuickdrawImportFailed(LabelQuestError):
    """Nothing was stored; `problems` says why (one line each)."""

    key = "import_failed"

    def __init__(self, reason: str, problems: list[str], **params: object) -> None:
        listed = "\n".join(f"  {p}" for p in problems[:MAX_LISTED])
        more = len(problems) - MAX_LISTED
        super().__init__(
            (
                kernel_texts.IMPORT_REFUSED_BECAUSE.format(
                    reason=reason.format(**params) if params else reason
                )
                + f"\n{listed}"
                + (kernel_texts.AND_MORE.format(count=more) if more > 0 else "")
            ).rstrip()
        )
        self.problems = problems


async def import_quickdraw(
    store: Store,
    paths: Sequence[Path],
    spec: CampaignSpec,
    *,
    limit: int | None = None,
    recognized_only: bool = False,
    now: float,
    skip_bad: bool = True,
    source: str | None = None,
) -> tuple[CampaignRow, list[str]]:
    """Files (or folders of them) -> a doodle dataset and a campaign. Returns the campaign
    and the problems of the lines that were skipped (see the module docstring). `source`
    names the files as the user knows them (default: the paths)."""
    if limit is not None and limit < 1:
        raise InvalidInput(texts.BAD_LIMIT, limit=limit)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InvalidInput(texts.NO_SUCH_FILE, missing=", ".join(missing))
    result = await asyncio.to_thread(read_quickdraw, list(paths), limit, recognized_only)
    problems = [str(p) for p in result.problems]
    empty = [p.name for p in result.empty_files]
    if empty:
        raise QuickdrawImportFailed(texts.NO_VALID_DRAWING, problems, empty=", ".join(empty))
    if not result.drawings:
        raise QuickdrawImportFailed(texts.NO_DRAWINGS, problems)
    if problems and not skip_bad:
        raise QuickdrawImportFailed(texts.BAD_LINES, problems)
    source = source or ", ".join(str(p) for p in paths)
    return await _store(store, doodle_items(result), spec, source, now), problems


async def import_drawings(
    store: Store, drawings: Sequence[Drawing], spec: CampaignSpec, *, now: float
) -> CampaignRow:
    """Drawings made in code (the demo's, tests') -> a doodle dataset and a campaign."""
    items = []
    for i, d in enumerate(drawings, start=1):
        fmt = "raw" if d.timed else "simplified"
        items.append(doodle_item(d, f"{fmt}/{d.word}/{d.key_id or i}#{i}", fmt, "generated"))
    return await _store(store, items, spec, "generated", now)


async def _store(
    store: Store, items: list[NewItem], spec: CampaignSpec, source: str, now: float
) -> CampaignRow:
    if get_game(spec.game).name != "quickdraw":
        raise InvalidInput(texts.DRAWINGS_NEED_QUICKDRAW, game=spec.game)
    if not items:
        raise InvalidInput(texts.NO_DRAWINGS)
    words = sorted({it.candidate or "" for it in items})
    spec = dataclasses.replace(spec, options=spec.options or words)
    return await store_import(store, "doodle", source, items, spec, now)


def doodle_items(result: ImportResult) -> list[NewItem]:
    """One item per drawing, in file order (see the module docstring)."""
    out: list[NewItem] = []
    sources: set[str] = set()
    drawings = iter(result.drawings)
    for path, counts in result.per_file_counts.items():
        for n in range(1, counts.drawings + 1):
            d = next(drawings)
            fmt = "raw" if d.timed else counts.format.value
            base = f"{fmt}/{d.word}/{d.key_id or f'{path.name}#{n}'}"
            source, k = base, 1
            while source in sources:
                k += 1
                source = f"{base}#{k}"
            sources.add(source)
            out.append(doodle_item(d, source, fmt, path.name))
    return out


def doodle_item(d: Drawing, source: str, fmt: str, file: str) -> NewItem:
    """The item of one drawing (see the module docstring)."""
    meta: dict[str, object] = {
        "word": d.word,
        "key_id": d.key_id,
        "countrycode": d.countrycode,
        "timestamp": None if d.timestamp is None else format_timestamp(d.timestamp),
        "recognized": d.recognized,
        "format": fmt,
        "file": file,
    }
    if d.extra:
        meta["extra"] = d.extra
    return NewItem(
        kind="doodle",
        source=source,
        candidate=d.word,
        truth=d.word,
        meta=meta,
        media=d.strokes_json().encode("utf-8"),
        mime=STROKES_MIME,
    )
