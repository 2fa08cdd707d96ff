"""Photo cleaning benchmark: what one contributed photo costs before it is stored.

    python bench/photos.py [--sizes 640x480,2048x1536,4000x3000] [--repeat 5] [--json]

For each size, a synthetic camera JPEG (a textured scene with EXIF, GPS included) is cleaned
by `bot.render.photo_clean.clean_photo` (decode, orientation, downscale to 2048, face
detection with OpenCV's Haar cascades, blur, metadata-free re-encode) `--repeat` times; the
first call per process also loads the cascades and is reported apart (`first_ms`). When
scikit-image is installed, its astronaut photo (one face) is measured too. Printed per input:
p50 and max milliseconds, the stored bytes and the faces found. One photo is cleaned per
worker thread (`asyncio.to_thread`), so these milliseconds are the time a player waits for
"stored" on an idle machine, and the event loop is not blocked meanwhile.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import time
from typing import Any

from PIL import Image, ImageDraw, ImageFilter

from bot.render.photo_clean import PhotoLimits, clean_photo


def camera_jpeg(width: int, height: int) -> bytes:
    """A textured scene saved as a JPEG with EXIF (camera model and GPS), like a phone's."""
    img = Image.new("RGB", (width, height), (200, 190, 170))
    draw = ImageDraw.Draw(img)
    step = max(8, width // 60)
    for x in range(0, width, step):
        draw.line([(x, 0), (x + height // 3, height)], fill=(120, 100, 80), width=2)
    draw.rectangle([width // 3, height // 3, width // 2, height * 3 // 4], fill=(90, 60, 30))
    img = img.filter(ImageFilter.GaussianBlur(1))
    exif = Image.Exif()
    exif[0x0110] = "Bench Phone"  # Model
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}  # GPS
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def astronaut_jpeg() -> bytes | None:
    try:
        from skimage import data
    except ImportError:
        return None
    out = io.BytesIO()
    Image.fromarray(data.astronaut()).save(out, "JPEG", quality=92)
    return out.getvalue()


def measure(name: str, data: bytes, repeat: int) -> dict[str, Any]:
    limits = PhotoLimits()
    times: list[float] = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = clean_photo(data, limits)
        times.append((time.perf_counter() - started) * 1000)
    assert result is not None
    return {
        "input": name,
        "input_bytes": len(data),
        "p50_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "stored_bytes": len(result.data),
        "stored_size": f"{result.width}x{result.height}",
        "faces": len(result.faces),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="640x480,2048x1536,4000x3000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    first = time.perf_counter()
    clean_photo(camera_jpeg(320, 240), PhotoLimits())
    first_ms = round((time.perf_counter() - first) * 1000, 1)
    rows = []
    for size in args.sizes.split(","):
        w, h = (int(v) for v in size.split("x"))
        rows.append(measure(f"camera {size}", camera_jpeg(w, h), args.repeat))
    face = astronaut_jpeg()
    if face is not None:
        rows.append(measure("astronaut 512x512", face, args.repeat))
    if args.json:
        print(json.dumps({"first_ms": first_ms, "photos": rows}, indent=2))
        return
    print(f"first call (loads the cascades): {first_ms} ms")
    for r in rows:
        print(
            f"{r['input']:<22} {r['input_bytes'] / 1024:>7.0f} KB -> {r['stored_size']:>9} "
            f"{r['stored_bytes'] / 1024:>5.0f} KB  p50 {r['p50_ms']:>6} ms  max "
            f"{r['max_ms']:>6} ms  faces {r['faces']}"
        )


if __name__ == "__main__":
    main()
