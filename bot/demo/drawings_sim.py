"""The demo's player drawings (issue 15): some simulated players draw, the others guess.

A campaign "Doodles: drawn by players" over the demo categories takes player drawings. Each
of the first `DRAWERS` players who is not a spammer, clicker or random guesser asks for a word
(`engine.drawings.prompt`) and draws it (`engine.drawings.submit`): strokes generated like
the procedural doodles (`bot.demo.doodles.demo_drawing`, with their pen timing), "poor" for a
player whose accuracy is below 0.6, placed on a 400 x 400 canvas. Each drawing is then shown
in a doodle round in the demo channel and guessed by the demo's guessers exactly as imported
doodles are (`quickdraw_sim.play_round`); the author is among them at times and is refused.
Everything is a hash of the seed, so a seed always gives the same drawings and figures.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from bot.config import Settings
from bot.core.campaigns.importing import make_spec, store_import
from bot.core.drawings import RawDrawing, RawStroke
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import LabelQuestError
from bot.core.kernel.models import PlayerRef
from bot.core.quickdraw.labels import doodle_labels
from bot.demo.doodles import DEMO_CATEGORIES, demo_drawing
from bot.demo.quickdraw_sim import channel, play_round
from bot.demo.simulate import SimPlayer
from storage import Drawing, Store

CAMPAIGN = "Doodles: drawn by players"
DRAWERS = 6
CANVAS = 400
MARGIN = 20.0
NOT_DRAWING = ("spammer", "clicker", "guesser")


def on_canvas(d: Drawing, size: int = CANVAS) -> RawDrawing:
    """A generated raw drawing as the page would send it: scaled into a `size` square canvas
    (a `MARGIN` inside its edges), its strokes and timing kept."""
    xs = [x for s in d.strokes for x in s.x]
    ys = [y for s in d.strokes for y in s.y]
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    k = (size - 2 * MARGIN) / extent
    strokes = tuple(
        RawStroke(
            tuple(round(MARGIN + (x - min(xs)) * k, 1) for x in s.x),
            tuple(round(MARGIN + (y - min(ys)) * k, 1) for y in s.y),
            tuple(s.t or (0,) * len(s.x)),
        )
        for s in d.strokes
    )
    return RawDrawing(strokes, size, size)


async def run_drawings(
    engine: Engine,
    clock: ManualClock,
    store: Store,
    settings: Settings,
    players: list[SimPlayer],
    seed: int,
) -> dict[str, Any]:
    """Players draw, rounds show the drawings; the figures for the summary's `drawings`."""
    spec = make_spec(
        settings, CAMPAIGN, "quickdraw", options=list(DEMO_CATEGORIES),
        min_overlap=3, max_overlap=12, gold_rate=0.0,
    )  # fmt: skip
    campaign = await store_import(store, "doodle", "player drawings", [], spec, clock.now())
    await store.set_player_drawings(campaign.id, True)
    engine.drawings.rng = random.Random(f"demo-drawings:{seed}")
    drawers = [p for p in players if p.kind not in NOT_DRAWING][:DRAWERS]
    submitted = 0
    for i, p in enumerate(drawers):
        try:
            prompt = await engine.drawings.prompt(p.ref, campaign.name)
            quality = "good" if p.accuracy >= 0.6 else "poor"
            raw = on_canvas(demo_drawing(prompt.word, f"{seed}:drawn:{i}", quality))
            clock.set(clock.now() + raw.strokes[-1].t[-1] / 1000 + 1.0)
            await engine.drawings.submit(p.ref, prompt.id, raw, "demo")
            submitted += 1
        except LabelQuestError:
            continue
    mod = PlayerRef("demo", "demo-moderator", "Moderator", channel(), is_moderator=True)
    outcomes: Counter[str] = Counter()
    shown = 0
    for r in range(submitted):
        try:
            card = await engine.play.post_round(mod, campaign.name)
        except LabelQuestError:
            break
        assert card.round_id is not None
        shown += 1
        await play_round(engine, clock, card.round_id, players, seed + 7, r, outcomes)
    labels = await doodle_labels(store, campaign)
    recognised = sum(lab.human_recognized is True for lab in labels.values())
    return {
        "submitted": submitted,
        "shown": shown,
        "recognised_rate": round(recognised / shown, 4) if shown else 0.0,
        "own_guesses_refused": outcomes.get("InvalidInput", 0),
    }
