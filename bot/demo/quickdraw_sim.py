"""The demo's doodle rounds: simulated guessers of varied skill and speed play quick-draw
rounds in a demo channel, through the engine's own use cases (post_round, judge_guess, tick).

Guessers reuse the demo's players (`simulate.SimPlayer`). Their skill at recognizing a
doodle is their accuracy (spammers, clickers and random guessers: 0.05), times 0.35 for a
"poor" doodle; each hint shown adds 0.15. Thinking time grows as skill falls (experts answer
in 3-12 s, casual players in 8-30 s). A player who recognizes the doodle types the word
(one in five makes a one-letter typo first, then corrects it, one in ten uses a synonym);
one who does not types another demo category, and tries again a little later. The spammer
fires six guesses in two seconds and is muted by the rate limit. Every random draw is a hash
of (seed, player, doodle), and guesses are replayed in time order on the manual clock, so a
seed always gives the same rounds, points and labels.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.core.campaigns.importing import make_spec
from bot.core.campaigns.quickdraw_import import import_drawings
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import LabelQuestError
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef
from bot.core.play.quality import roll
from bot.core.quickdraw.labels import doodle_labels
from bot.demo.doodles import DEMO_CATEGORIES, demo_drawings
from bot.demo.simulate import SimPlayer
from bot.games.quickdraw_matching import load_synonyms
from bot.games.quickdraw_rules import hint_schedule
from storage import Store
from storage.rows import CampaignRow, ItemRow

log = logging.getLogger(__name__)

CAMPAIGN = "Doodles: what is it?"
GUESSERS_PER_ROUND = 12
SKILL = {"spammer": 0.05, "clicker": 0.05, "guesser": 0.05}
THINK = (3.0, 12.0)


@dataclass(frozen=True, slots=True)
class Guess:
    at: float
    order: int
    player: SimPlayer
    text: str


def rounds_for(items: int) -> int:
    """How many doodle rounds the demo plays: one per 12 items, 4 to 16."""
    return max(4, min(16, items // 12))


def channel() -> ChannelRef:
    community = CommunityRef("demo", "demo-community", "Demo community")
    return ChannelRef("demo", "demo-doodles", "doodles", Kind.GROUP, community)


def plan_guesses(
    p: SimPlayer, order: int, item: ItemRow, seed: int, hint_times: list[float]
) -> list[Guess]:
    """What player `p` types for this doodle, and when (seconds after the round opened)."""
    rng = random.Random(roll(seed, "doodle", p.ref.external_id, item.id))
    word = str(item.meta["word"])
    poor = str(item.meta.get("extra", {}).get("demo_quality", "good")).startswith("poor")
    skill = SKILL.get(p.kind, p.accuracy) * (0.35 if poor else 1.0)
    slow = 1.0 + 2.0 * (1.0 - min(1.0, skill))
    if p.kind == "spammer":
        start = rng.uniform(0.5, 2.0)
        return [Guess(start + k * 0.3, order, p, rng.choice(DEMO_CATEGORIES)) for k in range(6)]
    t = rng.uniform(*THINK) * slow
    hints = sum(at <= t for at in hint_times)
    if rng.random() < skill + 0.15 * hints:
        return _right(rng, p, order, word, t)
    wrong = rng.choice([c for c in DEMO_CATEGORIES if c != word])
    out = [Guess(t, order, p, wrong)]
    retry = t + rng.uniform(5.0, 15.0)
    hints = sum(at <= retry for at in hint_times)
    if rng.random() < skill + 0.15 * hints:
        out += _right(rng, p, order, word, retry)
    return out


def _right(rng: random.Random, p: SimPlayer, order: int, word: str, t: float) -> list[Guess]:
    draw = rng.random()
    if draw < 0.2 and len(word) > 3:
        i = rng.randrange(1, len(word))
        typo = word[:i] + word[i + 1 :]
        return [Guess(t, order, p, typo), Guess(t + rng.uniform(1.5, 4.0), order, p, word)]
    synonyms = list(load_synonyms().get(word, ()))
    if draw > 0.9 and synonyms:
        return [Guess(t, order, p, rng.choice(synonyms))]
    return [Guess(t, order, p, word.upper() if draw > 0.8 else word)]


async def run_quickdraw(
    engine: Engine,
    clock: ManualClock,
    store: Store,
    settings: Settings,
    players: list[SimPlayer],
    seed: int,
    rounds: int,
    out: Path | None = None,
) -> dict[str, Any]:
    """Play `rounds` doodle rounds; the figures for the demo summary's `quickdraw` key."""
    spec = make_spec(settings, CAMPAIGN, "quickdraw", min_overlap=3, max_overlap=12, gold_rate=0.0)
    campaign = await import_drawings(store, demo_drawings(rounds, seed), spec, now=clock.now())
    mod = PlayerRef("demo", "demo-moderator", "Moderator", channel(), is_moderator=True)
    outcomes: Counter[str] = Counter()
    played = 0
    for r in range(rounds):
        try:
            card = await engine.play.post_round(mod, campaign.name)
        except LabelQuestError:
            break
        assert card.round_id is not None
        played += 1
        if r == 0 and out is not None and card.media is not None:
            await asyncio.to_thread(_write_gif, out, card.media.data)
        await play_round(engine, clock, card.round_id, players, seed, r, outcomes)
    return await _summary(store, campaign, played, outcomes)


