"""Doodle rounds under load: guesses arriving at once are judged as if one after the other
(right guesses in order, every guess counted against its player's cap, none stored after
the round closed), and what the engine counts per player follows the player's data."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import NotFound, RateLimited, RoundClosed
from bot.core.kernel.models import Reply
from storage import SqlStore
from tests.support.doodles import doodle_campaign, person, players, rows

MOD = person(1, "Mo", mod=True)


async def _round(engine: Engine, store: SqlStore) -> int:
    await doodle_campaign(store, ("cat",))
    card = await engine.play.post_round(MOD)
    assert card.round_id is not None
    return card.round_id


async def test_a_crowd_guessing_at_once_is_judged_in_order_and_the_round_closes_once(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    rid = await _round(engine, store)
    names = [f"P{i}" for i in range(8)]
    refs = await players(engine, *names)
    clock.advance(5)
    firsts = await asyncio.gather(*(engine.quickdraw.guess(r, "dog") for r in refs))
    assert all(f.text.startswith("❌") and "2 guesses left" in f.text for f in firsts)
    # 3 right guesses end the round ([quickdraw] players_to_end); 5 wrong ones at the same time
    texts = ["cat", "cow", "kitty", "owl", "cat", "bee", "cat", "ant"]
    out = await asyncio.gather(
        *(engine.quickdraw.guess(r, t) for r, t in zip(refs, texts, strict=True)),
        return_exceptions=True,
    )
    right = {
        refs[i].display_name: int(o.text.split("· ")[1][0])  # "1st right guess", "2nd", ...
        for i, o in enumerate(out)
        if isinstance(o, Reply) and o.text.startswith("✅")
    }
    assert sorted(right.values()) == [1, 2, 3]  # each order once
    refused = [o for o in out if isinstance(o, RoundClosed)]
    wrong = [o for o in out if isinstance(o, Reply) and o.text.startswith("❌")]
    assert len(right) + len(refused) + len(wrong) == len(refs)
    rnd = await store.get_round(rid)
    assert rnd is not None and rnd.status == "closed"
    assert [s["name"] for s in rnd.state["solved"]] == sorted(right, key=right.__getitem__)
    stored = await rows(store, "SELECT COUNT(*) FROM guesses WHERE round_id = ?", rid)
    assert stored == [(len(refs) + len(out) - len(refused),)]  # refused guesses left no row
    paid = await rows(store, "SELECT COUNT(*) FROM ledger WHERE kind = 'guess'")
    assert paid == [(3,)]
    marked = [json.loads(e) for (e,) in await rows(store, "SELECT extra FROM answers")]
    assert sum(bool(m.get("correct")) for m in marked) == 3
    with pytest.raises(RoundClosed):
        await engine.quickdraw.guess(refs[1], "cat", round_id=rid)


async def test_one_players_guesses_at_once_keep_the_cap_and_the_burst_limit(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    rid = await _round(engine, store)
    (ann,) = await players(engine, "Ann")
    clock.advance(2)
    out = await asyncio.gather(
        *(engine.quickdraw.guess(ann, w) for w in ("dog", "cow", "owl", "bee", "ant", "elk")),
        return_exceptions=True,
    )
    ok = [o for o in out if isinstance(o, Reply)]
    assert sorted(o.text.split(" (")[1] for o in ok) == [
        "1 guess left).",
        "2 guesses left).",
        "no guesses left).",
    ]
    assert all(isinstance(o, RateLimited) for o in out if not isinstance(o, Reply))
    assert sorted(str(o) for o in out if not isinstance(o, Reply)) == [
        "You've used your 3 guesses on this doodle.",  # the 4th attempt
        "⏳ Too many guesses at once: wait a few seconds.",  # the 5th and 6th within 3 s
        "⏳ Too many guesses at once: wait a few seconds.",
    ]
    said = sorted(o.text.split("“")[1].split("”")[0] for o in ok)
    stored = await rows(store, "SELECT text FROM guesses WHERE round_id = ?", rid)
    assert sorted(t for (t,) in stored) == said


async def test_a_player_who_deleted_their_data_starts_afresh_in_the_round(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    rid = await _round(engine, store)
    (ann,) = await players(engine, "Ann")
    clock.advance(2)
    await engine.quickdraw.guess(ann, "dog")
    await engine.quickdraw.guess(ann, "cow")
    await engine.players.forget_confirm(ann, True)
    await engine.players.consent(ann, True)
    clock.advance(10)
    again = await engine.quickdraw.guess(ann, "owl")
    assert "2 guesses left" in again.text  # none of the deleted guesses count
    assert await rows(store, "SELECT text, is_first FROM guesses WHERE round_id = ?", rid) == [
        ("owl", 1),
    ]
    assert await rows(store, "SELECT label FROM answers") == [("owl",)]
    right = await engine.quickdraw.guess(ann, "cat")
    assert right.text.startswith("✅")
    assert len(await rows(store, "SELECT 1 FROM ledger WHERE kind = 'guess'")) == 1


async def test_guesses_follow_the_newest_open_doodle_round_of_the_channel(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await doodle_campaign(store, ("cat", "sun"))
    first = await engine.play.post_round(MOD)
    assert first.round_id is not None
    one = await store.get_round(first.round_id)
    assert one is not None
    word = str(one.state["word"])
    other = "sun" if word == "cat" else "cat"
    ann, bob, cy = await players(engine, "Ann", "Bob", "Cy")
    clock.advance(3)
    for ref in (ann, bob, cy):
        await engine.quickdraw.guess(ref, word)  # the 3rd right guess ends the round
    closed = await store.get_round(first.round_id)
    assert closed is not None and closed.status == "closed"
    with pytest.raises(NotFound, match="No doodle round"):
        await engine.quickdraw.guess(ann, other)
    second = await engine.play.post_round(MOD)
    assert second.round_id is not None and second.round_id != first.round_id
    clock.advance(3)
    assert (await engine.quickdraw.guess(ann, other)).text.startswith("✅")
    stored = await rows(
        store,
        "SELECT round_id, text FROM guesses WHERE player_id = "
        "(SELECT MIN(id) FROM players WHERE display_name = 'Ann') "
        "ORDER BY id",
    )
    assert stored == [(first.round_id, word), (second.round_id, other)]
