"""Solo sessions: one task after another, never the same item twice, overlap respected."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.codec import decode
from bot.core.kernel.errors import NoTaskAvailable, PermissionDenied, RoundClosed
from storage import SqlStore
from tests.support.engine import answer_payload, buttons, consented, player
from tests.support.seeds import seed_campaign


async def test_a_player_never_sees_an_item_twice(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_campaign(store, items=5, min_overlap=3, max_overlap=3)
    p = player(1)
    await consented(engine, p)
    seen = []
    card = await engine.play.next_task(p)
    while True:
        rnd = await store.get_round(card.round_id or 0)
        assert rnd is not None
        seen.append(rnd.item_id)
        clock.advance(5)
        reply = await engine.handle_button(p, answer_payload(card, "Yes"))
        chain = reply.chain()
        assert "Your answer: Yes" in chain[0].text and chain[0].replace
        card = chain[1]
        if card.round_id is None:
            assert "No tasks" in card.text
            break
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 5
    assert card.media is None


async def test_image_cards_carry_the_image_and_a_skip(engine: Engine, store: SqlStore) -> None:
    await seed_campaign(store, items=2)
    p = player(1)
    await consented(engine, p)
    card = await engine.play.next_task(p)
    assert card.media is not None and card.media.data.startswith(b"\x89PNG")
    assert card.media.alt_text
    assert "Is this red?" in card.text
    labels = [label for label, _ in buttons(card)]
    assert labels == ["Yes", "No", "Not sure", "Skip ⏭"]
    assert card.ephemeral


async def test_items_at_their_overlap_are_not_served(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    """One item, overlap 2: two players are served (reserved), a third finds nothing."""
    await seed_campaign(store, items=1, min_overlap=2, max_overlap=2)
    a, b, c = player(1), player(2), player(3)
    await consented(engine, a, b, c)
    card_a = await engine.play.next_task(a)
    await engine.play.next_task(b)
    with pytest.raises(NoTaskAvailable):
        await engine.play.next_task(c)
    clock.advance(4)
    await engine.handle_button(a, answer_payload(card_a, "Yes"))
    with pytest.raises(NoTaskAvailable):
        await engine.play.next_task(c)


async def test_expired_reservations_free_the_item(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_campaign(store, items=1, min_overlap=1, max_overlap=1)
    a, b = player(1), player(2)
    await consented(engine, a, b)
    card = await engine.play.next_task(a)
    with pytest.raises(NoTaskAvailable):
        await engine.play.next_task(b)
    clock.advance(engine.settings.game.reservation_minutes * 60 + 1)
    assert await engine.tick() == 1
    assert (await engine.play.next_task(b)).round_id is not None
    with pytest.raises(RoundClosed, match="expired"):
        await engine.handle_button(a, answer_payload(card, "Yes"))


async def test_skip_moves_on_and_the_skipped_item_does_not_return(
    engine: Engine, store: SqlStore
) -> None:
    await seed_campaign(store, items=2)
    p = player(1)
    await consented(engine, p)
    card = await engine.play.next_task(p)
    first = (await store.get_round(card.round_id or 0)).item_id  # type: ignore[union-attr]
    skip = next(pl for _, pl in buttons(card) if decode(pl).action == "s")
    chain = (await engine.handle_button(p, skip)).chain()
    assert chain[0].text.startswith("⏭ Skipped")
    second = (await store.get_round(chain[1].round_id or 0)).item_id  # type: ignore[union-attr]
    assert second != first
    skip2 = next(pl for _, pl in buttons(chain[1]) if decode(pl).action == "s")
    last = (await engine.handle_button(p, skip2)).chain()[-1]
    assert "No tasks" in last.text


async def test_someone_elses_card_is_refused(engine: Engine, store: SqlStore) -> None:
    await seed_campaign(store, items=2)
    a, b = player(1), player(2)
    await consented(engine, a, b)
    card = await engine.play.next_task(a)
    with pytest.raises(PermissionDenied):
        await engine.handle_button(b, answer_payload(card, "No"))
    assert await store.round_answers(card.round_id or 0) == []


async def test_classify_on_text_items(engine: Engine, store: SqlStore, clock: ManualClock) -> None:
    await seed_campaign(store, game="classify", items=3, text_items=True)
    p = player(1)
    await consented(engine, p)
    card = await engine.play.next_task(p)
    assert card.media is None and "The colour of item" in card.text
    assert [label for label, _ in buttons(card)] == ["red", "green", "blue", "Skip ⏭"]
    clock.advance(3)
    reply = await engine.handle_button(p, answer_payload(card, "green"))
    assert "Your answer: green" in reply.chain()[0].text
