"""Server-side SVG charts: parsed as XML, their bars and points match the data, their alt
text states it, and no data gives a readable empty chart."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from bot.render.svg_charts import bar_chart, describe_series, hbar_chart, line_chart

NS = "{http://www.w3.org/2000/svg}"
DAYS = [("12 Nov", 40), ("13 Nov", 52), ("14 Nov", 0), ("15 Nov", 7)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def marks(root: ET.Element, tag: str) -> list[tuple[str, int, ET.Element]]:
    return [
        (e.attrib["data-label"], int(e.attrib["data-value"]), e)
        for e in root.iter(NS + tag)
        if "data-value" in e.attrib
    ]


def labelled_by(root: ET.Element) -> tuple[str, str]:
    title, desc = root.find(NS + "title"), root.find(NS + "desc")
    assert title is not None and desc is not None and title.text and desc.text
    assert root.attrib["role"] == "img"
    assert root.attrib["aria-labelledby"].split() == [title.attrib["id"], desc.attrib["id"]]
    return title.text, desc.text


def test_bar_chart_has_one_bar_per_day_with_heights_proportional_to_the_values() -> None:
    root = parse(bar_chart("answers", "Answers per day", DAYS, "no answers yet"))
    bars = marks(root, "rect")
    assert [(label, value) for label, value, _ in bars] == DAYS
    heights = [float(e.attrib["height"]) for _, _, e in bars]
    assert heights[2] == 0 and max(heights) == heights[1]
    assert abs(heights[0] / heights[1] - 40 / 52) < 0.01
    xs = [float(e.attrib["x"]) for _, _, e in bars]
    assert xs == sorted(xs)
    assert labelled_by(root) == (
        "Answers per day",
        "Answers per day, 12 Nov to 15 Nov: 40, 52, 0, 7",
    )


def test_line_chart_puts_a_point_per_day_higher_for_bigger_totals() -> None:
    totals = [("1 Jan", 3), ("2 Jan", 10), ("3 Jan", 10), ("4 Jan", 25)]
    root = parse(line_chart("progress", "Finalized", totals, "none"))
    points = marks(root, "circle")
    assert [(label, value) for label, value, _ in points] == totals
    ys = [float(e.attrib["cy"]) for _, _, e in points]
    assert ys[0] > ys[1] == ys[2] > ys[3]  # SVG y grows downwards
    line = root.find(NS + "polyline")
    assert line is not None and len(line.attrib["points"].split()) == 4
    assert labelled_by(root)[1] == "Finalized, 1 Jan to 4 Jan: 3, 10, 10, 25"


def test_one_point_is_drawn_and_described() -> None:
    root = parse(line_chart("p", "Finalized", [("1 Jan", 4)], "none"))
    assert [v for _, v, _ in marks(root, "circle")] == [4]
    assert labelled_by(root)[1] == "Finalized, 1 Jan: 4"


def test_horizontal_bars_name_each_label_and_escape_it() -> None:
    labels = [("cat", 12), ("dog <&>", 3)]
    svg = hbar_chart("labels", "Labels", labels, "no labels yet")
    root = parse(svg)
    bars = marks(root, "rect")
    assert [(label, value) for label, value, _ in bars] == labels
    widths = [float(e.attrib["width"]) for _, _, e in bars]
    assert abs(widths[1] / widths[0] - 3 / 12) < 0.01
    assert "dog <&>" in [t.text for t in root.iter(NS + "text")]
    assert labelled_by(root)[1] == "Labels: cat 12, dog <&> 3"
    assert "style=" not in svg


def test_no_data_gives_a_readable_empty_chart_for_every_kind() -> None:
    for chart in (bar_chart, line_chart, hbar_chart):
        root = parse(chart("c", "Answers per day", [], "no answers yet"))
        assert marks(root, "rect") == [] and marks(root, "circle") == []
        assert labelled_by(root)[1] == "Answers per day: no answers yet"
        assert [t.text for t in root.iter(NS + "text")] == ["no answers yet"]
    assert describe_series("T", [], "empty") == "T: empty"
