"""Files uploaded in chat to create a campaign: sorted by kind, checked, unpacked safely.

Rules:
- Kinds by file name: `.zip` an archive of images (with its labels CSV inside, or uploaded
  next to it), `.csv` a labels CSV (texts alone, or the labels of an archive),
  `.ndjson`/`.jsonl`/`.json`/`.bin` a Quick, Draw! file. Anything else is refused, naming
  the file and what is accepted.
- Size: every upload is at most `[campaigns] max_upload_mb`; a platform's own download limit
  (Telegram lets bots fetch 20 MB) is checked by the adapter with `check_size` before
  downloading, with a message that says what to do instead.
- Archives are refused whole (nothing is stored) when an entry is absolute, climbs out with
  `..`, is a link, is encrypted, or looks like a zip bomb: more than `max_files` entries,
  more than `max_unpacked_mb` in total, or an entry that expands more than `MAX_RATIO` times.
  Sizes are counted while unpacking, never trusted from the archive's own header.
  `__MACOSX/` folders and hidden files (`.DS_Store`) are skipped. An entry whose name (or a
  folder in it) is longer than 255 bytes, or a name used both as a file and as a folder
  (`a` and `a/b`), is refused by name.
- Errors name the archive and its entries as the user sent them, never the server folder
  the archive is unpacked into, nor raw exception text.
- Images are looked up relative to the folder that holds the labels CSV inside the archive;
  a CSV uploaded separately names them relative to the archive's root (or its one top-level
  folder, as when a folder is zipped).
"""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bot.core.campaigns import texts
from bot.core.kernel.errors import InvalidInput

MB = 1024 * 1024
MAX_RATIO = 200
CHUNK = 1 << 16
QUICKDRAW_SUFFIXES = (".ndjson", ".jsonl", ".json", ".bin")
ACCEPTED = (
    "a .zip of images with a labels CSV (file,label...), a .csv of texts (text,...), or a "
    "Quick, Draw! .ndjson / .bin file"
)


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file, as bytes."""

    filename: str
    data: bytes


UploadSource = Callable[[], Awaitable[Sequence[Upload]]]
"""Fetches the uploads only when the engine asks (after the permission check)."""


@dataclass(frozen=True, slots=True)
class Limits:
    max_upload_bytes: int
    max_unpacked_bytes: int
    max_files: int


@dataclass(frozen=True, slots=True)
class Sorted:
    """The uploads of one request, by kind."""

    archive: Upload | None
    csv: Upload | None
    quickdraw: tuple[Upload, ...]


def check_size(filename: str, size: int | None, limit: int, where: str = "") -> None:
    """Refuse a file larger than `limit` bytes before it is downloaded."""
    if size is not None and size > limit:
        extra = f" ({where})" if where else ""
        raise InvalidInput(
            texts.UPLOAD_TOO_BIG,
            filename=filename,
            size_mb=size / MB,
            limit_mb=limit / MB,
            extra=extra,
        )


def sort_uploads(uploads: Sequence[Upload], limits: Limits) -> Sorted:
    """Classify the uploads (see the module rules); InvalidInput names what is wrong."""
    archive = csv = None
    quickdraw: list[Upload] = []
    for up in uploads:
        check_size(up.filename, len(up.data), limits.max_upload_bytes)
        suffix = PurePosixPath(up.filename.lower()).suffix
        if suffix == ".zip":
            if archive is not None:
                raise InvalidInput(texts.ONE_ZIP_PER_CAMPAIGN)
            archive = up
        elif suffix == ".csv":
            if csv is not None:
                raise InvalidInput(texts.ONE_CSV_PER_CAMPAIGN)
            csv = up
        elif suffix in QUICKDRAW_SUFFIXES:
            quickdraw.append(up)
        else:
            raise InvalidInput(texts.NOT_IMPORTABLE, filename=up.filename, accepted=ACCEPTED)
    if quickdraw and (archive is not None or csv is not None):
        raise InvalidInput(texts.QUICKDRAW_FILES_ONLY)
    return Sorted(archive, csv, tuple(quickdraw))


def csv_header(data: bytes) -> list[str]:
    """The lower-cased column names of a CSV's first line (empty if unreadable)."""
    first = data.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    return [h.strip().strip('"').lower() for h in first.split(",")]


