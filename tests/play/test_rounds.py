"""Channel rounds: posted by moderators, votes hidden until close, late answers refused."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.codec import encode
from bot.core.kernel.errors import PermissionDenied, RoundClosed, UnknownPayload, WrongPlace
from bot.core.kernel.events import RoundChanged
from storage import SqlStore
from tests.support.engine import GENERAL, answer_payload, consented, player
from tests.support.seeds import seed_campaign


async def test_only_moderators_post_rounds_and_only_in_groups(
    engine: Engine, store: SqlStore
) -> None:
    await seed_campaign(store)
    with pytest.raises(PermissionDenied, match="Only moderators"):
        await engine.play.post_round(player(1, GENERAL))
    with pytest.raises(WrongPlace):
        await engine.play.post_round(player(1, moderator=True))


async def test_a_round_hides_votes_until_it_closes(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_campaign(store, items=3, min_overlap=3, max_overlap=5)
    events: list[RoundChanged] = []
    engine.bus.subscribe(lambda e: events.append(e) if isinstance(e, RoundChanged) else None)
    card = await engine.play.post_round(player(0, GENERAL, moderator=True))
    assert card.round_id is not None and "0 players have answered" in card.text
    voters = [player(i, GENERAL) for i in range(1, 5)]
    await consented(engine, *voters)
    clock.advance(10)
    replies = await asyncio.gather(
        *(
            engine.handle_button(v, answer_payload(card, "Yes" if i < 3 else "No"))
            for i, v in enumerate(voters)
        )
    )
    assert all(r.ephemeral and r.notice and "Vote recorded" in r.notice for r in replies)
    open_card = await engine.play.round_card(card.round_id)
    assert "4 players have answered" in open_card.text
    assert "Yes" not in open_card.text.split("\n")[-1]  # no running split while open
    assert open_card.choices
    assert {e.round_id for e in events} == {card.round_id}
    clock.advance(engine.settings.game.round_seconds)
    assert await engine.tick() == 1
    closed = await engine.play.round_card(card.round_id)
    assert "Votes: Yes 3 · No 1 · Not sure 0" in closed.text
    assert "Crowd label final: Yes" in closed.text
    assert closed.choices == ()
    assert events[-1].closed
    late = player(5, GENERAL)
    await consented(engine, late)
    with pytest.raises(RoundClosed, match="closed"):
        await engine.handle_button(late, answer_payload(card, "No"))
    assert len(await store.round_answers(card.round_id)) == 4


async def test_unknown_and_stale_payloads(engine: Engine, store: SqlStore) -> None:
    await seed_campaign(store)
    p = player(1, GENERAL)
    await consented(engine, p)
    for bad in ["", "hello", "v2:a:1:1", "v1:z:1", "v1:a:1", "v1:a:zzzzzzzzzzzzzz:1"]:
        with pytest.raises(UnknownPayload):
            await engine.handle_button(p, bad)
    with pytest.raises(UnknownPayload, match="no longer exists"):
        await engine.handle_button(p, "v1:a:999:0")
    card = await engine.play.post_round(player(0, GENERAL, moderator=True))
    with pytest.raises(UnknownPayload, match="does not match"):
        await engine.handle_button(p, encode("a", card.round_id or 0, 9))
