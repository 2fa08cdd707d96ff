"""Doodle guesses through two engines over one PostgreSQL database: the database decides the
order of right guesses, a player's guess cap and rate limit, and that nothing is stored
after a round closed."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.core.kernel.errors import InvalidInput, RateLimited, RoundClosed
from bot.core.kernel.models import PlayerRef
from bot.core.quickdraw.cards import ordinal
from tests.multiprocess.conftest import ADMIN, MakePair, Pair
from tests.support.doodles import doodle_campaign, person
from tests.support.engine import private_ref

MOD = person(1, "Mo", mod=True)


async def _doodle_round(pair: Pair, *names: str) -> tuple[int, list[PlayerRef]]:
    await doodle_campaign(pair.store, ("cat",))
    card = await pair.a.play.post_round(MOD)
    assert card.round_id is not None
    refs = [person(100 + i, n) for i, n in enumerate(names)]
    for i, ref in enumerate(refs):  # consent through either engine: one players table
        await (pair.a if i % 2 else pair.b).players.consent(ref, True)
    return card.round_id, refs


async def test_right_guesses_racing_through_two_engines_are_ranked_in_the_database_order(
    make_pair: MakePair,
) -> None:
    pair = await make_pair(quickdraw={"players_to_end": 50})
    names = [f"P{i}" for i in range(12)]
    round_id, refs = await _doodle_round(pair, *names)
    pair.clock.advance(5)
    results = await asyncio.gather(
        *[
            (pair.a if i % 2 else pair.b).quickdraw.judge_guess(ref, "cat", round_id=round_id)
            for i, ref in enumerate(refs)
        ]
    )
    assert all(r.correct for r in results)
    (state,) = await pair.rows("SELECT state FROM rounds WHERE id = ?", round_id)
    solved = [int(s["player"]) for s in json.loads(state[0])["solved"]]
    accepted = [
        r[0]
        for r in await pair.rows(
            "SELECT player_id FROM guesses WHERE round_id = ? AND correct = 1 ORDER BY id",
            round_id,
        )
    ]
    assert len(solved) == len(refs) == len(set(solved))  # every solver once, none lost
    assert solved == accepted  # ranked in the order the database accepted the guesses
    firsts = await pair.rows(
        "SELECT player_id FROM answers WHERE extra LIKE '%first_correct%' AND round_id = ?",
        round_id,
    )
    assert [f[0] for f in firsts] == [solved[0]]  # one first right guess
    for rank, ref in enumerate(refs):  # each player was told the rank the database gave
        order = solved.index(int((await pair.a.kernel.player_id(ref)) or 0)) + 1
        assert f"{ordinal(order)} right guess" in results[rank].reply.text


async def test_the_guess_cap_holds_across_engines(make_pair: MakePair) -> None:
    pair = await make_pair(quickdraw={"guesses_per_round": 3, "guess_burst": 100})
    round_id, (ann,) = await _doodle_round(pair, "Ann")
    pair.clock.advance(5)
    words = ["dog", "car", "tree", "house", "fish", "bird"]
    results = await asyncio.gather(
        *[
            (pair.a if i % 2 else pair.b).quickdraw.judge_guess(ann, w, round_id=round_id)
            for i, w in enumerate(words)
        ],
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, RateLimited)]
    assert len(refused) == 3 and all("guesses" in r.message for r in refused)
    stored = await pair.rows("SELECT COUNT(*) FROM guesses WHERE round_id = ?", round_id)
    assert stored == [(3,)]


async def test_a_burst_through_two_engines_is_limited_once(make_pair: MakePair) -> None:
    pair = await make_pair(
        quickdraw={"guesses_per_round": 100, "guess_burst": 5, "guess_window_seconds": 3.0}
    )
    round_id, (ann,) = await _doodle_round(pair, "Ann")
    pair.clock.advance(5)
    words = [f"word{i}" for i in range(10)]
    results = await asyncio.gather(
        *[
            (pair.a if i % 2 else pair.b).quickdraw.judge_guess(ann, w, round_id=round_id)
            for i, w in enumerate(words)
        ],
        return_exceptions=True,
    )
    assert all(isinstance(r, RateLimited) for r in results if isinstance(r, BaseException))
    stored = await pair.rows("SELECT COUNT(*) FROM guesses WHERE round_id = ?", round_id)
    assert stored == [(4,)]  # the 5th guess within 3 s is ignored, whichever engine got it


async def test_no_guess_is_stored_after_another_engine_closed_the_round(
    make_pair: MakePair,
) -> None:
    pair = await make_pair()
    round_id, (ann, bob) = await _doodle_round(pair, "Ann", "Bob")
    pair.clock.advance(5)
    await pair.b.quickdraw.judge_guess(ann, "dog", round_id=round_id)  # b caches it open
    assert await pair.a.play.close_round(round_id) is not None
    cached = await pair.b.kernel.round(round_id)
    assert cached is not None and cached.status == "open"  # b's cache still says open
    for ref, text in ((ann, "car"), (bob, "tree"), (bob, "cat")):
        with pytest.raises(RoundClosed):
            await pair.b.quickdraw.judge_guess(ref, text, round_id=round_id)
    stored = await pair.rows("SELECT player_id, text FROM guesses WHERE round_id = ?", round_id)
    assert stored == [(int(await pair.a.kernel.player_id(ann) or 0), "dog")]


async def test_a_guess_through_one_engine_is_refused_once_the_other_paused_the_campaign(
    make_pair: MakePair,
) -> None:
    pair = await make_pair(database={"cache_seconds": 3600.0})  # b trusts its cache long
    round_id, (ann,) = await _doodle_round(pair, "Ann")
    pair.clock.advance(5)
    await pair.b.quickdraw.judge_guess(ann, "dog", round_id=round_id)
    await pair.a.campaigns.campaign_command(private_ref(ADMIN), "pause Doodles")
    for text in ("car", "cat"):  # a wrong guess (guarded write), a right one (fresh read)
        with pytest.raises(InvalidInput, match="'Doodles' is paused, not active"):
            await pair.b.quickdraw.judge_guess(ann, text, round_id=round_id)
    stored = await pair.rows("SELECT text FROM guesses WHERE round_id = ?", round_id)
    assert stored == [("dog",)]
