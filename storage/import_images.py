"""Reading a labels CSV and the images it names, validated line by line.

CSV columns (header required, any order): `file` (or `text` for text items), `label`, and
optionally `gold`, `explanation`, `truth`. Every problem is reported with its 1-based line
number: a malformed line (wrong number of fields), a missing or empty required field, a
duplicate row, a file that is missing, outside the folder, unreadable or not an image.

A field holding a NUL or another control character is refused (PostgreSQL cannot store NUL);
a file that is not UTF-8 is refused naming the encoding it looks like. Problems name the
file as the user knows it (`display`), never a server path.

Images are checked from their header before anything is decoded: only PNG, JPEG, WEBP and
GIF are accepted (by content, not by file name), an image may have at most
`ImageLimits.max_pixels` pixels and one import at most `max_total_pixels` in total. Then
they are decoded fully (a truncated file is caught), turned upright by their EXIF
orientation, shrunk to at most `MAX_SIDE` pixels, and re-encoded without any metadata (EXIF,
GPS, comments): PNG when the image has transparency or few colours, else JPEG.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from storage.text_checks import control_problem, not_utf8_message

MAX_SIDE = 1600
MAX_IMAGE_BYTES = 20 * 1024 * 1024
OPTIONAL = ("gold", "explanation", "truth")
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
_MAGIC = (
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"8BPS", "PSD"),
    (b"%PDF", "PDF"),
)


@dataclass(frozen=True, slots=True)
class ImageLimits:
    """Caps of one image import, checked from each image's header before it is decoded."""

    max_pixels: int = 50_000_000
    max_total_pixels: int = 2_000_000_000
    max_problems: int = 20


@dataclass(slots=True)
class PixelBudget:
    """The pixels one import may still decode (see `ImageLimits.max_total_pixels`)."""

    left: int


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True, slots=True)
class LabelRow:
    line: int
    file: str | None
    text: str | None
    label: str
    gold: str | None
    explanation: str | None
    truth: str | None


def read_labels_csv(
    path: Path, *, text_items: bool = False, display: str | None = None
) -> tuple[list[LabelRow], list[Problem]]:
    """Parse the labels CSV; returns the good rows and the problems (never raises for bad
    content). `display` is the file's name as the user knows it (default: the path)."""
    key = "text" if text_items else "file"
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError:
        return [], [Problem(0, f"{name}: cannot read the labels file")]
    wrong = not_utf8_message(name, raw)
    if wrong is not None:
        return [], [Problem(0, wrong)]
    content = raw.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [Problem(1, "the file is empty (expected a header such as file,label)")]
    except csv.Error as exc:
        return [], [Problem(1, f"malformed header: {exc}")]
    need = [key] if text_items else [key, "label"]
    missing = [c for c in need if c not in header]
    if missing:
        return [], [
            Problem(
                1,
                f"header must have the column(s) {', '.join(missing)}; "
                f"found: {', '.join(header) or 'nothing'}",
            )
        ]
    return _rows(reader, header, key, text_items)


def _rows(
    reader: Iterable[list[str]], header: list[str], key: str, text_items: bool
) -> tuple[list[LabelRow], list[Problem]]:
    rows: list[LabelRow] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    col = {name: header.index(name) for name in header}
    line = 1
    iterator = iter(reader)
    while True:
        try:
            fields = next(iterator)
        except StopIteration:
            break
        except csv.Error as exc:
            line += 1
            problems.append(Problem(line, f"malformed CSV line ({exc})"))
            continue
        line += 1
        if not fields or all(not f.strip() for f in fields):
            continue
        wrong = _fields_problem(fields, header)
        if wrong is not None:
            problems.append(Problem(line, wrong))
            continue

        def get(name: str, fields: list[str] = fields) -> str | None:
            i = col.get(name)
            value = fields[i].strip() if i is not None else ""
            return value or None

        ident = get(key)
        label = get("label") or ""
        if ident is None:
            problems.append(Problem(line, f"the {key} field is empty"))
            continue
        if not text_items and not label:
            problems.append(Problem(line, "the label field is empty"))
            continue
        if ident in seen:
            problems.append(Problem(line, f"duplicate of line {seen[ident]} ({key} {ident!r})"))
            continue
        seen[ident] = line
        rows.append(
            LabelRow(
                line,
                None if text_items else ident,
                ident if text_items else None,
                label,
                get("gold"),
                get("explanation"),
                get("truth"),
            )
        )
    if not rows and not problems:
        problems.append(Problem(0, "no rows after the header"))
    return rows, problems


