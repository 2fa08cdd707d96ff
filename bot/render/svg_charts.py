"""Charts as SVG text, drawn on the server (no script): a line chart of a running total, a
bar chart per day and horizontal bars per label.

Rules:
- pure functions of their data: the same data gives the same bytes;
- every chart is `<svg role="img" aria-labelledby="ID-title ID-desc">` with a `<title>` (the
  chart's name) and a `<desc>` that states the data in words (the alt text: "Answers per day,
  12 Nov to 18 Nov: 40, 52, 0"), so a screen reader gets what a sighted reader sees;
- one `<rect class="bar" data-label data-value>` per bar and one `<circle class="point"
  data-label data-value>` per point, heights and lengths proportional to the value, the
  largest value filling the plot;
- no data gives a small chart that says `empty` in words (and in its `<desc>`), never an
  error;
- every text is XML-escaped; colours come from presentation attributes and `currentColor`
  (the dashboard's CSP forbids `style=` attributes).
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

WIDTH = 640
HEIGHT = 240
PAD_LEFT = 48
PAD_RIGHT = 16
PAD_TOP = 16
PAD_BOTTOM = 40
BAR_ROW = 26
LABEL_W = 140
ACCENT = "#2f6fdf"

Point = tuple[str, int]


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def describe_series(title: str, points: Sequence[Point], empty: str) -> str:
    """The alt text of a series: "TITLE, FIRST to LAST: v1, v2, ..." (one point: "TITLE,
    DAY: v"); `empty` when there is none."""
    if not points:
        return f"{title}: {empty}"
    values = ", ".join(str(v) for _, v in points)
    span = points[0][0] if len(points) == 1 else f"{points[0][0]} to {points[-1][0]}"
    return f"{title}, {span}: {values}"


def _empty(chart_id: str, title: str, empty: str) -> str:
    height = 80
    return (
        _open(chart_id, title, f"{title}: {empty}", WIDTH, height)
        + f'<text x="{WIDTH // 2}" y="{height // 2}" text-anchor="middle" '
        f'fill="currentColor" class="empty">{escape(empty)}</text></svg>'
    )


def _axes(top: int, maximum: int) -> str:
    """The baseline, the left axis and its top value."""
    base = HEIGHT - PAD_BOTTOM
    return (
        f'<line x1="{PAD_LEFT}" y1="{base}" x2="{WIDTH - PAD_RIGHT}" y2="{base}" '
        'stroke="currentColor" stroke-width="1"/>'
        f'<line x1="{PAD_LEFT}" y1="{top}" x2="{PAD_LEFT}" y2="{base}" '
        'stroke="currentColor" stroke-width="1"/>'
        f'<text x="{PAD_LEFT - 6}" y="{top + 4}" text-anchor="end" font-size="12" '
        f'fill="currentColor">{maximum}</text>'
        f'<text x="{PAD_LEFT - 6}" y="{base}" text-anchor="end" font-size="12" '
        'fill="currentColor">0</text>'
    )


def _x_labels(points: Sequence[Point], xs: Sequence[float]) -> str:
    """The first and the last label under the plot (more would not fit on a phone)."""
    if not points:
        return ""
    y = HEIGHT - PAD_BOTTOM + 18
    first = f'<text x="{_num(xs[0])}" y="{y}" font-size="12" fill="currentColor" '
    out = first + f'text-anchor="start">{escape(points[0][0])}</text>'
    if len(points) > 1:
        out += (
            f'<text x="{_num(xs[-1])}" y="{y}" font-size="12" fill="currentColor" '
            f'text-anchor="end">{escape(points[-1][0])}</text>'
        )
    return out


def bar_chart(chart_id: str, title: str, points: Sequence[Point], empty: str) -> str:
    """Vertical bars, one per point, in order (e.g. answers per day)."""
    if not points:
        return _empty(chart_id, title, empty)
    top, base = PAD_TOP, HEIGHT - PAD_BOTTOM
    maximum = max(1, max(v for _, v in points))
    slot = (WIDTH - PAD_LEFT - PAD_RIGHT) / len(points)
    width = max(1.0, slot * 0.8)
    parts = [_open(chart_id, title, describe_series(title, points, empty), WIDTH, HEIGHT)]
    parts.append(_axes(top, maximum))
    centres = []
    for i, (label, value) in enumerate(points):
        h = (base - top) * value / maximum
        x = PAD_LEFT + i * slot + (slot - width) / 2
        centres.append(x + width / 2)
        parts.append(
            f'<rect class="bar" data-label={quoteattr(label)} data-value="{value}" '
            f'x="{_num(x)}" y="{_num(base - h)}" width="{_num(width)}" height="{_num(h)}" '
            f'fill="{ACCENT}"><title>{escape(label)}: {value}</title></rect>'
        )
    parts.append(_x_labels(points, centres))
    return "".join(parts) + "</svg>"


def line_chart(chart_id: str, title: str, points: Sequence[Point], empty: str) -> str:
    """A line through the points with a dot on each (e.g. a running total per day)."""
    if not points:
        return _empty(chart_id, title, empty)
    top, base = PAD_TOP, HEIGHT - PAD_BOTTOM
    maximum = max(1, max(v for _, v in points))
    span = WIDTH - PAD_LEFT - PAD_RIGHT
    step = span / (len(points) - 1) if len(points) > 1 else 0.0
    xy = [
        (PAD_LEFT + (i * step if len(points) > 1 else span / 2), base - (base - top) * v / maximum)
        for i, (_, v) in enumerate(points)
    ]
    parts = [_open(chart_id, title, describe_series(title, points, empty), WIDTH, HEIGHT)]
    parts.append(_axes(top, maximum))
    line = " ".join(f"{_num(x)},{_num(y)}" for x, y in xy)
    parts.append(f'<polyline points="{line}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
    for (label, value), (x, y) in zip(points, xy, strict=True):
        parts.append(
            f'<circle class="point" data-label={quoteattr(label)} data-value="{value}" '
            f'cx="{_num(x)}" cy="{_num(y)}" r="3" fill="{ACCENT}">'
            f"<title>{escape(label)}: {value}</title></circle>"
        )
    parts.append(_x_labels(points, [x for x, _ in xy]))
    return "".join(parts) + "</svg>"


def hbar_chart(chart_id: str, title: str, points: Sequence[Point], empty: str) -> str:
    """Horizontal bars, one row per point with its label and value (e.g. labels)."""
    if not points:
        return _empty(chart_id, title, empty)
    height = PAD_TOP * 2 + BAR_ROW * len(points)
    maximum = max(1, max(v for _, v in points))
    span = WIDTH - LABEL_W - PAD_RIGHT - 48
    desc = f"{title}: " + ", ".join(f"{label} {value}" for label, value in points)
    parts = [_open(chart_id, title, desc, WIDTH, height)]
    for i, (label, value) in enumerate(points):
        y = PAD_TOP + i * BAR_ROW
        w = span * value / maximum
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + 16}" text-anchor="end" font-size="13" '
            f'fill="currentColor">{escape(label)}</text>'
            f'<rect class="bar" data-label={quoteattr(label)} data-value="{value}" '
            f'x="{LABEL_W}" y="{y + 3}" width="{_num(w)}" height="{BAR_ROW - 8}" '
            f'fill="{ACCENT}"><title>{escape(label)}: {value}</title></rect>'
            f'<text x="{_num(LABEL_W + w + 6)}" y="{y + 16}" font-size="13" '
            f'fill="currentColor">{value}</text>'
        )
    return "".join(parts) + "</svg>"