def unpack(archive: Upload, dest: Path, limits: Limits) -> list[Path]:
    """Unpack `archive` into the empty folder `dest` (see the module rules); returns the
    files written. Blocking: run it in a thread."""
    import io

    try:
        zf = zipfile.ZipFile(io.BytesIO(archive.data))
    except zipfile.BadZipFile:
        raise InvalidInput(texts.ARCHIVE_UNREADABLE, archive=archive.filename) from None
    with zf:
        entries = [i for i in zf.infolist() if not i.is_dir() and not _skipped(i.filename)]
        if len(entries) > limits.max_files:
            raise InvalidInput(
                texts.ARCHIVE_TOO_MANY_FILES,
                archive=archive.filename,
                count=len(entries),
                most=limits.max_files,
            )
        _check_names(archive.filename, entries)
        written: list[Path] = []
        used = 0
        for info in entries:
            target = dest.joinpath(*PurePosixPath(_safe_name(archive.filename, info)).parts)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError:
                raise InvalidInput(
                    texts.ENTRY_DAMAGED, archive=archive.filename, filename=info.filename
                ) from None
            used += _copy(zf, info, target, limits.max_unpacked_bytes - used, archive.filename)
            written.append(target)
    return written


def _check_names(archive: str, entries: Sequence[zipfile.ZipInfo]) -> None:
    """Every name safe, short enough, used once, and never both a file and a folder."""
    files: set[str] = set()
    folders: set[str] = set()
    for info in entries:
        name = _safe_name(archive, info)
        parts = PurePosixPath(name).parts
        if any(len(p.encode("utf-8")) > 255 for p in parts):
            raise InvalidInput(texts.ENTRY_NAME_TOO_LONG, archive=archive, filename=name[:80])
        if name.lower() in files:
            raise InvalidInput(texts.ENTRY_TWICE, archive=archive, name=name)
        files.add(name.lower())
        folders.update("/".join(parts[:i]).lower() for i in range(1, len(parts)))
    both = sorted(files & folders)
    if both:
        raise InvalidInput(texts.ENTRY_FILE_AND_FOLDER, archive=archive, name=both[0])


def _skipped(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return "__MACOSX" in parts or parts[-1].startswith(".")


def _safe_name(archive: str, info: zipfile.ZipInfo) -> str:
    raw = info.filename.replace("\\", "/")
    path = PurePosixPath(raw)
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":") or ".." in path.parts:
        raise InvalidInput(texts.ENTRY_OUTSIDE, archive=archive, filename=info.filename)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise InvalidInput(texts.ENTRY_IS_LINK, archive=archive, filename=info.filename)
    if info.flag_bits & 0x1:
        raise InvalidInput(texts.ENTRY_ENCRYPTED, archive=archive, filename=info.filename)
    return str(path)


def _copy(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int, archive: str
) -> int:
    """Copy one entry, counting real bytes (at most `budget`); returns how many."""
    ratio_cap = max(info.compress_size, 1) * MAX_RATIO
    written = 0
    try:
        with zf.open(info) as src, target.open("wb") as out:
            while chunk := src.read(CHUNK):
                written += len(chunk)
                if written > budget:
                    raise InvalidInput(texts.ARCHIVE_TOO_LARGE_UNPACKED, archive=archive)
                if written > ratio_cap and written > CHUNK:
                    raise InvalidInput(
                        texts.ENTRY_EXPANDS_TOO_MUCH,
                        archive=archive,
                        filename=info.filename,
                        ratio=MAX_RATIO,
                    )
                out.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError):
        raise InvalidInput(texts.ENTRY_DAMAGED, archive=archive, filename=info.filename) from None
    return written


def labels_location(files: Sequence[Path], root: Path, separate_csv: bool) -> tuple[Path, Path]:
    """(images folder, labels CSV path) for an unpacked archive (see the module rules).
    With `separate_csv` the CSV path returned is `root / "labels.csv"` to be written."""
    if separate_csv:
        return _single_top(root), root.parent / "uploaded-labels.csv"
    csvs = [f for f in files if f.suffix.lower() == ".csv"]
    if not csvs:
        raise InvalidInput(texts.ARCHIVE_WITHOUT_LABELS)
    if len(csvs) > 1:
        named = [f for f in csvs if f.name.lower() == "labels.csv"]
        if len(named) != 1:
            names = ", ".join(str(f.relative_to(root)) for f in csvs[:5])
            raise InvalidInput(texts.ARCHIVE_SEVERAL_CSV, names=names)
        csvs = named
    return csvs[0].parent, csvs[0]


def _single_top(root: Path) -> Path:
    children = list(root.iterdir())
    if len(children) == 1 and children[0].is_dir():
        return children[0]
    return root