async def play_round(
    engine: Engine,
    clock: ManualClock,
    round_id: int,
    players: list[SimPlayer],
    seed: int,
    r: int,
    outcomes: Counter[str],
) -> None:
    rnd = await engine.kernel.round(round_id)
    assert rnd is not None and rnd.closes_at is not None
    item = await engine.kernel.item(rnd.item_id)
    start, end = rnd.opened_at, rnd.closes_at
    duration = end - start
    hints = (
        hint_schedule(str(item.meta["word"]), duration) if engine.quickdraw.qd_cfg.hints else []
    )
    k = (r * GUESSERS_PER_ROUND) % len(players)
    chosen = (players[k:] + players[:k])[:GUESSERS_PER_ROUND]
    plan = [g for i, p in enumerate(chosen) for g in plan_guesses(p, i, item, seed, hints)]
    for g in sorted(plan, key=lambda g: (g.at, g.order)):
        if g.at >= duration:
            continue
        clock.set(start + g.at)
        await engine.tick()
        try:
            here = replace(g.player.ref, channel=channel())  # guesses count in the channel
            result = await engine.quickdraw.judge_guess(here, g.text, round_id=round_id)
            outcomes[result.kind] += 1
        except LabelQuestError as exc:
            outcomes[type(exc).__name__] += 1
    clock.set(max(clock.now(), end) + 3.0)  # the 3 s pause chat bots leave between rounds
    await engine.tick()


async def _summary(
    store: Store, campaign: CampaignRow, played: int, outcomes: Counter[str]
) -> dict[str, Any]:
    labels = await doodle_labels(store, campaign)
    guesses = await store.campaign_guesses(campaign.id)
    firsts = [g for g in guesses if g.is_first]
    verdicts = Counter(
        lab.verdict.label.split(":")[0] for lab in labels.values() if lab.verdict.guessers
    )
    decided = [lab for lab in labels.values() if lab.human_recognized is not None]
    items = {i.id: i for i in await store.dataset_items(campaign.dataset_id)}
    agree = sum(
        lab.human_recognized == items[lab.item_id].meta.get("recognized") for lab in decided
    )
    right = [g for g in guesses if g.correct and g.mode == "channel"]
    return {
        "rounds": played,
        "guesses": len(guesses),
        "right_guesses": len(right),
        "close_guesses": outcomes.get("close", 0),
        "rate_limited": outcomes.get("RateLimited", 0),
        "first_guess_right_rate": round(sum(g.correct for g in firsts) / len(firsts), 4)
        if firsts
        else 0.0,
        "recognized_rate": round(verdicts.get("recognizable", 0) / played, 4) if played else 0.0,
        "verdicts": dict(sorted(verdicts.items())),
        "agreement_with_drawing_quality": round(agree / len(decided), 4) if decided else None,
        "points_first_right": _mean(
            [g.points for g in guesses if g.correct and _nth(g, guesses) == 1]
        ),
        "points_second_right": _mean(
            [g.points for g in guesses if g.correct and _nth(g, guesses) == 2]
        ),
    }


def _write_gif(folder: Path, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "doodle-replay.gif").write_bytes(data)


def _nth(g: Any, guesses: list[Any]) -> int:
    """Order of a right guess within its round."""
    right = [x.id for x in guesses if x.round_id == g.round_id and x.correct]
    return right.index(g.id) + 1


def _mean(values: list[int]) -> float:
    return round(sum(values) / len(values), 2) if values else 0.0
