"""The demo's locate campaign (`bot.demo.locate_sim.run_locate`): the simulated community
boxes the balls of Pillow-drawn scenes through `engine.play.answer_value`, and the merged
boxes find the true ones."""

from __future__ import annotations

from pathlib import Path

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.demo.locate_sim import CAMPAIGN, run_locate
from bot.demo.simulate import make_players
from storage import open_store
from tests.support.settings import settings_for


async def test_simulated_locate(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    store = await open_store(db)
    clock = ManualClock()
    settings = settings_for(db)
    engine = Engine(store, settings, clock)
    try:
        players = make_players(40, seed=3)
        figures = await run_locate(engine, clock, store, settings, players, seed=3, items=24)
    finally:
        await engine.close()
        await store.close()
    assert figures["campaign"] == CAMPAIGN
    assert figures["finalized"] > 0 and figures["true_boxes"] > 0
    assert figures["accuracy"] >= 0.8, figures
    assert figures["false_boxes"] <= figures["true_boxes"] * 0.2, figures
