"""Photo cleaning (`bot.render.photo_clean`) on real images: every kind of metadata gone,
orientation applied, size limits, and the decompression-bomb guard."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageCms

from bot.render.photo_clean import PhotoLimits, PhotoRefused, clean_photo
from tests.capture.helpers import scene

XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b"<rdf:RDF><rdf:Description>SecretAuthorName</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def tagged_jpeg() -> bytes:
    """A 320x240 JPEG carrying EXIF (camera make and serial, orientation 6 = rotate 90°,
    a GPS position), XMP, an ICC profile and a comment."""
    base = Image.open(io.BytesIO(scene(4)))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0110] = "Model X-1"  # Model
    exif[0x0112] = 6  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 31.0, 12.5)  # GPSLatitudeRef, GPSLatitude
    gps[3], gps[4] = "E", (13.0, 24.0, 36.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    base.save(out, "JPEG", exif=exif, icc_profile=icc, comment=b"SecretComment", xmp=XMP)
    data = out.getvalue()
    assert b"SpyCam" in data and b"SecretAuthorName" in data and b"SecretComment" in data
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the GPS is really there
    return data


def test_every_metadata_is_removed_and_orientation_applied() -> None:
    cleaned = clean_photo(tagged_jpeg(), PhotoLimits())
    for secret in (b"Exif", b"SpyCam", b"Model X-1", b"SecretAuthorName", b"xmpmeta",
                   b"SecretComment", b"ICC_PROFILE"):  # fmt: skip
        assert secret not in cleaned.data, secret
    img = Image.open(io.BytesIO(cleaned.data))
    assert img.format == "JPEG"
    assert not img.getexif() and not img.getexif().get_ifd(0x8825)
    assert not {"exif", "icc_profile", "comment", "xmp"} & set(img.info)
    assert img.size == (240, 320)  # orientation 6 applied: stored upright, no tag needed


def test_downscaled_to_max_side() -> None:
    cleaned = clean_photo(scene(1, size=(1200, 600)), PhotoLimits(max_side=300))
    assert (cleaned.width, cleaned.height) == (300, 150)


def test_png_with_transparency_becomes_a_jpeg() -> None:
    img = Image.new("RGBA", (50, 40), (255, 0, 0, 0))
    out = io.BytesIO()
    img.save(out, "PNG")
    cleaned = clean_photo(out.getvalue(), PhotoLimits())
    stored = Image.open(io.BytesIO(cleaned.data))
    assert stored.format == "JPEG" and stored.mode == "RGB"
    assert stored.getpixel((25, 20)) == pytest.approx((255, 255, 255), abs=3)  # on white


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"GIF89a but not really" * 3, "not_image"),
        (b"just some text, not an image", "not_image"),
        (scene(2)[:300], "corrupt"),
    ],
)
def test_bad_files(data: bytes, reason: str) -> None:
    with pytest.raises(PhotoRefused) as refused:
        clean_photo(data, PhotoLimits())
    assert refused.value.reason == reason


def test_too_many_bytes_is_refused_before_decoding() -> None:
    with pytest.raises(PhotoRefused) as refused:
        clean_photo(b"\xff" * 2000, PhotoLimits(max_bytes=1000))
    assert refused.value.reason == "too_big" and refused.value.fields["size"] == 2000


def test_too_many_pixels_by_the_limit() -> None:
    with pytest.raises(PhotoRefused) as refused:
        clean_photo(scene(1, size=(400, 300)), PhotoLimits(max_pixels=100_000))
    assert refused.value.reason == "too_many_pixels"
    assert refused.value.fields["pixels"] == 120_000


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` pixels (a decompression bomb's header)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [7_000, 10_000, 100_000])  # > 40 MP; > Pillow warning; > error
def test_decompression_bomb_is_refused_from_its_header(side: int) -> None:
    data = _png_header_only(side, side)
    assert len(data) < 200
    with pytest.raises(PhotoRefused) as refused:
        clean_photo(data, PhotoLimits())
    assert refused.value.reason == "too_many_pixels"


def test_a_face_in_a_large_photo_is_found_on_the_smaller_copy_and_blurred() -> None:
    """The detector searches a copy at most 1024 px long; the box it finds is scaled back, so
    the face of a 2048-pixel photo is blurred where it is, and the rest is kept."""
    data = pytest.importorskip("skimage.data")
    big = Image.fromarray(data.astronaut()).resize((2048, 2048), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    big.save(out, "JPEG", quality=92)
    cleaned = clean_photo(out.getvalue(), PhotoLimits())
    assert (cleaned.width, cleaned.height) == (2048, 2048) and len(cleaned.faces) >= 1
    x, y, w, h = cleaned.faces[0]
    assert 600 <= x + w // 2 <= 1000 and 250 <= y + h // 2 <= 600  # the astronaut's face
    stored = Image.open(io.BytesIO(cleaned.data)).convert("L")
    before = big.convert("L")

    def change(box: tuple[int, int, int, int]) -> float:
        a = before.crop(box).tobytes()
        b = stored.crop(box).tobytes()
        return sum(abs(p - q) for p, q in zip(a, b, strict=True)) / len(a)

    assert change((760, 320, 1020, 600)) > 12  # eyes, nose and mouth
    assert change((1500, 1500, 1900, 1900)) < 6  # far from the face
