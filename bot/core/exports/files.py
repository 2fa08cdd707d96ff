"""An export made to fit a platform's upload limit.

Rule: the file goes as it is when it fits `limit` bytes; otherwise it is compressed into a
.zip (deflate, level 9), which text exports shrink several times; if even that is too large,
the rows are split into parts, each a complete file with the header (CSV) and each zipped
below the limit, named `<name>.part1of3.zip` and so on. Splitting never cuts a row.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.exports import texts
from bot.core.kernel.errors import InvalidInput

Render = Callable[[Sequence[dict[str, Any]]], bytes]
MIN_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class ExportFile:
    filename: str
    data: bytes


def zipped(filename: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(filename, data)
    return buf.getvalue()


def fit(
    filename: str, rows: Sequence[dict[str, Any]], render: Render, limit: int
) -> list[ExportFile]:
    """The files to send (see the module rule). Blocking for big exports: use a thread."""
    limit = max(limit, MIN_LIMIT)
    data = render(rows)
    if len(data) <= limit:
        return [ExportFile(filename, data)]
    packed = zipped(filename, data)
    if len(packed) <= limit:
        return [ExportFile(filename + ".zip", packed)]
    parts = max(2, -(-len(packed) // limit) + 1)
    while parts <= max(2, len(rows)):
        files = _split(filename, rows, render, parts)
        if all(len(f.data) <= limit for f in files):
            return files
        parts = parts * 2
    raise InvalidInput(texts.FILE_TOO_BIG_TO_SPLIT, filename=filename, limit_kb=limit // 1024)


def _split(
    filename: str, rows: Sequence[dict[str, Any]], render: Render, parts: int
) -> list[ExportFile]:
    size = -(-len(rows) // parts)
    chunks = [rows[i : i + size] for i in range(0, len(rows), size)]
    stem, dot, ext = filename.rpartition(".")
    out = []
    for n, chunk in enumerate(chunks, start=1):
        name = f"{stem}.part{n}of{len(chunks)}{dot}{ext}" if dot else f"{filename}.part{n}"
        out.append(ExportFile(name + ".zip", zipped(name, render(chunk))))
    return out
