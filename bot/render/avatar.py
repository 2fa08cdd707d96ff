"""Avatars for the rank card: untrusted image bytes to a round, anti-aliased picture.

Rule: bytes over 8 MB, images over 16 megapixels and anything Pillow cannot decode give None,
and the card draws initials instead; the reason is logged at WARNING, because a bad avatar is
the user's upload, not our fault. Animated images use their first frame.
"""

from __future__ import annotations

import io
import logging
import warnings

from PIL import Image, ImageChops, ImageDraw, ImageOps

log = logging.getLogger(__name__)

MAX_AVATAR_BYTES = 8 * 1024 * 1024
MAX_AVATAR_PIXELS = 4096 * 4096
_MASK_SCALE = 4


def round_avatar(data: bytes | None, diameter: int) -> Image.Image | None:
    """A `diameter`-px RGBA disc cut from the middle of the image in `data`, or None."""
    if not data:
        return None
    if len(data) > MAX_AVATAR_BYTES:
        log.warning("avatar ignored: %d bytes is over the %d limit", len(data), MAX_AVATAR_BYTES)
        return None
    try:
        picture = _decode(data, diameter)
    except Exception as exc:  # any decoder error on untrusted bytes means "no avatar"
        log.warning("avatar ignored: cannot decode it (%s: %s)", type(exc).__name__, exc)
        return None
    picture.putalpha(_disc_mask(diameter, picture.getchannel("A")))
    return picture


def _decode(data: bytes, diameter: int) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_AVATAR_PIXELS:
                raise ValueError(f"{image.width}x{image.height} is too large")
            image.draft("RGB", (diameter * 2, diameter * 2))  # JPEG: decode at reduced scale
            rgba = image.convert("RGBA")
    return ImageOps.fit(rgba, (diameter, diameter), Image.Resampling.LANCZOS)


def _disc_mask(diameter: int, alpha: Image.Image) -> Image.Image:
    big = diameter * _MASK_SCALE
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, big - 1, big - 1), fill=255)
    return ImageChops.multiply(alpha, mask.reduce(_MASK_SCALE))
