"""Campaign progress chart: the stacked bar matches the counts, the alt text has the numbers."""

from __future__ import annotations

import pytest

from bot.render import CampaignProgress, render_progress
from bot.render.progress import BAR, FINALIZED, IN_PROGRESS, IN_REVIEW, NOT_STARTED, percent
from tests.support.images import close, open_image, rgb_at


def _segment_widths(data: bytes) -> list[int]:
    image = open_image(data, "PNG").convert("RGB")
    left, top, right, bottom = BAR
    y = (top + bottom) // 2
    row = [rgb_at(image, (x, y)) for x in range(left, right)]
    return [
        sum(1 for c in row if close(c, colour, 16))
        for colour in (FINALIZED, IN_REVIEW, IN_PROGRESS, NOT_STARTED)
    ]


def test_chart_is_a_small_png_with_the_numbers_in_alt_text() -> None:
    p = CampaignProgress("Birds of Europe", 1234, 300, 200, 3266)
    result = render_progress(p)
    image = open_image(result.data, "PNG")
    assert image.size == (result.width, result.height)
    assert len(result.data) < 100 * 1024
    for fact in (
        "Birds of Europe",
        "1,234 of 5,000",
        "300 in review",
        "200 in progress",
        "3,266 not started",
    ):
        assert fact in result.alt_text


@pytest.mark.parametrize("counts", [(1234, 300, 200, 3266), (1, 1, 1, 1), (0, 0, 5, 15)])
def test_bar_segments_are_proportional(counts: tuple[int, int, int, int]) -> None:
    widths = _segment_widths(render_progress(CampaignProgress("C", *counts)).data)
    span = BAR[2] - BAR[0]
    total = sum(counts)
    for width, count in zip(widths, counts, strict=True):
        assert width == pytest.approx(span * count / total, abs=3)


def test_empty_campaign_renders() -> None:
    result = render_progress(CampaignProgress("Nothing yet", 0, 0, 0, 0))
    open_image(result.data, "PNG")
    assert "no items yet" in result.alt_text


def test_shares_never_round_to_misleading_values() -> None:
    assert percent(1, 1000) == "<1%"
    assert percent(999, 1000) == ">99%"
    assert percent(1000, 1000) == "100%"
    assert percent(0, 1000) == "0%"
    assert percent(1, 4) == "25%"


def test_negative_counts_are_named() -> None:
    with pytest.raises(ValueError, match="in_review"):
        CampaignProgress("C", 1, -1, 0, 0)
