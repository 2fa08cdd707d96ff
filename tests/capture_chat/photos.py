"""Photos a test player sends, and what a stored photo must (not) carry.

- `gps_jpeg`: a JPEG from Pillow whose EXIF holds a camera maker and a GPS position.
- `astronaut_jpeg`: scikit-image's `data.astronaut()` (NASA, public domain), a face photo.
  OpenCV's frontal-face Haar cascade finds the face at x 177-272, y 66-161; `FACE` is that box
  and `BACKGROUND` a region far below it (the blur's margin never reaches it).
- `metadata_of` lists what metadata a stored JPEG still has (it must be nothing);
  `mean_change` measures how much a region changed between two pictures (0-255 per channel).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

GPS_IFD = 0x8825
MAKE = 0x010F
FACE = (177, 66, 272, 161)  # left, top, right, bottom
BACKGROUND = (0, 330, 512, 512)
# A re-encoded JPEG moves pixels by a few levels; a blurred face by tens.
REENCODED_AT_MOST = 6.0
BLURRED_AT_LEAST = 12.0


def gps_jpeg(size: tuple[int, int] = (640, 480)) -> bytes:
    """A textured JPEG with EXIF: camera maker and a GPS position (Paris)."""
    width, height = size
    x = np.linspace(0, 255, width, dtype=np.float32)
    y = np.linspace(0, 255, height, dtype=np.float32)
    red = np.add.outer(y * 0.5, x * 0.5)
    pixels = np.stack([red, np.tile(x, (height, 1)), np.tile(y[:, None], (1, width))], axis=2)
    image = Image.fromarray(pixels.astype(np.uint8), "RGB")
    exif = Image.Exif()
    exif[MAKE] = "FakeCam"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92, exif=exif)
    return out.getvalue()


def astronaut_jpeg() -> bytes:
    from skimage import data

    out = io.BytesIO()
    Image.fromarray(data.astronaut()).save(out, format="JPEG", quality=95)
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(GPS_IFD))


def metadata_of(data: bytes) -> dict[str, object]:
    """What metadata the picture carries: EXIF tags, and any info block (XMP, ICC, comment)."""
    with Image.open(io.BytesIO(data)) as image:
        found: dict[str, object] = {
            k: v
            for k, v in image.info.items()
            if k
            not in (
                "jfif",
                "jfif_version",
                "jfif_unit",
                "jfif_density",
                "dpi",
                "progressive",
                "progression",
            )
        }
        exif = image.getexif()
        if exif:
            found["exif"] = dict(exif)
        return found


def mean_change(before: bytes, after: bytes, box: tuple[int, int, int, int]) -> float:
    """Mean absolute difference of the two pictures inside `box` (same size required)."""
    with Image.open(io.BytesIO(before)) as a, Image.open(io.BytesIO(after)) as b:
        assert a.size == b.size, f"sizes differ: {a.size} vs {b.size}"
        left = np.asarray(a.convert("RGB").crop(box), dtype=np.float32)
        right = np.asarray(b.convert("RGB").crop(box), dtype=np.float32)
    return float(np.abs(left - right).mean())


def image_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size
