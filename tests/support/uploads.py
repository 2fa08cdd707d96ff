"""Datasets as a moderator would upload them: a zipped folder of images, a labels CSV."""

from __future__ import annotations

import io
import zipfile

from tests.support.images import png_bytes

COLOURS = ("red", "green", "blue", "red")


def images_zip(n: int = 4, *, with_labels: bool = True, folder: str = "colours") -> bytes:
    """A zipped folder of `n` small images, with labels.csv (file,label) unless told not."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(n):
            zf.writestr(f"{folder}/img{i}.png", png_bytes(COLOURS[i % len(COLOURS)]))
        if with_labels:
            zf.writestr(f"{folder}/labels.csv", labels_csv(n))
    return buf.getvalue()


def labels_csv(n: int = 4) -> bytes:
    return ("file,label\n" + "".join(f"img{i}.png,red\n" for i in range(n))).encode()


def zip_of(entries: dict[str, bytes]) -> bytes:
    """A .zip holding `entries` (name -> content) exactly as named, hostile names included."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()
