"""Answer batches of two engines over one PostgreSQL database at once, with items reaching
consensus (a finalized item credits the players who answered it earlier): every answer is
stored and acknowledged, none fails on a deadlock between the two processes' batches."""

from __future__ import annotations

import asyncio

from tests.multiprocess.conftest import MakePair
from tests.support.engine import GENERAL, answer_payload, player
from tests.support.seeds import seed_campaign

MOD = player(90, GENERAL, moderator=True)
PLAYERS = 40
ROUNDS = 6


async def test_two_engines_finalizing_items_at_once_lose_no_answer(make_pair: MakePair) -> None:
    pair = await make_pair(game={"max_open_rounds_per_channel": ROUNDS})
    await seed_campaign(pair.store, items=ROUNDS, min_overlap=3, max_overlap=PLAYERS)
    refs = [player(i + 1, GENERAL) for i in range(PLAYERS)]
    for i, ref in enumerate(refs):
        await (pair.a if i % 2 else pair.b).players.consent(ref, True)
    cards = [await pair.a.play.post_round(MOD) for _ in range(ROUNDS)]
    pair.clock.advance(5)
    for wave in range(3):  # earlier answerers get credited when later ones finalize
        presses = [
            (pair.a if (i + r + wave) % 2 else pair.b).handle_button(
                ref, answer_payload(card, "Yes" if (i + r) % 5 else "No")
            )
            for r, card in enumerate(cards)
            for i, ref in enumerate(refs)
            if i % 3 == wave
        ]
        replies = await asyncio.gather(*presses, return_exceptions=True)
        failed = [r for r in replies if isinstance(r, BaseException)]
        assert failed == []
        assert all("went wrong" not in r.text.lower() for r in replies)  # type: ignore[union-attr]
    stored = await pair.rows("SELECT COUNT(*) FROM answers")
    assert stored == [(PLAYERS * ROUNDS,)]
