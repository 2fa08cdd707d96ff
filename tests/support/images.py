"""Images for tests: small PNGs to upload, and helpers that open produced bytes with Pillow and
look at the pixels."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence

from PIL import Image

from storage.doodles import Stroke

INK_LEVEL = 128  # a grayscale pixel darker than this counts as ink


def png_bytes(color: str = "red", size: int = 48) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (size, size), color).save(buf, "PNG")
    return buf.getvalue()


def open_image(data: bytes, fmt: str) -> Image.Image:
    """Decode `data`, checking its format."""
    image = Image.open(io.BytesIO(data))
    assert image.format == fmt, f"expected {fmt}, got {image.format}"
    return image


def gray(image: Image.Image) -> Image.Image:
    return image.convert("L")


def ink(image: Image.Image) -> int:
    """Number of ink pixels in a (black on white) doodle image or frame."""
    return sum(gray(image).histogram()[:INK_LEVEL])


def levels(image: Image.Image) -> set[int]:
    """The distinct gray values of an image (anti-aliased ink has many)."""
    return {value for value, count in enumerate(gray(image).histogram()) if count}


def ink_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """Bounding box of the ink pixels (left, top, right, bottom exclusive)."""
    mask = gray(image).point(lambda v: 255 if v < INK_LEVEL else 0)
    return mask.getbbox()


def frame_count(image: Image.Image) -> int:
    """Frames in an opened image (1 for a still)."""
    return int(getattr(image, "n_frames", 1))


def gif_frames(image: Image.Image) -> Iterator[tuple[Image.Image, int]]:
    """Every frame of an opened GIF, composited, with its duration in ms."""
    for index in range(frame_count(image)):
        image.seek(index)
        yield gray(image.copy()), int(image.info.get("duration", 0))


def rgb_at(image: Image.Image, xy: tuple[int, int]) -> tuple[int, int, int]:
    pixel = image.convert("RGB").getpixel(xy)
    assert isinstance(pixel, tuple)
    return (int(pixel[0]), int(pixel[1]), int(pixel[2]))


def close(a: Sequence[int], b: Sequence[int], tolerance: int = 24) -> bool:
    """Colours within `tolerance` per channel (palette encoding shifts colours a little)."""
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def stroke(points: Sequence[tuple[float, float]], times: Sequence[int] | None = None) -> Stroke:
    """A stroke from (x, y) pairs and optional per-point ms."""
    return Stroke(
        tuple(float(p[0]) for p in points),
        tuple(float(p[1]) for p in points),
        None if times is None else tuple(times),
    )


def line(
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    steps: int = 10,
    t0: int | None = None,
    ms: int = 500,
) -> Stroke:
    """A straight stroke of `steps + 1` points; timed from `t0` over `ms` when `t0` is given."""
    pts = [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(steps + 1)]
    times = None if t0 is None else [t0 + ms * i // steps for i in range(steps + 1)]
    return stroke(pts, times)
