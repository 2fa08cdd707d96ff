"""A simulated community playing through the engine's public use cases.

Players have a kind and an accuracy: experts (0.9-0.98), regulars (0.75-0.9), casuals
(0.55-0.72), guessers who answer at random at a normal pace (only their gold record gives
them away), a few random clickers (too fast) and an always-first-button spammer.
Each wave, every player asks for a solo task in a fixed order (so item assignment is
reproducible), then all of them answer at once, concurrently, through the group commit;
each player's answer lands at their own simulated thinking time. Every random choice is a
hash of (seed, player, item), so the same seed gives the same answers and the same labels.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock, set_task_offset
from bot.core.kernel.codec import decode
from bot.core.kernel.errors import NoTaskAvailable
from bot.core.kernel.models import PlayerRef, Reply
from bot.core.play.quality import roll
from storage.rows import ItemRow

KINDS = (
    # kind, share, accuracy range, thinking seconds range, "not sure" rate
    ("expert", 0.15, (0.90, 0.98), (2.5, 7.0), 0.01),
    ("regular", 0.35, (0.75, 0.90), (2.0, 6.0), 0.03),
    ("casual", 0.25, (0.55, 0.72), (1.5, 5.0), 0.06),
    ("guesser", 0.15, (0.0, 0.0), (1.5, 4.0), 0.0),
    ("clicker", 0.06, (0.0, 0.0), (0.3, 0.9), 0.0),
    ("spammer", 0.04, (0.0, 0.0), (1.5, 2.5), 0.0),
)
NAMES = (
    "Ada",
    "Bo",
    "Cleo",
    "Dev",
    "Eli",
    "Fay",
    "Gus",
    "Hana",
    "Ivo",
    "Juno",
    "Kai",
    "Lea",
    "Milo",
    "Nia",
    "Oto",
    "Pia",
    "Quinn",
    "Rui",
    "Sol",
    "Tess",
    "Uma",
    "Vik",
    "Wren",
    "Xan",
    "Yara",
    "Zed",
)


@dataclass(frozen=True, slots=True)
class SimPlayer:
    ref: PlayerRef
    kind: str
    accuracy: float
    think: tuple[float, float]
    not_sure: float


def make_players(n: int, seed: int, platform: str = "demo") -> list[SimPlayer]:
    rng = random.Random(f"players-{seed}")
    out = []
    for i in range(n):
        kind, _share, acc, think, unsure = _pick_kind(i, n)
        name = f"{NAMES[i % len(NAMES)]}{'' if i < len(NAMES) else i // len(NAMES)}"
        ref = PlayerRef(platform, f"sim{i}", name)
        out.append(SimPlayer(ref, kind, rng.uniform(*acc), think, unsure))
    return out


def _pick_kind(
    i: int, n: int
) -> tuple[str, float, tuple[float, float], tuple[float, float], float]:
    """Deterministic shares: player i gets the kind whose cumulative share covers i/n."""
    x = (i + 0.5) / n
    acc = 0.0
    for kind in KINDS:
        acc += kind[1]
        if x <= acc:
            return kind
    return KINDS[-1]


class Simulation:
    def __init__(self, engine: Engine, clock: ManualClock, players: list[SimPlayer], seed: int):
        self.engine = engine
        self.clock = clock
        self.players = players
        self.seed = seed
        self.answers = 0
        self.waves = 0

    async def run(self, max_waves: int = 400) -> None:
        for p in self.players:
            await self.engine.players.consent(p.ref, True)
        for wave in range(max_waves):
            self.clock.advance(45.0)
            cards = await self._serve(wave)
            if not cards:
                break
            self.waves += 1
            await asyncio.gather(*(self._answer(p, card) for p, card in cards))

    async def _serve(self, wave: int) -> list[tuple[SimPlayer, Reply]]:
        cards = []
        k = wave % len(self.players)
        for p in self.players[k:] + self.players[:k]:
            try:
                cards.append((p, await self.engine.play.next_task(p.ref)))
            except NoTaskAvailable:
                continue
        return cards

    async def _answer(self, p: SimPlayer, card: Reply) -> None:
        assert card.round_id is not None
        rnd = await self.engine.kernel.round(card.round_id)
        assert rnd is not None
        item = await self.engine.kernel.item(rnd.item_id)
        campaign = await self.engine.kernel.campaign(rnd.campaign_id)
        options = [o.key for o in self.engine.kernel.game(campaign.game).options(campaign, item)]
        choice, seconds = self.decide(p, item, options)
        set_task_offset(seconds)
        buttons = [c for row in card.choices for c in row if decode(c.payload).action == "a"]
        await self.engine.play.answer(
            p.ref, card.round_id, decode(buttons[choice].payload).args[1], continue_session=False
        )
        self.answers += 1

    def decide(self, p: SimPlayer, item: ItemRow, options: list[str]) -> tuple[int, float]:
        """Which option player `p` picks for `item`, and after how many seconds."""
        rng = random.Random(roll(self.seed, p.ref.external_id, item.id))
        seconds = rng.uniform(*p.think)
        if p.kind == "spammer":
            return 0, seconds
        if p.kind in ("clicker", "guesser"):
            return rng.randrange(len(options)), seconds
        if "not_sure" in options and rng.random() < p.not_sure:
            return options.index("not_sure"), seconds
        truth = item.truth
        looks_like = [o for o in item.meta.get("looks_like", ()) if o in options]
        if truth is None and looks_like:  # an ambiguous item: the crowd splits
            return options.index(rng.choice(looks_like)), seconds
        evidence = [o for o in options if o != "not_sure"]
        if truth in evidence and rng.random() < p.accuracy:
            return options.index(truth), seconds
        wrong = [o for o in evidence if o != truth] or evidence
        return options.index(rng.choice(wrong)), seconds
