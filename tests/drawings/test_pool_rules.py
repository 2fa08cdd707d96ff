"""A player drawing in the doodle pool on SQLite and PostgreSQL: a round shows it, its author
cannot guess it and earns points when others recognise it, a moderator hides it for good."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import InvalidInput, NoTaskAvailable, NotFound
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind
from bot.core.rewards.points import DRAWING_POINTS
from storage import SqlStore
from tests.drawings.helpers import drawing_campaign, square
from tests.support.doodles import person, players, private, rows

MOD = person(1, "Mo", mod=True)


async def _drawn(engine: Engine, store: SqlStore) -> tuple[int, str, int]:
    """Ann draws in the group community's campaign whose imported doodles are all labelled
    already, so rounds can only show her drawing. Returns (drawing id, word, item id)."""
    campaign = await drawing_campaign(store)
    community = await store.upsert_community("telegram", "-100777", "Doodlers", 0.0)
    async with store.db.transaction() as tx:
        await tx.execute("UPDATE campaigns SET community_id = ?", (community.id,))
    engine.kernel.forget_campaign(campaign.id)
    (ann,) = await players(engine, "Ann")
    p = await engine.drawings.prompt(private(ann))
    done = await engine.drawings.submit(private(ann), p.id, square(), "telegram")
    drawing = await store.get_drawing(done.drawing_id)
    assert drawing is not None
    async with store.db.transaction() as tx:
        await tx.execute(
            "UPDATE tallies SET status = 'finalized' WHERE campaign_id = ? AND item_id <> ?",
            (campaign.id, drawing.item_id),
        )
    return drawing.id, p.word, drawing.item_id


async def test_a_round_shows_the_drawing_and_only_others_can_guess_it(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    _, word, item_id = await _drawn(engine, store)
    ann, bob = await players(engine, "Ann", "Bob")
    card = await engine.play.post_round(MOD)
    assert card.media is not None and card.media.kind == "animation"
    (rnd,) = await rows(store, "SELECT item_id FROM rounds WHERE id = ?", card.round_id)
    assert rnd[0] == item_id
    clock.advance(5)
    with pytest.raises(InvalidInput, match="your own drawing"):
        await engine.quickdraw.guess(ann, word)
    ident = await store.get_identity("telegram", ann.external_id)
    assert ident is not None
    assert await rows(store, "SELECT id FROM guesses WHERE player_id = ?", ident.player_id) == []
    right = await engine.quickdraw.guess(bob, word)
    assert right.text.startswith("✅")
    paid = await rows(store, "SELECT player_id, points, reason FROM ledger WHERE kind = 'drawing'")
    reason = f"+{DRAWING_POINTS} your drawing of {word} was recognised"
    assert paid == [(ident.player_id, DRAWING_POINTS, reason)]
    help_text = engine.players.help(bob).text
    assert "cannot guess your own" in help_text


async def test_a_hidden_drawing_is_never_shown_again(engine: Engine, store: SqlStore) -> None:
    drawing_id, word, _ = await _drawn(engine, store)
    said = await engine.drawings.hide(MOD, drawing_id)
    assert f"#{drawing_id}" in said and word in said
    with pytest.raises(NotFound, match="labelled or already in play"):
        await engine.play.post_round(MOD)
    _, bob = await players(engine, "Ann", "Bob")
    with pytest.raises(NoTaskAvailable):  # nor in a solo series
        await engine.quickdraw.doodle_series(private(bob))
    again = await engine.drawings.hide(MOD, drawing_id)
    assert "already hidden" in again
    (audit,) = await rows(store, "SELECT action FROM audit_log WHERE action = 'drawing.hide'")
    assert audit == ("drawing.hide",)


async def test_only_a_moderator_of_its_community_may_hide_it(
    engine: Engine, store: SqlStore
) -> None:
    drawing_id, _, _ = await _drawn(engine, store)
    other = ChannelRef(
        "telegram", "-100888", "Others", Kind.GROUP, CommunityRef("telegram", "-100888", "Others")
    )
    stranger_mod = person(2, "Sam", other, mod=True)
    (bob,) = await players(engine, "Bob")
    with pytest.raises(NotFound) as far:
        await engine.drawings.hide(stranger_mod, drawing_id)
    with pytest.raises(NotFound) as plain:
        await engine.drawings.hide(bob, drawing_id)
    with pytest.raises(NotFound) as missing:
        await engine.drawings.hide(MOD, drawing_id + 99)
    assert far.value.message == plain.value.message == f"No drawing #{drawing_id} here."
    assert missing.value.message == f"No drawing #{drawing_id + 99} here."
    await engine.drawings.hide(MOD, drawing_id)


async def test_a_solo_series_never_serves_the_author_their_own_drawing(
    engine: Engine, store: SqlStore
) -> None:
    _, _, item_id = await _drawn(engine, store)
    ann, bob = await players(engine, "Ann", "Bob")
    with pytest.raises(NoTaskAvailable):  # her drawing is the only doodle left
        await engine.quickdraw.doodle_series(private(ann))
    card = await engine.quickdraw.doodle_series(private(bob))  # others get it
    assert card.round_id is not None
    (rnd,) = await rows(store, "SELECT item_id FROM rounds WHERE id = ?", card.round_id)
    assert rnd[0] == item_id
