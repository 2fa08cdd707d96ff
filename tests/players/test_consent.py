"""Consent comes first: nothing is stored before a player agrees, and declining stores nothing."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.kernel.errors import NotConsented
from storage import SqlStore
from tests.support.engine import GENERAL, buttons, player
from tests.support.seeds import seed_campaign


async def test_start_shows_what_is_stored_and_asks_first(engine: Engine, store: SqlStore) -> None:
    reply = await engine.players.start(player(1))
    assert "what I store" in reply.text
    assert "Nothing is stored until you agree" in reply.text
    assert [label for label, _ in buttons(reply)] == ["✅ I agree", "No thanks"]
    assert await store.get_identity("discord", "u1") is None


async def test_decline_stores_nothing(engine: Engine, store: SqlStore) -> None:
    reply = await engine.handle_button(player(1, GENERAL), "v1:c:0")
    assert "nothing was stored" in reply.text
    assert await store.get_identity("discord", "u1") is None
    assert await store.list_communities() == []


async def test_no_task_and_no_answer_before_consent(engine: Engine, store: SqlStore) -> None:
    await seed_campaign(store)
    with pytest.raises(NotConsented):
        await engine.play.next_task(player(1))
    mod = player(9, GENERAL, moderator=True)
    card = await engine.play.post_round(mod)
    with pytest.raises(NotConsented):
        await engine.handle_button(player(1, GENERAL), buttons(card)[0][1])
    assert await store.get_identity("discord", "u1") is None
    assert await store.round_answers(card.round_id or 0) == []


async def test_accept_creates_player_with_consent_record(engine: Engine, store: SqlStore) -> None:
    reply = await engine.handle_button(player(1, GENERAL), "v1:c:1")
    assert "You're in" in reply.text
    ident = await store.get_identity("discord", "u1")
    assert ident is not None and ident.display_name == "Player1"
    history = await store.consent_history(ident.player_id)
    assert [v for v, _, _ in history] == [1]
    again = await engine.handle_button(player(1, GENERAL), "v1:c:1")
    assert "You're in" in again.text
    assert len(await store.consent_history(ident.player_id)) == 1
    welcome = await engine.players.start(player(1))
    assert "Welcome back" in welcome.text
