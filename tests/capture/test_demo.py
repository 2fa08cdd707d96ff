"""The demo's capture campaign (`bot.demo.capture_sim.run_capture`): contributions stored
within the consents, verified by the simulated community, accepted and rejected."""

from __future__ import annotations

from pathlib import Path

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.demo.capture_sim import CAMPAIGN, CONTRIBUTORS, PHOTOS_EACH, run_capture
from bot.demo.simulate import make_players
from storage import open_store
from tests.support.settings import settings_for


async def test_simulated_capture(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    store = await open_store(db)
    clock = ManualClock()
    settings = settings_for(db)
    engine = Engine(store, settings, clock)
    try:
        players = make_players(40, seed=3)
        figures = await run_capture(engine, clock, store, settings, players, seed=3)
    finally:
        await engine.close()
        await store.close()
    assert figures["campaign"] == CAMPAIGN
    assert figures["refused_consent"] == PHOTOS_EACH  # the first contributor refused (1)
    assert figures["contributions"] == (CONTRIBUTORS - 1) * PHOTOS_EACH
    assert figures["accepted"] > 0 and figures["rejected"] > 0
    assert figures["settle_accuracy"] >= 0.7
    assert figures["not_for_publication"] == PHOTOS_EACH  # the second refused (3)
    assert figures["published_dataset"] <= figures["owner_dataset"] <= figures["accepted"]
