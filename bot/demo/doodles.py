"""Procedural doodles for the demo: no downloads, deterministic for a seed.

Each category is drawn from a handful of primitives (lines, polygons, arcs, dots) in a unit
square, then turned into a raw Quick, Draw!-style drawing:

* a random similarity transform (size 200-550 px, rotation up to 6 degrees, a 10 % stretch,
  an offset), then a per-stroke slip and a smooth wobble of ~1.5 % of the size;
* the pen moves at 0.15-0.6 px/ms and is sampled every 12-28 ms, so `t` is milliseconds
  since the first point; strokes are separated by 150-1100 ms pauses (the middle 90 % of
  the real raw samples: 0.07-1.1 px/ms, 5-78 ms between points, 105-1424 ms pauses);
* dots are zero-length strokes: two identical points 20-60 ms apart.

A "poor" drawing (label `not recognizable` material) is sloppy (large wobble, strokes cut
short), partial (only the first one or two strokes) or a scribble (random zigzags). Drawing
`i` of `demo_drawings(n, seed)` depends only on `(seed, i)`, so a longer list for the same
seed starts with the shorter one.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from storage.doodles import Drawing, Stroke

log = logging.getLogger(__name__)

Point = tuple[float, float]
Path = list[Point]
Builder = Callable[[random.Random], list[Path]]
DEMO_COUNTRY = "ZZ"  # ISO 3166 user-assigned code: marks generated doodles
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def _arc(cx: float, cy: float, rx: float, ry: float, a0: float = 0.0, a1: float = 360.0) -> Path:
    """Points of an elliptical arc from angle a0 to a1 (degrees, y down)."""
    n = max(4, int(abs(a1 - a0) / 12))
    return [
        (cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
        for a in (a0 + (a1 - a0) * k / n for k in range(n + 1))
    ]


def _dot(x: float, y: float) -> Path:
    return [(x, y), (x, y)]


def _closed(*pts: Point) -> Path:
    return [*pts, pts[0]]


def _house(r: random.Random) -> list[Path]:
    roof = r.uniform(0.05, 0.15)
    paths = [
        _closed((0.2, 0.45), (0.8, 0.45), (0.8, 0.95), (0.2, 0.95)),
        [(0.15, 0.47), (0.5, roof), (0.85, 0.47)],
        [(0.43, 0.95), (0.43, 0.7), (0.57, 0.7), (0.57, 0.95)],
        _dot(0.54, 0.83),
    ]
    if r.random() < 0.7:
        paths.append(_closed((0.27, 0.55), (0.37, 0.55), (0.37, 0.65), (0.27, 0.65)))
    return paths


def _sun(r: random.Random) -> list[Path]:
    rays = r.randint(7, 12)
    paths = [_arc(0.5, 0.5, 0.22, 0.22)]
    for k in range(rays):
        a = 2 * math.pi * k / rays
        c, s = math.cos(a), math.sin(a)
        paths.append([(0.5 + 0.29 * c, 0.5 + 0.29 * s), (0.5 + 0.45 * c, 0.5 + 0.45 * s)])
    return paths


def _tree(r: random.Random) -> list[Path]:
    crown = [
        (0.5 + 0.3 * math.cos(a) * (1 + 0.12 * abs(math.sin(3 * a))), 0.38 + 0.28 * math.sin(a))
        for a in (math.radians(100 + 360 * k / 40) for k in range(37))
    ]
    paths = [[(0.45, 0.95), (0.45, 0.64)], [(0.55, 0.95), (0.55, 0.64)], crown]
    if r.random() < 0.4:
        paths += [_dot(r.uniform(0.35, 0.65), r.uniform(0.25, 0.5)) for _ in range(3)]
    return paths


def _fish(r: random.Random) -> list[Path]:
    return [
        _arc(0.45, 0.5, 0.3, r.uniform(0.13, 0.2), 10, 350),
        _closed((0.74, 0.5), (0.95, 0.32), (0.95, 0.68)),
        _dot(0.27, 0.45),
        _arc(0.45, 0.36, 0.08, 0.06, 180, 360),
    ]


def _cat(r: random.Random) -> list[Path]:
    paths = [
        _arc(0.5, 0.58, 0.3, 0.27),
        [(0.27, 0.41), (0.3, 0.12), (0.45, 0.32)],
        [(0.55, 0.32), (0.7, 0.12), (0.73, 0.41)],
        _dot(0.4, 0.52),
        _dot(0.6, 0.52),
        _closed((0.47, 0.62), (0.53, 0.62), (0.5, 0.66)),
    ]
    for side in (-1, 1):
        for dy in (-0.04, 0.0, 0.04):
            paths.append([(0.5 + side * 0.1, 0.67 + dy / 2), (0.5 + side * 0.38, 0.66 + dy)])
    return paths


def _star(r: random.Random) -> list[Path]:
    inner = r.uniform(0.16, 0.22)
    pts = [
        (0.5 + rad * math.sin(math.radians(36 * k)), 0.52 - rad * math.cos(math.radians(36 * k)))
        for k, rad in enumerate([0.45, inner] * 5)
    ]
    return [_closed(*pts)]


def _car(r: random.Random) -> list[Path]:
    roof = r.uniform(0.25, 0.35)
    return [
        _closed(
            (0.05, 0.7),
            (0.05, 0.5),
            (0.25, 0.5),
            (0.35, roof),
            (0.7, roof),
            (0.8, 0.5),
            (0.95, 0.5),
            (0.95, 0.7),
        ),
        _arc(0.27, 0.72, 0.1, 0.1),
        _arc(0.73, 0.72, 0.1, 0.1),
        [(0.52, roof), (0.52, 0.5)],
    ]


def _flower(r: random.Random) -> list[Path]:
    petals = r.randint(5, 7)
    paths = [_arc(0.5, 0.33, 0.07, 0.07)]
    for k in range(petals):
        a = 2 * math.pi * k / petals
        paths.append(_arc(0.5 + 0.15 * math.cos(a), 0.33 + 0.15 * math.sin(a), 0.08, 0.08))
    paths.append([(0.5, 0.48), (0.5, 0.97)])
    paths.append(_arc(0.6, 0.75, 0.1, 0.04, 180, 540))
    return paths


def _cloud(r: random.Random) -> list[Path]:
    bumps = r.randint(3, 5)
    angles = [2 * math.pi * k / 48 for k in range(49)]
    scale = [1 + 0.12 * abs(math.sin(bumps * a)) for a in angles]
    return [
        [
            (0.5 + 0.42 * math.cos(a) * f, 0.5 + 0.2 * math.sin(a) * f)
            for a, f in zip(angles, scale, strict=True)
        ]
    ]


def _apple(r: random.Random) -> list[Path]:
    body = [
        (0.5 + 0.33 * math.sin(a), 0.58 - 0.3 * math.cos(a) + 0.08 * math.cos(a) ** 8)
        for a in (2 * math.pi * k / 40 for k in range(41))
    ]
    paths = [body, [(0.5, 0.3), (0.53, 0.12)]]
    if r.random() < 0.8:
        paths.append(_arc(0.62, 0.18, 0.08, 0.035, 0, 360))
    return paths


def _bicycle(r: random.Random) -> list[Path]:
    return [
        _arc(0.25, 0.65, 0.18, 0.18),
        _arc(0.75, 0.65, 0.18, 0.18),
        [(0.25, 0.65), (0.45, 0.65), (0.66, 0.42), (0.38, 0.42), (0.25, 0.65)],
        [(0.38, 0.42), (0.45, 0.65)],
        [(0.75, 0.65), (0.64, 0.3), (0.72, 0.28)],
        [(0.34, 0.33), (0.46, 0.33)],
        [(0.4, 0.33), (0.38, 0.42)],
    ]


def _eye(r: random.Random) -> list[Path]:
    open_ = r.uniform(0.22, 0.3)
    upper = [(0.1 + 0.8 * k / 20, 0.5 - open_ * math.sin(math.pi * k / 20)) for k in range(21)]
    lower = [(0.9 - 0.8 * k / 20, 0.5 + open_ * math.sin(math.pi * k / 20)) for k in range(21)]
    return [upper + lower[1:], _arc(0.5, 0.5, 0.15, 0.15), _dot(0.5, 0.5)]


def _umbrella(r: random.Random) -> list[Path]:
    scallops = r.randint(3, 4)
    width = 0.8 / scallops
    edge: Path = []
    for k in range(scallops):
        edge += _arc(0.9 - width * (k + 0.5), 0.47, width / 2, 0.05, 0, -180)[1:]
    return [
        _arc(0.5, 0.47, 0.4, 0.35, 180, 360) + edge,
        [(0.5, 0.47), (0.5, 0.85), *_arc(0.44, 0.85, 0.06, 0.06, 0, 180)[1:]],
    ]


def _moon(r: random.Random) -> list[Path]:
    inner = r.uniform(0.24, 0.3)
    return [_arc(0.5, 0.5, 0.35, 0.35, 60, 300) + _arc(0.62, 0.5, inner, 0.32, 240, 120)]


def _clock(r: random.Random) -> list[Path]:
    paths = [_arc(0.5, 0.5, 0.4, 0.4)]
    ticks = 12 if r.random() < 0.6 else 4
    for k in range(ticks):
        a = 2 * math.pi * k / ticks
        paths.append(_dot(0.5 + 0.33 * math.cos(a), 0.5 + 0.33 * math.sin(a)))
    paths.append([(0.5, 0.26), (0.5, 0.5), (0.66, 0.58)])
    return paths


def _mountain(r: random.Random) -> list[Path]:
    peak = r.uniform(0.1, 0.2)
    return [
        [(0.03, 0.9), (0.3, 0.35), (0.45, 0.55), (0.65, peak), (0.97, 0.9)],
        [(0.57, peak + 0.15), (0.62, peak + 0.1), (0.67, peak + 0.15), (0.72, peak + 0.1)],
    ]


_BUILDERS: dict[str, Builder] = {
    "apple": _apple,
    "bicycle": _bicycle,
    "car": _car,
    "cat": _cat,
    "clock": _clock,
    "cloud": _cloud,
    "eye": _eye,
    "fish": _fish,
    "flower": _flower,
    "house": _house,
    "moon": _moon,
    "mountain": _mountain,
    "star": _star,
    "sun": _sun,
    "tree": _tree,
    "umbrella": _umbrella,
}
DEMO_CATEGORIES: tuple[str, ...] = tuple(_BUILDERS)
QUALITIES = ("good", "poor")


def _poor(r: random.Random, paths: list[Path]) -> tuple[list[Path], str, float]:
    """Degrade a drawing; returns the paths, the kind of damage and the wobble factor."""
    kind = r.choice(("sloppy", "partial", "scribble"))
    if kind == "partial":
        return paths[: r.randint(1, 2)], kind, 1.5
    if kind == "scribble":
        pts = [(r.uniform(0.1, 0.9), r.uniform(0.1, 0.9)) for _ in range(r.randint(5, 12))]
        return [pts, *([_dot(r.random(), r.random())] if r.random() < 0.5 else [])], kind, 2.0
    kept = [p for p in paths if r.random() < 0.6] or paths[:1]
    return [p[: max(2, int(len(p) * r.uniform(0.3, 0.8)))] for p in kept], kind, 4.0


def _transform(r: random.Random, paths: list[Path]) -> list[Path]:
    """Random similarity transform into device pixels, plus a small slip per stroke."""
    size = r.uniform(200, 550)
    angle = math.radians(r.uniform(-6, 6))
    sx, sy = size * r.uniform(0.95, 1.05), size * r.uniform(0.95, 1.05)
    ox, oy = r.uniform(0, 300), r.uniform(0, 200)
    c, s = math.cos(angle), math.sin(angle)
    out = []
    for path in paths:
        dx, dy = r.gauss(0, 0.012) * size, r.gauss(0, 0.012) * size
        out.append(
            [
                (
                    ox + dx + (x - 0.5) * sx * c - (y - 0.5) * sy * s,
                    oy + dy + (x - 0.5) * sx * s + (y - 0.5) * sy * c,
                )
                for x, y in path
            ]
        )
    return out


def _pen_stroke(r: random.Random, path: Path, t0: int, wobble: float) -> Stroke:
    """Sample a pen moving along `path` every 12-28 ms, with a smooth sideways wobble."""
    if len(path) == 2 and path[0] == path[1]:
        x, y = float(round(path[0][0])), float(round(path[0][1]))
        return Stroke((x, x), (y, y), (t0, t0 + r.randint(20, 60)))
    speed = math.exp(r.uniform(math.log(0.15), math.log(0.6)))
    freq, phase = r.uniform(0.01, 0.03), r.uniform(0, 2 * math.pi)
    xs: list[float] = []
    ys: list[float] = []
    ts: list[int] = []
    t, travelled, carry = float(t0), 0.0, 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(path):
        seg = math.hypot(x1 - x0, y1 - y0)
        pos = carry
        while pos < seg or (not xs and pos == 0):
            f = pos / seg if seg else 0.0
            w = wobble * math.sin(freq * (travelled + pos) + phase)
            nx, ny = ((y0 - y1) / seg, (x1 - x0) / seg) if seg else (0.0, 0.0)
            xs.append(float(round(x0 + f * (x1 - x0) + w * nx)))
            ys.append(float(round(y0 + f * (y1 - y0) + w * ny)))
            ts.append(round(t))
            step_ms = r.uniform(12, 28)
            t += step_ms
            pos += speed * step_ms
        carry, travelled = pos - seg, travelled + seg
    xs.append(float(round(path[-1][0])))
    ys.append(float(round(path[-1][1])))
    ts.append(max(round(t), ts[-1] + 1))
    return Stroke(tuple(xs), tuple(ys), tuple(ts))


def demo_drawing(word: str, seed: int | str, quality: str = "good") -> Drawing:
    """One generated raw drawing of `word` (a `DEMO_CATEGORIES` name); same seed, same drawing."""
    if word not in _BUILDERS:
        raise ValueError(f"no demo doodle for {word!r}; known: {', '.join(DEMO_CATEGORIES)}")
    if quality not in QUALITIES:
        raise ValueError(f"quality must be one of {QUALITIES}, got {quality!r}")
    r = random.Random(f"demo-doodle:{seed}:{word}:{quality}")
    paths, damage, wobble = _BUILDERS[word](r), "none", 1.0
    if quality == "poor":
        paths, damage, wobble = _poor(r, paths)
    pixel_paths = _transform(r, paths)
    size = max(
        max(x for p in pixel_paths for x, _ in p) - min(x for p in pixel_paths for x, _ in p), 1.0
    )
    strokes, t = [], 0
    for path in pixel_paths:
        stroke = _pen_stroke(r, path, t, wobble * 0.015 * size)
        strokes.append(stroke)
        t = (stroke.t or (0,))[-1] + r.randint(150, 1100)
    digest = hashlib.sha256(f"demo:{seed}:{word}:{quality}".encode()).digest()
    return Drawing(
        word=word,
        strokes=tuple(strokes),
        key_id=str(10**15 + int.from_bytes(digest[:8], "big") % (9 * 10**15)),
        countrycode=DEMO_COUNTRY,
        timestamp=_EPOCH
        + timedelta(seconds=r.randrange(365 * 86400), microseconds=r.randrange(10**6)),
        recognized=quality == "good",
        extra={"demo_quality": quality if quality == "good" else f"poor:{damage}"},
    )


def demo_drawings(n: int, seed: int, poor_share: float = 0.15) -> list[Drawing]:
    """`n` drawings cycling through a seed-shuffled `DEMO_CATEGORIES`; about `poor_share` of
    them are poor. Drawing i depends only on (seed, i), so key ids are stable for a seed."""
    order = list(DEMO_CATEGORIES)
    random.Random(f"demo-order:{seed}").shuffle(order)
    out = []
    for i in range(n):
        poor = random.Random(f"demo-quality:{seed}:{i}").random() < poor_share
        out.append(demo_drawing(order[i % len(order)], f"{seed}:{i}", "poor" if poor else "good"))
    return out
