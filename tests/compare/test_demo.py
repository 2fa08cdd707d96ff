"""The demo's compare campaign: the simulated community recovers the order of the shapes by
area (Spearman of the fitted ranking against the truth)."""

from __future__ import annotations

from typing import Any, cast

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.demo.compare_sim import SHAPES, run_compare
from bot.demo.simulate import make_players


async def test_the_simulated_community_ranks_the_shapes(
    engine: Engine, clock: ManualClock
) -> None:
    settings = cast(Any, engine.settings)
    got = await run_compare(engine, clock, engine.store, settings, make_players(30, 1), 1)
    assert got["items"] == SHAPES == 12
    assert 36 <= got["pairs"] <= 40  # 12 items x 6 comparisons each (greedy: a few more)
    assert got["comparisons"] <= got["answers"] and got["comparisons"] >= 36
    assert got["accuracy"] >= 0.9
