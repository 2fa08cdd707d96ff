"""The side-by-side picture of a compare pair (issue 17, docs/compare.md).

Layout rule: two panels of `PANEL` x `PANEL` pixels on a white sheet with a `GAP` between
them; each image is scaled to fit its panel (aspect kept, never enlarged beyond 2x) and
centred; a band above each panel carries its letter, **L** on the left and **R** on the
right, so a player can say which side they mean. PNG out.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from bot.render.canvas import encode_png
from bot.render.text import font

PANEL, GAP, BAND = 384, 16, 48
_INK, _PAPER, _LINE = (33, 33, 33), (255, 255, 255), (200, 200, 200)


def _panel(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as src:
        img = src.convert("RGB")
    scale = min(PANEL / img.width, PANEL / img.height, 2.0)
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return img.resize(size, Image.Resampling.LANCZOS)


def side_by_side(left: bytes, right: bytes) -> bytes:
    """The PNG of `left` (L) and `right` (R) side by side (module rule)."""
    sheet = Image.new("RGB", (2 * PANEL + 3 * GAP, PANEL + BAND + 2 * GAP), _PAPER)
    draw = ImageDraw.Draw(sheet)
    label = font(36)
    for n, (data, letter) in enumerate(((left, "L"), (right, "R"))):
        x0 = GAP + n * (PANEL + GAP)
        draw.text((x0 + PANEL // 2, GAP + BAND // 2), letter, fill=_INK, font=label, anchor="mm")
        draw.rectangle(
            (x0 - 1, GAP + BAND - 1, x0 + PANEL, GAP + BAND + PANEL), outline=_LINE, width=1
        )
        img = _panel(data)
        sheet.paste(img, (x0 + (PANEL - img.width) // 2, GAP + BAND + (PANEL - img.height) // 2))
    return encode_png(sheet, palette=False)
