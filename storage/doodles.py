"""The doodle data type shared by importers, games and renderers.

A drawing is Quick, Draw!'s: a list of strokes, each three parallel arrays `x`, `y` and (raw
data only) `t`, milliseconds since the first point. Simplified data has integer coordinates in
0..255 and no timing; raw data has real-valued, possibly negative coordinates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Stroke:
    """One pen-down stroke: parallel coordinate arrays, with `t` (ms) when the data is raw."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    t: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if len(self.x) != len(self.y) or (self.t is not None and len(self.t) != len(self.x)):
            raise ValueError("stroke arrays differ in length")
        if not self.x:
            raise ValueError("empty stroke")


@dataclass(frozen=True, slots=True)
class Drawing:
    """A Quick, Draw! drawing with its metadata (kept as found: `key_id` is a string)."""

    word: str
    strokes: tuple[Stroke, ...]
    key_id: str | None = None
    countrycode: str | None = None
    timestamp: datetime | None = None
    recognized: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def timed(self) -> bool:
        """True when every stroke carries raw timing."""
        return all(s.t is not None for s in self.strokes)

    def strokes_json(self) -> str:
        """Compact JSON of the strokes in Quick, Draw!'s nesting (`[[x...],[y...](,[t...])]`)."""
        out: list[list[list[float] | list[int]]] = []
        for s in self.strokes:
            xs = [_num(v) for v in s.x]
            ys = [_num(v) for v in s.y]
            out.append([xs, ys] if s.t is None else [xs, ys, list(s.t)])
        return json.dumps(out, separators=(",", ":"))

    @staticmethod
    def strokes_from_json(text: str) -> tuple[Stroke, ...]:
        """Inverse of `strokes_json`."""
        data = json.loads(text)
        return tuple(
            Stroke(
                tuple(float(v) for v in s[0]),
                tuple(float(v) for v in s[1]),
                tuple(int(v) for v in s[2]) if len(s) > 2 else None,
            )
            for s in data
        )


def _num(v: float) -> float | int:
    """Write integral coordinates as ints, so simplified data round-trips byte for byte."""
    return int(v) if float(v).is_integer() else v
