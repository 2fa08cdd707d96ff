"""Fonts and text fitting for the cards.

Font rule: every card text uses one scalable font, by default Pillow's bundled Aileron Regular
(`ImageFont.load_default(size)`, needs Pillow built with FreeType; without FreeType Pillow falls
back to its fixed-size bitmap font and the layout still holds). `use_font_file(path)` switches to
a TrueType/OpenType file with wider coverage (for example DejaVuSans.ttf) for the whole process.

Coverage rule (`displayable`): the bundled font has 116 glyphs (ASCII and a little
punctuation), so text is prepared before drawing. Control characters become spaces; a character
the font lacks is replaced by its accent-free base letters when the font has those
(`é` → `e`, fullwidth `Ａ` → `A`); a letter or digit still missing stays and is drawn as the
font's box glyph, so a name in another script keeps its length; other missing characters
(emoji, symbols, joiners) are dropped. Alt text always carries the original text.

Fitting rule (`fit`): text wider than the room is cut at the longest prefix that fits with an
ellipsis appended.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TypeAlias

from PIL import ImageFont

log = logging.getLogger(__name__)

Font: TypeAlias = ImageFont.FreeTypeFont | ImageFont.ImageFont
_MAX_CHARS = 200  # longer input is cut before measuring: no card shows that much
_font_file: Path | None = None
# FreeType faces are not safe to share between threads, and adapters render in worker threads
# (asyncio.to_thread): each thread keeps its own loaded fonts.
_local = threading.local()


def use_font_file(path: str | Path | None) -> None:
    """Use this font file for all card text from now on (None: back to the bundled font)."""
    global _font_file
    if path is not None:
        path = Path(path)
        try:
            ImageFont.truetype(str(path), 12)
        except OSError as exc:
            raise ValueError(f"font file {path} cannot be loaded: {exc}") from exc
    _font_file = path


def font(size: int) -> Font:
    """The card font at `size` px."""
    return _load(_font_file, size)


def _load(font_file: Path | None, size: int) -> Font:
    """`font_file` (None: the bundled font) at `size` px, loaded once per thread."""
    fonts: dict[tuple[Path | None, int], Font] | None = getattr(_local, "fonts", None)
    if fonts is None:
        fonts = _local.fonts = {}
    key = (font_file, size)
    if key not in fonts:
        if font_file is None:
            fonts[key] = ImageFont.load_default(size)
        else:
            fonts[key] = ImageFont.truetype(str(font_file), size)
    return fonts[key]


def _signature(f: Font, text: str) -> tuple[object, ...]:
    mask = f.getmask(text)
    return (f.getbbox(text), mask.size, bytes(mask))


def _covered(ch: str) -> bool:
    """True when the current font has a glyph for `ch`."""
    return _has_glyph(_font_file, ch)


@lru_cache(maxsize=8192)
def _has_glyph(font_file: Path | None, ch: str) -> bool:
    # A missing glyph renders as the font's "notdef" box; U+FFFF is never a real glyph.
    probe = _load(font_file, 16)
    return _signature(probe, ch) != _signature(probe, "\uffff")


def _replacement(ch: str) -> str:
    if _covered(ch):
        return ch
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if base and base != ch and all(_covered(c) for c in base):
        return base
    return ch if unicodedata.category(ch)[0] in "LN" else ""


def displayable(text: str, fallback: str = "?") -> str:
    """`text` prepared for the card font (coverage rule above); `fallback` if nothing is left."""
    out = []
    for ch in unicodedata.normalize("NFC", text[:_MAX_CHARS]):
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch.isspace():
            out.append(" ")
        else:
            out.append(_replacement(ch))
    cleaned = " ".join("".join(out).split())
    return cleaned or fallback


def width(f: Font, text: str) -> float:
    """Advance width of `text` in pixels."""
    return float(f.getlength(text))


def fit(text: str, f: Font, max_width: float) -> str:
    """`text` as is when it fits in `max_width` px, else its longest fitting prefix plus '…'."""
    if width(f, text) <= max_width:
        return text
    ellipsis = "…" if _covered("…") else "..."
    lo, hi = 0, len(text)  # invariant: text[:lo] + ellipsis fits, text[:hi] + ellipsis does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if width(f, text[:mid].rstrip() + ellipsis) <= max_width:
            lo = mid
        else:
            hi = mid
    return text[:lo].rstrip() + ellipsis


def initials(name: str, count: int = 2) -> str:
    """Up to `count` capitals from the first letters of the words of `name` that the font can
    draw ('?' if none)."""
    words = displayable(name, "").split()
    letters = [w[0].upper() for w in words if w[0].isalnum() and _covered(w[0].upper())]
    return "".join(letters[:count]) or "?"


def number(value: int) -> str:
    """An integer with thousands separators: 12345 → '12,345'."""
    return f"{value:,}"


def plain(text: str, limit: int = 100) -> str:
    """`text` for alt text: controls and line breaks folded to spaces, cut to `limit` chars."""
    flat = " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
