"""The demo's rating campaign: simulated players rate generated glasses; the finalised
medians are close to the truth and the figures are reproducible for a seed."""

from __future__ import annotations

from typing import Any, cast

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.demo.rate_sim import GLASSES, glass_items, run_rate
from bot.demo.simulate import make_players
from tests.support.images import open_image, rgb_at


async def test_the_simulated_community_rates_the_glasses(
    engine: Engine, clock: ManualClock
) -> None:
    settings = cast(Any, engine.settings)
    got = await run_rate(engine, clock, engine.store, settings, make_players(40, 1), 1)
    assert got["items"] == GLASSES
    assert got["finalized"] + got["review"] <= GLASSES
    assert got["finalized"] >= GLASSES // 2
    assert got["mae"] is not None and got["mae"] <= 0.3
    assert got["accuracy"] >= 0.7
    assert got["alpha"] is not None and 0.5 <= got["alpha"] <= 1.0


def _water_rows(data: bytes) -> int:
    """Rows of the glass's middle column painted water-blue."""
    image = open_image(data, "PNG")
    return sum(rgb_at(image, (60, y)) == (80, 150, 220) for y in range(image.height))


def test_glasses_are_drawn_to_their_level() -> None:
    items = glass_items(10, seed=3)
    assert sorted(int(i.truth or 0) for i in items) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # The glass is 90 px tall: rating r fills (r - 0.5) / 5 of it, within 4% (about 4 px).
    for i in items:
        assert i.media is not None
        want = 90 * (int(i.truth or 0) - 0.5) / 5
        assert abs(_water_rows(i.media) - want) <= 6, i.truth
    assert [i.truth for i in glass_items(10, seed=3)] == [i.truth for i in items]
