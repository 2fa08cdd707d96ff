"""Drawing-page links (`engine.draw_links`), on SQLite and PostgreSQL: a link names its one
player and is used once, for one prompt; reused, expired and unknown links get the same
words; the drawing is accepted with the token only for the prompt it was used for (never for
another player's prompt); only digests are stored; forgetting the player deletes them."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.access.drawlinks import DRAW_LINK_USED, DRAW_NOT_SET_UP
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import InvalidInput, NotConsented, NotFound
from storage import SqlStore
from tests.support.engine import GENERAL, consented, player

ADA = player(31, GENERAL)
BOB = player(32, GENERAL)


async def _token(engine: Engine, who: Any = ADA, minutes: int = 10) -> str:
    await consented(engine, who)
    link = await engine.draw_links.link(who, public_url="https://lq.example/", minutes=minutes)
    assert link.url.startswith("https://lq.example/draw?token=")
    assert link.reply.ephemeral
    return link.url.split("token=")[1]


async def _rows(store: SqlStore, sql: str) -> list[Any]:
    async with store.db.read() as c:
        rows: list[Any] = await c.fetch(sql)
    return [tuple(r) for r in rows]


async def _refused(call: Any) -> str:
    with pytest.raises(NotFound) as caught:
        await call
    return caught.value.message


async def test_a_link_names_its_player_and_is_used_once(engine: Engine) -> None:
    token = await _token(engine)
    holder = await engine.draw_links.holder(token)
    assert (holder.platform, holder.external_id) == (ADA.platform, ADA.external_id)
    await engine.draw_links.use(token, 7)
    assert await _refused(engine.draw_links.holder(token)) == DRAW_LINK_USED
    assert await _refused(engine.draw_links.use(token, 8)) == DRAW_LINK_USED
    submitter = await engine.draw_links.submitter(token, 7)
    assert submitter.external_id == ADA.external_id
    assert await _refused(engine.draw_links.submitter(token, 8)) == DRAW_LINK_USED


async def test_expired_and_unknown_links_get_the_same_words(
    engine: Engine, clock: ManualClock
) -> None:
    token = await _token(engine, minutes=1)
    clock.advance(61)
    assert await _refused(engine.draw_links.holder(token)) == DRAW_LINK_USED
    assert await _refused(engine.draw_links.use(token, 1)) == DRAW_LINK_USED
    assert await _refused(engine.draw_links.holder("no-such-token")) == DRAW_LINK_USED


async def test_another_players_token_never_submits_for_my_prompt(engine: Engine) -> None:
    mine, theirs = await _token(engine, ADA), await _token(engine, BOB)
    await engine.draw_links.use(mine, 11)
    await engine.draw_links.use(theirs, 12)
    assert await _refused(engine.draw_links.submitter(theirs, 11)) == DRAW_LINK_USED
    assert (await engine.draw_links.submitter(theirs, 12)).external_id == BOB.external_id


async def test_without_public_url_drawing_is_not_set_up(engine: Engine) -> None:
    with pytest.raises(InvalidInput) as caught:
        await engine.draw_links.link(ADA, public_url="", minutes=10)
    assert caught.value.message == DRAW_NOT_SET_UP


async def test_an_unconsented_player_is_sent_to_consent_and_nothing_is_stored(
    engine: Engine, store: SqlStore
) -> None:
    with pytest.raises(NotConsented):
        await engine.draw_links.link(ADA, public_url="https://lq.example", minutes=10)
    assert await _rows(store, "SELECT * FROM draw_links") == []
    assert await _rows(store, "SELECT * FROM players") == []


async def test_only_digests_are_stored_and_forgetting_deletes_them(
    engine: Engine, store: SqlStore
) -> None:
    token, kept = await _token(engine, ADA), await _token(engine, BOB)
    dump = repr(await _rows(store, "SELECT * FROM draw_links"))
    assert token not in dump and token[:12] not in dump
    await engine.players.forget_confirm(ADA, True)
    left = await _rows(store, "SELECT external_id FROM draw_links")
    assert left == [(BOB.external_id,)]
    assert (await engine.draw_links.holder(kept)).external_id == BOB.external_id
