"""The wave loop the demo's game sims share (transcribe, multilabel, locate).

Every wave (`WAVE_S` simulated seconds apart, at most `MAX_WAVES`) each player asks for a solo
task (`engine.play.next_task`), starting with a different player every wave; the players served
a card of the campaign answer it concurrently (`answer(player, round id)`), the others skip
the wave. The loop ends at the first wave in which nobody was served.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import NoTaskAvailable
from bot.demo.simulate import SimPlayer

MAX_WAVES = 200
WAVE_S = 45.0

Answer = Callable[[SimPlayer, int], Awaitable[None]]


async def play_waves(
    engine: Engine,
    clock: ManualClock,
    campaign_id: int,
    players: list[SimPlayer],
    answer: Answer,
) -> int:
    """Consent the players, play the waves (module rule); returns how many were played."""
    for p in players:
        await engine.players.consent(p.ref, True)
    waves = 0
    for wave in range(MAX_WAVES):
        clock.advance(WAVE_S)
        cards = await serve(engine, campaign_id, players, wave)
        if not cards:
            break
        waves += 1
        await asyncio.gather(*(answer(p, rid) for p, rid in cards))
    return waves


async def serve(
    engine: Engine, campaign_id: int, players: list[SimPlayer], wave: int
) -> list[tuple[SimPlayer, int]]:
    """(player, round id) for every player served a card of this campaign this wave."""
    served = []
    k = wave % len(players)
    for p in players[k:] + players[:k]:
        try:
            card = await engine.play.next_task(p.ref)
        except NoTaskAvailable:
            continue
        rnd = None if card.round_id is None else await engine.kernel.round(card.round_id)
        if rnd is not None and rnd.campaign_id == campaign_id:
            served.append((p, rnd.id))
    return served
