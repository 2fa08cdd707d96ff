"""The demo's rating campaign (issue 17): "How full is the glass?" on a 1..5 scale.

`glass_items` draws, with Pillow, a glass filled to a known level: rating r (1..5) fills
(r - 0.5) / 5 of it, give or take 4% of its height, so the picture alone decides the true
rating. Every simulated player answers each glass they are served:

- with probability = their accuracy, the true rating; otherwise one point off (up or down,
  clamped to the scale), and a casual two points off half of those times;
- a guesser and a clicker press a random number, a spammer always the first button;
- with their "not sure" rate, "Can't say".

The live tally aggregates each glass with the game's reliability-weighted median
(`bot.games.rate`). Figures: `mae` the mean absolute error of the finalised medians against
the truth, `accuracy` the share of them exactly right, `alpha` Krippendorff's interval alpha
over the counted ratings (`bot.aggregation.krippendorff`). Every random choice is a hash of
the seed, so a seed always gives the same figures.
"""

from __future__ import annotations

import io
import random
from typing import Any

from PIL import Image, ImageDraw

from bot.aggregation.krippendorff import krippendorff_alpha_interval
from bot.config import Settings
from bot.core.campaigns.importing import make_spec, store_import
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import LabelQuestError
from bot.demo.simulate import SimPlayer
from bot.games.rate import CANT_SAY
from storage import TALLY_FINALIZED, NewItem, Store

CAMPAIGN = "Rate: how full is the glass?"
SCALE = 5
GLASSES = 30
WAVES = 40
SIZE = 120


def draw_glass(rating: int, rng: random.Random) -> bytes:
    """A PNG of a glass filled to (rating - 0.5) / SCALE of its height (± 4%)."""
    img = Image.new("RGB", (SIZE, SIZE), (250, 250, 245))
    d = ImageDraw.Draw(img)
    left, right, top, bottom = 35, 85, 15, 105
    level = (rating - 0.5) / SCALE + rng.uniform(-0.04, 0.04)
    water = bottom - int((bottom - top) * level)
    d.rectangle((left + 2, water, right - 2, bottom - 2), fill=(80, 150, 220))
    d.line((left, top, left, bottom, right, bottom, right, top), fill=(40, 40, 40), width=3)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def glass_items(n: int, seed: int) -> list[NewItem]:
    """`n` glasses whose true ratings cycle through the scale (shuffled by the seed)."""
    rng = random.Random(f"demo-rate-items:{seed}")
    ratings = [1 + i % SCALE for i in range(n)]
    rng.shuffle(ratings)
    return [
        NewItem(
            kind="image",
            source=f"glass{i:02d}.png",
            truth=str(r),
            media=draw_glass(r, rng),
            mime="image/png",
        )
        for i, r in enumerate(ratings)
    ]


def rating_of(p: SimPlayer, truth: int, rng: random.Random) -> str:
    """What player `p` answers for a glass whose true rating is `truth` (module docstring)."""
    if rng.random() < p.not_sure:
        return CANT_SAY
    if p.kind == "spammer":
        return "1"
    if p.kind in ("guesser", "clicker"):
        return str(rng.randint(1, SCALE))
    if rng.random() < p.accuracy:
        return str(truth)
    off = 2 if p.kind == "casual" and rng.random() < 0.5 else 1
    return str(min(SCALE, max(1, truth + rng.choice((-off, off)))))


async def run_rate(
    engine: Engine,
    clock: ManualClock,
    store: Store,
    settings: Settings,
    players: list[SimPlayer],
    seed: int,
) -> dict[str, Any]:
    """Players rate glasses; the figures for the summary's `rate`."""
    spec = make_spec(
        settings, CAMPAIGN, "rate", question="How full is the glass?", min_overlap=3,
        max_overlap=6, gold_rate=0.0,
        game_settings={"scale": str(SCALE), "low": "empty", "high": "full"},
    )  # fmt: skip
    items = glass_items(GLASSES, seed)
    campaign = await store_import(store, "image", "demo glasses", items, spec, clock.now())
    for p in players:
        await engine.players.consent(p.ref, True)
    idle = 0
    for wave in range(WAVES):
        acted = 0
        for i, p in enumerate(players):
            rng = random.Random(f"demo-rate:{seed}:{wave}:{i}")
            acted += await _act(engine, clock, store, p, rng, campaign.id)
        idle = idle + 1 if acted == 0 else 0
        if idle >= 2:
            break
    return await _figures(store, campaign.id)


async def _act(
    engine: Engine,
    clock: ManualClock,
    store: Store,
    p: SimPlayer,
    rng: random.Random,
    campaign_id: int,
) -> int:
    """One glass for one player: 1 when they rated it (or skipped another campaign's task,
    which the demo's earlier stages may have left open), 0 when there was none for them."""
    try:
        card = await engine.play.next_task(p.ref)
    except LabelQuestError:
        return 0
    clock.set(clock.now() + rng.uniform(*p.think))
    rnd = None if card.round_id is None else await store.get_round(card.round_id)
    item = None if rnd is None else await store.get_item(rnd.item_id)
    if rnd is None or item is None:
        return 0
    try:
        if rnd.campaign_id != campaign_id:
            await engine.play.skip(p.ref, rnd.id)
            return 1
    except LabelQuestError:
        return 0
    value = rating_of(p, int(item.truth or 3), rng)
    try:
        await engine.play.answer_value(p.ref, rnd.id, value, continue_session=False)
    except LabelQuestError:
        return 0
    return 1


async def _figures(store: Store, campaign_id: int) -> dict[str, Any]:
    items = {i.id: i for i in await store.campaign_items(campaign_id)}
    tallies = await store.campaign_tallies(campaign_id)
    final = [
        (int(t.label), int(items[t.item_id].truth or 0))
        for t in tallies
        if t.status == TALLY_FINALIZED and t.label is not None and t.label.isdigit()
    ]
    answers = await store.campaign_answers(campaign_id)
    rows = [
        (str(a.item_id), str(a.player_id), float(a.label))
        for a in answers
        if a.flag is None and a.label.isdigit()
    ]
    alpha = krippendorff_alpha_interval(rows)
    errors = [abs(got - truth) for got, truth in final]
    return {
        "campaign": CAMPAIGN,
        "items": len(items),
        "answers": len(answers),
        "finalized": len(final),
        "review": sum(t.status == "review" for t in tallies),
        "mae": round(sum(errors) / len(errors), 4) if errors else None,
        "accuracy": round(sum(e == 0 for e in errors) / len(errors), 4) if errors else 0.0,
        "alpha": None if alpha != alpha else round(alpha, 4),
    }
