"""Handwriting-like demo images generated with Pillow: a word or short phrase, truth known.

Each item is a plain English word (`WORDS`, 150) or a two-to-four-word phrase (`PHRASES`, 40)
drawn in a style derived from its seed (`style_for`):

- font: Pillow's own (`ImageFont.load_default(size=...)`) or one of the TrueType/OpenType
  fonts found under /usr/share/fonts (`system_fonts`; none found is fine), at 26-44 px;
- per character: a baseline jitter and a small rotation, uneven spacing;
- a slant (affine shear of the whole line), an ink colour (blue, black, brown, green-grey),
  a paper tint with speckle noise, light ruled lines on some, a slight blur;
- on some items one wrong letter written and struck through before the right one, as a
  writer corrects a slip (the truth is the text without it).

Everything is a function of the seed (Python's `random` and numpy's `default_rng`, never
Pillow's own noise), so the same seed gives the same PNG bytes on the same machine (the font
list is what the machine has).
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from storage.rows import NewItem

_WORD_TEXT = """
apple baker basket beach bread bridge brown butter button candle carpet castle chair
cheese cherry circle cloud coffee copper corner cotton dinner doctor dollar drawer dream
engine evening factory family farmer feather finger flower forest garden ginger glass
golden guitar hammer harbour hollow honey island jacket kettle kitchen ladder lemon letter
library little market meadow mirror morning mountain narrow needle number ocean orange
paper parcel pencil pepper picture pillow planet pocket potato purple puzzle rabbit river
rocket saddle salad silver simple sister spider spoon spring square station stone summer
sunset table thunder ticket tomato travel turtle umbrella valley velvet village violin
wagon walnut water window winter wooden yellow yogurt zebra anchor autumn blanket bottle
branch bubble cabin camera carrot cobweb cookie cradle desert dragon eagle fabric fence
fossil galaxy giant glove goose gravel helmet insect jungle kitten lantern lizard magnet
marble muffin nickel noodle oyster pebble
"""
_PHRASE_TEXT = """
a cup of tea
open the window
the red door
fresh bread
under the bridge
a quiet evening
green apples
turn left here
the last train
keep it simple
warm wool socks
a long walk home
the garden gate
close the door
a piece of cake
over the hill
the morning sun
a blue umbrella
wash your hands
the kitchen table
a paper boat
see you soon
the old stone wall
a glass of water
take the stairs
the river bank
a box of pencils
the top shelf
light the candle
a slow boat
the yellow house
lunch at noon
a cold winter night
the big red barn
milk and honey
back in ten minutes
a small brown dog
under the table
the second floor
salt and pepper
"""
WORDS: tuple[str, ...] = tuple(_WORD_TEXT.split())
PHRASES: tuple[str, ...] = tuple(line for line in _PHRASE_TEXT.splitlines() if line)

INKS = ((25, 45, 130), (20, 20, 28), (90, 55, 30), (60, 75, 70), (40, 70, 160))
NOT_TEXT_FONTS = ("math", "symbol", "emoji", "dingbat", "icon", "awesome")
ALPHABET = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class Style:
    """How one item is written (all drawn from the item's seed)."""

    font: str | None  # a font file path; None is Pillow's default font
    size: int
    ink: tuple[int, int, int]
    paper: tuple[int, int, int]
    jitter: float  # largest baseline offset of a character, px
    tilt: float  # largest rotation of a character, degrees
    slant: float  # shear factor of the line (x += slant * (height/2 - y))
    noise: float  # standard deviation of the paper's grain, 0-255 scale
    blur: float  # Gaussian blur radius, px
    ruled: bool  # light ruled lines behind the text
    strike: bool  # one wrong letter struck through before the right one


@lru_cache(maxsize=1)
def system_fonts(root: str = "/usr/share/fonts") -> tuple[str, ...]:
    """TrueType/OpenType text fonts under `root`, sorted (empty when there are none)."""
    base = Path(root)
    if not base.is_dir():
        return ()
    found = (p for p in base.rglob("*") if p.suffix.lower() in (".ttf", ".otf"))
    return tuple(
        sorted(str(p) for p in found if not any(bad in p.name.lower() for bad in NOT_TEXT_FONTS))
    )


def style_for(seed: int | str, fonts: tuple[str, ...] | None = None) -> Style:
    """The writing style of one item, a function of `seed` (and the fonts on offer)."""
    rng = random.Random(f"handwriting-style:{seed}")
    choices: list[str | None] = [None, *(system_fonts() if fonts is None else fonts)]
    return Style(
        font=rng.choice(choices),
        size=rng.randint(26, 44),
        ink=rng.choice(INKS),
        paper=(rng.randint(236, 252), rng.randint(232, 248), rng.randint(215, 240)),
        jitter=rng.uniform(0.5, 4.0),
        tilt=rng.uniform(0.0, 9.0),
        slant=rng.uniform(-0.1, 0.35),
        noise=rng.uniform(2.0, 9.0),
        blur=rng.choice((0.0, 0.4, 0.7, 1.0)),
        ruled=rng.random() < 0.4,
        strike=rng.random() < 0.2,
    )


def _font(style: Style) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if style.font is not None:
        try:
            return ImageFont.truetype(style.font, style.size)
        except OSError:  # unreadable font file: fall back to Pillow's own
            pass
    return ImageFont.load_default(size=style.size)


def _glyph(
    ch: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, size: int, angle: float
) -> Image.Image:
    """An "L" mask of one character, rotated by `angle` degrees about its centre."""
    mask = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(mask).text((size // 2, size // 2), ch, font=font, fill=255)
    return mask.rotate(angle, resample=Image.Resampling.BICUBIC)


def draw_text(text: str, style: Style, seed: int | str) -> bytes:
    """A PNG of `text` written in `style`; character jitter and noise drawn from `seed`."""
    rng = random.Random(f"handwriting-ink:{seed}")
    font = _font(style)
    size = style.size
    strike_at = _strike_position(text, rng) if style.strike else None
    width = int(
        sum(font.getlength(c) for c in text) * 1.25 + size * 3 + (size if strike_at else 0)
    )
    height = int(size * 2.6)
    mask = Image.new("L", (width, height), 0)
    pen = ImageDraw.Draw(mask)
    x, baseline = float(size), size * 0.55
    for i, ch in enumerate(text):
        if i == strike_at:
            wrong = rng.choice([c for c in ALPHABET if c != ch.lower()])
            start = x
            x = _write(mask, wrong, font, style, x, baseline, rng)
            y = baseline + size * rng.uniform(0.5, 0.65)
            pen.line((start - 3, y + 3, x + 2, y - 3), fill=255, width=max(2, size // 12))
            x += size * 0.2
        if ch == " ":
            x += font.getlength(" ") * rng.uniform(1.0, 1.8)
            continue
        x = _write(mask, ch, font, style, x, baseline, rng)
    return _finish(mask, style, seed, int(x + size))


def _strike_position(text: str, rng: random.Random) -> int | None:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    return rng.choice(letters) if letters else None


def _write(
    mask: Image.Image,
    ch: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    style: Style,
    x: float,
    baseline: float,
    rng: random.Random,
) -> float:
    """Draw one jittered, rotated character at `x`; return where the next one starts."""
    glyph = _glyph(ch, font, style.size, rng.uniform(-style.tilt, style.tilt))
    dy = rng.uniform(-style.jitter, style.jitter)
    origin = (int(x - style.size // 2), int(baseline + dy - style.size // 2))
    mask.paste(255, origin, glyph)
    return x + font.getlength(ch) * rng.uniform(0.92, 1.12)


def _finish(mask: Image.Image, style: Style, seed: int | str, right: int) -> bytes:
    """Slant the ink, lay it on noisy (perhaps ruled) paper, blur, crop, encode as PNG."""
    width, height = mask.size
    shift = style.slant * height / 2
    mask = mask.transform(
        mask.size,
        Image.Transform.AFFINE,
        (1.0, style.slant, -shift, 0.0, 1.0, 0.0),
        resample=Image.Resampling.BICUBIC,
    )
    page = Image.new("RGB", (width, height), style.paper)
    if style.ruled:
        rule = ImageDraw.Draw(page)
        for y in (int(height * 0.78), int(height * 0.78) - style.size * 2):
            rule.line((0, y, width, y), fill=(178, 200, 226), width=1)
    page.paste(style.ink, (0, 0), mask)
    rng = np.random.default_rng(_int_seed(seed))
    grain = rng.normal(0.0, style.noise, (height, width, 1))
    pixels = np.clip(np.asarray(page, dtype=np.float64) + grain, 0, 255).astype(np.uint8)
    page = Image.fromarray(pixels, "RGB")
    if style.blur:
        page = page.filter(ImageFilter.GaussianBlur(style.blur))
    page = page.crop((0, 0, min(width, max(right, style.size * 3)), height))
    buf = io.BytesIO()
    page.save(buf, "PNG")
    return buf.getvalue()


def _int_seed(seed: int | str) -> int:
    return int.from_bytes(str(seed).encode(), "big") % (2**63)


def handwriting_items(
    n: int, seed: int, gold_share: float = 0.08, phrase_share: float = 0.3
) -> list[NewItem]:
    """`n` transcription items: about `phrase_share` phrases, the rest single words, each in
    its own style; about `gold_share` of them gold (the text, with an explanation)."""
    rng = random.Random(f"handwriting-{seed}")
    phrases = round(n * phrase_share)
    texts = _sample(PHRASES, phrases, rng) + _sample(WORDS, n - phrases, rng)
    rng.shuffle(texts)
    fonts = system_fonts()
    items = []
    for i, text in enumerate(texts):
        item_seed = f"{seed}:{i}"
        style = style_for(item_seed, fonts)
        gold = text if rng.random() < gold_share else None
        items.append(
            NewItem(
                kind="image",
                source=f"handwriting-{i:05d}.png",
                gold=gold,
                gold_explanation=f"It says: {text}" if gold else None,
                truth=text,
                meta={
                    "words": len(text.split()),
                    "font": Path(style.font).stem if style.font else "pillow-default",
                    "struck_letter": style.strike,
                },
                media=draw_text(text, style, item_seed),
                mime="image/png",
            )
        )
    return items


def _sample(pool: tuple[str, ...], k: int, rng: random.Random) -> list[str]:
    """`k` texts from `pool`, each used once before any repeats."""
    out: list[str] = []
    while len(out) < k:
        out.extend(rng.sample(pool, min(len(pool), k - len(out))))
    return out


def contact_sheet(items: list[NewItem], columns: int = 3) -> Image.Image:
    """The items' images on one sheet (for eyeballing styles; not used by the bot)."""
    images = [Image.open(io.BytesIO(item.media or b"")) for item in items]
    cell_w = max(im.width for im in images)
    cell_h = max(im.height for im in images)
    rows = math.ceil(len(images) / columns)
    sheet = Image.new("RGB", (cell_w * columns, cell_h * rows), "white")
    for k, im in enumerate(images):
        sheet.paste(im, ((k % columns) * cell_w, (k // columns) * cell_h))
    return sheet
