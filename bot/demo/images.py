"""Demo images generated with Pillow: coloured shapes with known ground truth.

Two item sets, both deterministic for a seed:
- verify: an image with a candidate label such as "a red circle"; about 40% of candidates
  are deliberately wrong (wrong shape or wrong colour), so the truth is yes or no;
- classify: an image whose shape is one of `SHAPES`.
About `gold_share` of the items are gold, with an explanation players see after answering.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

from storage.rows import NewItem

SHAPES = ("circle", "square", "triangle", "star", "hexagon")
COLOURS = {
    "red": (214, 48, 49),
    "green": (39, 174, 96),
    "blue": (41, 128, 185),
    "yellow": (241, 196, 15),
    "purple": (142, 68, 173),
    "orange": (230, 126, 34),
}
SIZE = 160


@dataclass(frozen=True, slots=True)
class Shape:
    shape: str
    colour: str
    seed: int


def draw_shape(s: Shape, size: int = SIZE) -> bytes:
    """A PNG of one shape, jittered in place, size and angle, on a light noisy background."""
    rng = random.Random(s.seed)
    bg = tuple(rng.randint(232, 250) for _ in range(3))
    img = Image.new("RGB", (size, size), bg)
    d = ImageDraw.Draw(img)
    for _ in range(18):
        x, y = rng.randint(0, size), rng.randint(0, size)
        r = rng.randint(2, 9)
        shade = tuple(max(0, c - rng.randint(4, 16)) for c in bg)
        d.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    cx = size / 2 + rng.uniform(-14, 14)
    cy = size / 2 + rng.uniform(-14, 14)
    radius = size * rng.uniform(0.24, 0.34)
    angle = rng.uniform(0, 2 * math.pi)
    fill = tuple(max(0, min(255, c + rng.randint(-18, 18))) for c in COLOURS[s.colour])
    outline = tuple(max(0, c - 60) for c in fill)
    if s.shape == "circle":
        d.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius),
            fill=fill,
            outline=outline,
            width=3,
        )
    else:
        d.polygon(_polygon(s.shape, cx, cy, radius, angle), fill=fill, outline=outline, width=3)
    img = img.filter(ImageFilter.SMOOTH)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _polygon(shape: str, cx: float, cy: float, r: float, a: float) -> list[tuple[float, float]]:
    if shape == "star":
        pts = []
        for i in range(10):
            rr = r if i % 2 == 0 else r * 0.45
            t = a + i * math.pi / 5
            pts.append((cx + rr * math.cos(t), cy + rr * math.sin(t)))
        return pts
    sides = {"triangle": 3, "square": 4, "hexagon": 6}[shape]
    return [
        (
            cx + r * math.cos(a + 2 * math.pi * i / sides),
            cy + r * math.sin(a + 2 * math.pi * i / sides),
        )
        for i in range(sides)
    ]


def _explain(shape: str, colour: str) -> str:
    hints = {
        "circle": "no corners at all",
        "square": "four equal sides",
        "triangle": "three corners",
        "star": "five points",
        "hexagon": "six sides",
    }
    return f"It's a {colour} {shape}: {hints[shape]}."


def verify_items(n: int, seed: int, gold_share: float = 0.08) -> list[NewItem]:
    """Verify items: truth `yes` when the candidate names the drawn shape and colour."""
    rng = random.Random(f"verify-{seed}")
    items = []
    for i in range(n):
        s = Shape(rng.choice(SHAPES), rng.choice(list(COLOURS)), rng.getrandbits(32))
        cand_shape, cand_colour = s.shape, s.colour
        if rng.random() < 0.4:
            if rng.random() < 0.5:
                cand_shape = rng.choice([x for x in SHAPES if x != s.shape])
            else:
                cand_colour = rng.choice([c for c in COLOURS if c != s.colour])
        truth = "yes" if (cand_shape, cand_colour) == (s.shape, s.colour) else "no"
        gold = truth if rng.random() < gold_share else None
        items.append(
            NewItem(
                kind="image",
                source=f"verify-{i:05d}.png",
                candidate=f"a {cand_colour} {cand_shape}",
                gold=gold,
                gold_explanation=_explain(s.shape, s.colour) if gold else None,
                truth=truth,
                meta={"shape": s.shape, "colour": s.colour},
                media=draw_shape(s),
                mime="image/png",
            )
        )
    return items


HARD_EVERY = 12
"""The demo's "hard cases" campaign has one item per this many items: each a shape blurred
beyond telling between three look-alikes (`meta["looks_like"]`), with no ground truth. The
simulated crowd splits on them, so the demo leaves items in the review queue, as a real
campaign does."""


def ambiguous_item(i: int, rng: random.Random) -> NewItem:
    """A blurred shape between three look-alikes (no truth, never gold)."""
    pair = rng.choice([("hexagon", "circle", "square"), ("star", "triangle", "hexagon")])
    s = Shape(pair[0], rng.choice(list(COLOURS)), rng.getrandbits(32))
    img = Image.open(io.BytesIO(draw_shape(s))).filter(ImageFilter.GaussianBlur(9))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return NewItem(
        kind="image",
        source=f"classify-blurred-{i:05d}.png",
        truth=None,
        meta={"looks_like": list(pair), "colour": s.colour},
        media=buf.getvalue(),
        mime="image/png",
    )


def classify_items(n: int, seed: int, gold_share: float = 0.08) -> list[NewItem]:
    """Classify items: truth is the drawn shape."""
    rng = random.Random(f"classify-{seed}")
    items = []
    for i in range(n):
        s = Shape(rng.choice(SHAPES), rng.choice(list(COLOURS)), rng.getrandbits(32))
        gold = s.shape if rng.random() < gold_share else None
        items.append(
            NewItem(
                kind="image",
                source=f"classify-{i:05d}.png",
                gold=gold,
                gold_explanation=_explain(s.shape, s.colour) if gold else None,
                truth=s.shape,
                meta={"shape": s.shape, "colour": s.colour},
                media=draw_shape(s),
                mime="image/png",
            )
        )
    return items


def hard_items(n: int, seed: int) -> list[NewItem]:
    """The "hard cases" campaign's items: `n` ambiguous ones (`ambiguous_item`)."""
    rng = random.Random(f"ambiguous-{seed}")
    return [ambiguous_item(i, rng) for i in range(n)]
