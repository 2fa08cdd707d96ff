"""Forget me leaves no name and no platform id behind (issue 12, hole 10): not in round
state, not in the audit or review logs, not in tallies or campaigns, not in the log lines of
the forget; and the tallies are recounted in the deleting transaction."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.core.campaigns.cases import CreateRequest
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import PlayerRef
from storage import SqlStore
from tests.review.owned import own
from tests.support.doodles import doodle_campaign
from tests.support.engine import GENERAL, answer_payload, choice_payload, consented, player
from tests.support.seeds import seed_campaign

NAME, USER_ID = "Zoe Quillfeather", "u90771"
ZOE = PlayerRef("discord", USER_ID, NAME, GENERAL, True)


async def _tables(store: SqlStore) -> list[str]:
    async with store.db.read() as c:
        if store.db.dialect == "postgres":
            rows = await c.fetch(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
        else:
            rows = await c.fetch("SELECT name FROM sqlite_master WHERE type = 'table'")
    return [str(r[0]) for r in rows]


async def mentions(store: SqlStore, *needles: str) -> list[tuple[str, Any]]:
    """Every (table, value) of the whole database whose text holds one of `needles`."""
    found: list[tuple[str, Any]] = []
    for table in await _tables(store):
        async with store.db.read() as c:
            rows = await c.fetch(f"SELECT * FROM {table}")
        for row in rows:
            for value in tuple(row):
                text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                if any(n in str(text) for n in needles):
                    found.append((table, value))
    return found


async def _play_moderate_create(engine: Engine, store: SqlStore, clock: ManualClock) -> int:
    """Zoe answers a round, decides it in review, solves a doodle and creates a campaign;
    returns the reviewed item."""
    shared = await seed_campaign(
        store, game="classify", items=3, min_overlap=2, max_overlap=3, confidence=0.9
    )
    camp = await own(engine, shared)  # Zoe moderates her own community's campaign
    a, b = player(1, GENERAL), player(2, GENERAL)
    await consented(engine, ZOE, a, b)
    card = await engine.play.post_round(ZOE, camp.name)
    clock.advance(5)
    for ref, label in ((a, "red"), (b, "green"), (ZOE, "blue")):
        await engine.handle_button(ref, answer_payload(card, label))
    item_id = (await store.get_round(card.round_id or 0)).item_id  # type: ignore[union-attr]
    review = await engine.review.review(ZOE, camp.name)
    await engine.handle_button(ZOE, choice_payload(review, "green"))
    tally = await store.get_tally(camp.id, item_id)
    assert tally is not None and tally.reviewed_by == f"discord:{USER_ID}"

    await doodle_campaign(store, ("cat",))
    await engine.play.post_round(ZOE, "Doodles")
    clock.advance(4)
    await engine.quickdraw.guess(ZOE, "cat")
    await engine.campaigns.campaign_create(
        ZOE,
        CreateRequest(
            "Zoe's own", game="classify", options=["red", "green"], dataset="colours-data"
        ),
    )
    return item_id


async def test_forget_scrubs_every_name_and_id_and_recounts_at_once(
    engine: Engine, store: SqlStore, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    item_id = await _play_moderate_create(engine, store, clock)
    before = {t for t, _ in await mentions(store, NAME, USER_ID)}
    # the places hole 10 found, besides the player's own rows
    assert {"rounds", "audit_log", "review_log", "tallies", "campaigns"} <= before

    caplog.set_level(logging.INFO)  # the level a bot runs at (drivers trace SQL at DEBUG)
    caplog.clear()
    await engine.handle_button(ZOE, "v1:f:1")
    left = await mentions(store, NAME, USER_ID)
    assert left == [], left
    said = [r.getMessage() for r in caplog.records]
    assert any("deleted their data" in m for m in said)
    assert not [m for m in said if NAME in m or USER_ID in m]

    camp = next(c for c in await store.list_campaigns() if c.name == "colours")
    tally = await store.get_tally(camp.id, item_id)
    assert tally is not None and tally.n_answers == 2  # Zoe's answer is out of the count
    assert (tally.status, tally.reviewed_label) == ("reviewed", "green")
    assert tally.reviewed_by and tally.reviewed_by.startswith("deleted")


async def test_a_failed_recount_rolls_the_deletion_back(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=1, min_overlap=2, max_overlap=4)
    card = await engine.play.post_round(player(0, GENERAL, moderator=True))
    a = player(1, GENERAL)
    await consented(engine, a)
    clock.advance(5)
    await engine.handle_button(a, answer_payload(card, "red"))
    ident = await store.get_identity("discord", "u1")
    assert ident is not None

    async def crash(unit: Any, keys: list[tuple[int, int]]) -> None:
        assert await unit.item_answers(camp.id, keys[0][1]) == []  # the delete is visible
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        await store.delete_player(ident.player_id, recount=crash)
    assert await store.get_identity("discord", "u1") is not None  # nothing half done
    assert len(await store.campaign_answers(camp.id)) == 1
