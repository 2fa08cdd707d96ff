"""Forget me: a player's answers, stats and identity go; tallies are recomputed."""

from __future__ import annotations

import json

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from storage import SqlStore
from tests.support.engine import GENERAL, answer_payload, buttons, consented, player
from tests.support.seeds import seed_campaign


async def test_my_data_lists_everything_stored(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await seed_campaign(store, items=2)
    p = player(1, GENERAL)
    await consented(engine, p)
    card = await engine.play.post_round(player(0, GENERAL, moderator=True))
    clock.advance(4)
    await engine.handle_button(p, answer_payload(card, "No"))
    reply = await engine.players.my_data(p)
    assert reply.files and reply.files[0].filename.endswith(".json")
    data = json.loads(reply.files[0].data)
    assert data["identities"] == [{"platform": "discord", "user_id": "u1", "name": "Player1"}]
    assert [a["answer"] for a in data["answers"]] == ["no"]
    assert data["consents"][0]["version"] == 1
    assert data["ledger"][0]["points"] == 10
    assert data["standings"][0]["answers"] == 1 and data["standings"][0]["tutorial"]
    rewards = data["rewards"]
    assert rewards["level"] == 1 and rewards["streak"] == 1
    assert "first_answer" in [b["badge"] for b in rewards["badges"]]
    assert rewards["streak_events"][0]["kind"]
    assert data["guesses"] == []


async def test_my_data_includes_the_doodle_guesses_typed(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    from tests.support.doodles import doodle_campaign, person

    await doodle_campaign(store, ("cat",))
    await engine.play.post_round(person(1, "Mo", mod=True))
    ann = person(2, "Ann")
    await consented(engine, ann)
    clock.advance(4)
    await engine.quickdraw.guess(ann, "a dog?")
    await engine.quickdraw.guess(ann, "Cat")
    data = json.loads((await engine.players.my_data(ann)).files[0].data)
    assert [(g["guess"], g["kind"]) for g in data["guesses"]] == [
        ("a dog?", "wrong"),
        ("Cat", "exact"),
    ]


async def test_forget_deletes_everything_and_recomputes_tallies(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(
        store, game="classify", items=1, min_overlap=2, max_overlap=4, confidence=0.6
    )
    card = await engine.play.post_round(player(0, GENERAL, moderator=True))
    a, b = player(1, GENERAL), player(2, GENERAL)
    await consented(engine, a, b)
    clock.advance(5)
    await engine.handle_button(a, answer_payload(card, "red"))
    await engine.handle_button(b, answer_payload(card, "red"))
    item_id = (await store.get_round(card.round_id or 0)).item_id  # type: ignore[union-attr]
    before = await store.get_tally(camp.id, item_id)
    assert before is not None and before.n_answers == 2 and before.status == "finalized"

    ask = await engine.players.forget(a)
    assert "cannot be undone" in ask.text
    confirm = next(pl for label, pl in buttons(ask) if "Delete" in label)
    done = await engine.handle_button(a, confirm)
    assert "deleted" in done.text
    assert await store.get_identity("discord", "u1") is None
    after = await store.get_tally(camp.id, item_id)
    assert after is not None and after.n_answers == 1 and after.status == "open"
    assert [x.label for x in await store.item_answers(camp.id, item_id)] == ["red"]
    top, _ = await store.leaderboard(limit=10)
    assert [r.display_name for r in top] == ["Player2"]
    board = (await engine.boards.leaderboard(b, "global")).text  # the rollup forgot them too
    assert "Player2" in board and "Player1" not in board
    async with store.db.read() as c:  # one visible player left on each of b's boards
        assert await c.fetchval("SELECT COUNT(DISTINCT player_id) FROM board_totals") == 1
        counts = await c.fetch(
            "SELECT SUM(n) FROM board_hist GROUP BY scope, scope_id, period, period_key"
        )
        assert {int(r[0]) for r in counts} == {1}
    again = await engine.players.start(a)
    assert "what I store" in again.text


async def test_cancel_forget_keeps_data(engine: Engine, store: SqlStore) -> None:
    p = player(1)
    await consented(engine, p)
    reply = await engine.handle_button(p, "v1:f:0")
    assert "Nothing was deleted" in reply.text
    assert await store.get_identity("discord", "u1") is not None
