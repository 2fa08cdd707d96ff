"""`run.py demo --db FILE --play CAMPAIGN`: the demo's simulated community answers the open
items of one campaign of an existing database (items a pipeline pushed through the API, for
the worked example of docs/api.md), through the engine as players do in chat.

Rules:
- the players are the demo's (`make_players(n, seed)`: the same people as `run.py demo` with
  the same `--players` and `--seed`), on their platform `demo`; each wave every player asks
  for a solo task and answers it; a card of another campaign is left alone, and the run ends
  with the first wave that serves no card of this campaign (or after `MAX_WAVES`);
- a player answers by the item's `truth` when the pipeline sent one, with their accuracy;
  without one they agree with the prediction (verify: yes; classify: the predicted option),
  so a reader sees labels follow the truth where it is known;
- the simulated clock starts at the real time, so answers are dated now.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from bot.config import Settings
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import NotFound
from bot.core.kernel.models import Reply
from bot.demo.simulate import SimPlayer, Simulation, make_players
from storage import ItemRow, open_store

MAX_WAVES = 400


@dataclass(frozen=True, slots=True)
class PlaySummary:
    campaign: str
    players: int
    answers: int
    waves: int
    finalized: int
    review: int
    open: int

    def text(self) -> str:
        return (
            f"{self.players} demo players gave {self.answers} answers to {self.campaign!r} "
            f"in {self.waves} waves: {self.finalized} items finalized, {self.review} in "
            f"review, {self.open} still open"
        )


class CampaignSimulation(Simulation):
    """The demo's `Simulation`, kept to one campaign (see the module rules)."""

    def __init__(
        self, engine: Engine, clock: ManualClock, players: list[SimPlayer], seed: int, cid: int
    ) -> None:
        super().__init__(engine, clock, players, seed)
        self.campaign_id = cid

    async def _serve(self, wave: int) -> list[tuple[SimPlayer, Reply]]:
        kept = []
        for p, card in await super()._serve(wave):
            rnd = None if card.round_id is None else await self.engine.kernel.round(card.round_id)
            if rnd is not None and rnd.campaign_id == self.campaign_id:
                kept.append((p, card))
        return kept

    def decide(self, p: SimPlayer, item: ItemRow, options: list[str]) -> tuple[int, float]:
        if item.truth is None:
            agree = "yes" if "yes" in options else item.candidate
            item = replace(item, truth=agree)
        return super().decide(p, item, options)


async def play_campaign(
    settings: Settings, db: str, name: str, *, players: int = 40, seed: int = 7
) -> PlaySummary:
    """The demo players answer the campaign `name` of the database `db` (module rules)."""
    store = await open_store(db)
    try:
        campaign = await store.get_campaign_by_name(name)
        if campaign is None:
            raise NotFound(f"there is no campaign named {name!r} in {db}")
        clock = ManualClock(time.time())
        engine = Engine(store, settings, clock)
        try:
            sim = CampaignSimulation(engine, clock, make_players(players, seed), seed, campaign.id)
            await sim.run(MAX_WAVES)
        finally:
            await engine.close()
        n = await store.campaign_counts(campaign.id)
    finally:
        await store.close()
    done = n.finalized + n.reviewed
    left = n.items - done - n.review
    return PlaySummary(name, players, sim.answers, sim.waves, done, n.review, left)
