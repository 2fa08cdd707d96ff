"""The demo's accuracy table: every weighted method beats plain majority vote (seed 7)."""

from __future__ import annotations

from bot.demo.run import run_demo
from tests.support.settings import settings_for


async def test_weighted_methods_beat_plain_majority_vote_on_the_demo() -> None:
    summary = await run_demo(settings_for(":memory:"), seed=7)
    acc = summary.accuracy
    assert set(acc) == {"live", "mv", "wawa", "ds", "onecoin", "sds"}
    beaten = {m: v for m, v in acc.items() if m != "mv" and v <= acc["mv"]}
    assert not beaten, f"not better than majority vote ({acc['mv']}): {beaten}"
