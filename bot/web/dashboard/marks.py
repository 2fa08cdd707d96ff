"""The dashboard's view of a locate item (issue 17): the image with the players' marks drawn
thin and dashed and the merged label's marks bold, as an inline SVG in the image's pixel
coordinates (`meta` width and height; the answers and label are the game's canonical JSON,
`{"boxes": [[x, y, w, h], ...]}` or `{"points": [[x, y], ...]}`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from bot.web.layout import esc

PLAYER = 'fill="none" stroke="#1f77b4" stroke-width="{w}" stroke-dasharray="{d}" opacity="0.7"'
MERGED = 'fill="none" stroke="#2ca02c" stroke-width="{w}"'


def _marks(label: str | None) -> tuple[str, list[list[float]]]:
    try:
        data = json.loads(label or "")
    except ValueError:
        return "", []
    if not isinstance(data, dict) or len(data) != 1:
        return "", []
    key, marks = next(iter(data.items()))
    ok = key in ("boxes", "points") and isinstance(marks, list)
    return (key, [m for m in marks if isinstance(m, list)]) if ok else ("", [])


def _shape(key: str, m: list[float], style: str, r: float) -> str:
    if key == "boxes" and len(m) == 4:
        return f'<rect x="{m[0]}" y="{m[1]}" width="{m[2]}" height="{m[3]}" {style}/>'
    if key == "points" and len(m) == 2:
        return f'<circle cx="{m[0]}" cy="{m[1]}" r="{r:g}" {style}/>'
    return ""


def marked_figure(
    src: str, alt: str, meta: Mapping[str, Any], label: str | None, answers: Iterable[str]
) -> str | None:
    """The figure, or None when the image's size is unknown (the plain image is shown)."""
    try:
        width, height = int(meta["width"]), int(meta["height"])
    except (KeyError, TypeError, ValueError):
        return None
    unit = max(width, height) / 300  # strokes about 1 px at 300 px wide
    r = 3 * unit
    player = PLAYER.format(w=f"{unit:.2f}", d=f"{3 * unit:.1f}")
    merged = MERGED.format(w=f"{2.5 * unit:.2f}")
    shapes = [_shape(k, m, player, r) for a in answers for k, ms in [_marks(a)] for m in ms]
    key, label_marks = _marks(label)
    shapes += [_shape(key, m, merged, r) for m in label_marks]
    return (
        f'<figure><svg class="item" viewBox="0 0 {width} {height}" width="{width}" '
        f'role="img" aria-label="{esc(alt)}">'
        f'<image href="{esc(src)}" width="{width}" height="{height}"/>{"".join(shapes)}</svg>'
        '<figcaption class="muted">Players\' marks dashed, the merged label bold.</figcaption>'
        "</figure>"
    )
