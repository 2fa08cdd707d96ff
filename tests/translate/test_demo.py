"""The demo's translation campaign: simulated players translate, validate and compare; every
sentence is decided and most accepted translations are the reference."""

from __future__ import annotations

from typing import Any, cast

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.demo.simulate import make_players
from bot.demo.translate_sim import CORPUS, run_translate


async def test_the_simulated_community_decides_every_sentence(
    engine: Engine, clock: ManualClock
) -> None:
    settings = cast(Any, engine.settings)
    got = await run_translate(engine, clock, engine.store, settings, make_players(40, 1), 1)
    assert got["sources"] == len(CORPUS) == 30
    assert got["translations"] == 3 * got["sources"]  # the overlap caps stage one
    assert got["accepted"] + got["review"] == got["sources"]
    assert got["candidates"] <= got["translations"]
    assert got["accepted"] >= 15 and got["accuracy"] >= 0.8
