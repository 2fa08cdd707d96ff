"""A process killed between a right first guess's answer and its guess row: the next
process finishes the job without paying twice."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import SqlStore
from tests.support.doodles import doodle_campaign, person, players, rows
from tests.support.settings import settings_for

MOD = person(1, "Mo", mod=True)


async def test_a_right_guess_cut_short_by_a_crash_is_not_paid_twice(
    engine: Engine, store: SqlStore, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await doodle_campaign(store, ("cat",))
    card = await engine.play.post_round(MOD)
    assert card.round_id is not None
    (ann,) = await players(engine, "Ann")
    clock.advance(5)

    async def killed(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the process died here")

    with monkeypatch.context() as m:
        m.setattr(store, "write_guess", killed)
        with pytest.raises(RuntimeError):
            await engine.quickdraw.guess(ann, "cat")
    paid = await rows(store, "SELECT points FROM ledger WHERE kind = 'guess'")
    assert len(paid) == 1 and paid[0][0] > 0  # the answer (and its points) was stored

    restarted = Engine(store, settings_for(":memory:"), clock)
    try:
        clock.advance(2)
        reply = await restarted.quickdraw.guess(ann, "cat")
        assert reply.text.startswith("✅")
        again = await restarted.quickdraw.guess(ann, "cat")
        assert "already" in again.text.lower()
    finally:
        await restarted.close()
    assert await rows(store, "SELECT points FROM ledger WHERE kind = 'guess'") == paid
    (state,) = await rows(store, "SELECT state FROM rounds WHERE id = ?", card.round_id)
    assert [s["name"] for s in json.loads(state[0])["solved"]] == ["Ann"]  # among the solvers