def _fields_problem(fields: list[str], header: list[str]) -> str | None:
    """Why a CSV line's fields cannot be used (count, control characters), or None."""
    if len(fields) != len(header):
        return f"expected {len(header)} fields ({', '.join(header)}), got {len(fields)}"
    return next((p for f in fields if (p := control_problem(f)) is not None), None)


def load_image(
    folder: Path,
    name: str,
    limits: ImageLimits | None = None,
    budget: PixelBudget | None = None,
) -> tuple[bytes, str]:
    """Read, check and re-encode one image; raises ValueError with a readable reason."""
    base = folder.resolve()
    path = (base / name).resolve()
    if base != path and base not in path.parents:
        raise ValueError(f"{name!r} is outside the image folder")
    if not path.is_file():
        raise ValueError(f"file not found: {name}")
    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise ValueError(f"{name} is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    return reencode(path.read_bytes(), name, limits, budget)


def reencode(
    data: bytes,
    name: str = "image",
    limits: ImageLimits | None = None,
    budget: PixelBudget | None = None,
) -> tuple[bytes, str]:
    """Check the header (format, pixels: see the module rules), then decode fully, orient,
    shrink and re-encode `data` without metadata: (bytes, mime)."""
    limits = limits or ImageLimits()
    try:
        with warnings.catch_warnings():
            # our own caps (below) are checked from the header instead of Pillow's warning;
            # Pillow still raises DecompressionBombError past twice MAX_IMAGE_PIXELS
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as opened:
                _check_header(opened, name, limits, budget)
                opened.load()
                return _encode(ImageOps.exif_transpose(opened))
    except UnidentifiedImageError:
        raise ValueError(_unaccepted(data, name)) from None
    except Image.DecompressionBombError:
        raise ValueError(f"{name} has too many pixels; {_at_most(limits)}") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        if isinstance(exc, Refused):
            raise
        raise ValueError(f"{name} is a corrupt or truncated image") from None


def image_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels of an image this module re-encoded (read from its header),
    recorded as the item's `meta` so games that mark the image (locate) can check marks."""
    with Image.open(io.BytesIO(data)) as img:
        return int(img.size[0]), int(img.size[1])


class Refused(ValueError):
    """A header check failed: its text is the reason."""


class OverBudget(Refused):
    """The images of one import have more pixels than `ImageLimits.max_total_pixels`."""


def _at_most(limits: ImageLimits) -> str:
    return f"an image may have at most {limits.max_pixels / 1e6:g} million pixels"


def _check_header(
    img: Image.Image, name: str, limits: ImageLimits, budget: PixelBudget | None
) -> None:
    width, height = img.size
    pixels = width * height
    if pixels > limits.max_pixels:
        raise Refused(f"{name} is {width} x {height} pixels; {_at_most(limits)}")
    if budget is not None:
        if pixels > budget.left:
            raise OverBudget(
                f"{name}: the images of one upload may have at most "
                f"{limits.max_total_pixels / 1e6:g} million pixels in total; split the dataset"
            )
        budget.left -= pixels


def _unaccepted(data: bytes, name: str) -> str:
    accepted = ", ".join(FORMATS)
    for magic, fmt in _MAGIC:
        if data.startswith(magic):
            return f"{name} is a {fmt} image; accepted formats: {accepted}"
    return f"{name} is not a readable image (accepted formats: {accepted})"


def _encode(img: Image.Image) -> tuple[bytes, str]:
    if max(img.size) > MAX_SIDE:
        img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    has_alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
    buf = io.BytesIO()
    colours = img.getcolors(256) if img.mode in ("P", "L", "RGB", "RGBA") else None
    if has_alpha or colours is not None:
        out = img.convert("RGBA" if has_alpha else "RGB")
        out.save(buf, "PNG", optimize=True)
        return buf.getvalue(), "image/png"
    img.convert("RGB").save(buf, "JPEG", quality=88, optimize=True)
    return buf.getvalue(), "image/jpeg"
