"""The demo's colours campaign: the simulated community selects the colours it sees in real
Pillow pictures; most items finalise and their labels match the truth."""

from __future__ import annotations

from typing import Any, cast

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.demo.multilabel_sim import run_multilabel
from bot.demo.simulate import make_players


async def test_the_simulated_community_labels_the_colours(
    engine: Engine, clock: ManualClock
) -> None:
    settings = cast(Any, engine.settings)
    got = await run_multilabel(engine, clock, engine.store, settings, make_players(40, 1), 1)
    assert got["items"] == 60 and got["gold_items"] == 6
    assert got["finalized"] + got["review"] >= 40
    assert got["accuracy"] >= 0.85 and got["exact_match"] >= 0.6
