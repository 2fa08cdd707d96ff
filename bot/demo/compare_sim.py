"""The demo's compare campaign (issue 17): which shape is bigger? ranked by Bradley-Terry.

A campaign "Compare: which shape is bigger?" over `SHAPES` generated images (Pillow): a
circle, square or triangle per image with a true area; the truth is the order by area. Every
wave each simulated player asks for a solo task (`engine.play.next_task`; tasks of other
campaigns are skipped) and presses a button on the pair card:

- when the two areas differ by less than `CLOSE` (relative), the player says 🤷 "can't tell"
  with probability `CANT_TELL`;
- otherwise the bigger side with probability = their accuracy, else the smaller;
- a guesser picks a side at random; a spammer or a clicker always presses ⬅️ Left.

The tick keeps pairs coming (`compare.pairs`); pairs are also made on demand in /play.
`accuracy` is Spearman's rank correlation between the fitted ranking's scores and the true
areas (1.0: the exact order). Every random choice is a hash of the seed.
"""

from __future__ import annotations

import io
import math
import random
from typing import Any

from PIL import Image, ImageDraw

from bot.aggregation.bradley_terry import spearman
from bot.config import Settings
from bot.core.campaigns.importing import make_spec, store_import
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import LabelQuestError
from bot.demo.simulate import SimPlayer
from storage import ItemRow, NewItem, Store

CAMPAIGN = "Compare: which shape is bigger?"
SHAPES = 12
WAVES = 40
CLOSE, CANT_TELL = 0.08, 0.4
LEFT, RIGHT, UNSURE = 0, 1, 2
ALWAYS_LEFT = ("spammer", "clicker")


def shape_png(kind: str, area: float, seed: str, size: int = 160) -> bytes:
    """A PNG of one filled shape of about `area` square pixels, colour and place by seed."""
    rng = random.Random(seed)
    img = Image.new("RGB", (size, size), "white")
    d = ImageDraw.Draw(img)
    colour = (rng.randint(20, 200), rng.randint(20, 200), rng.randint(20, 200))
    c = size / 2 + rng.uniform(-6, 6)
    if kind == "circle":
        r = math.sqrt(area / math.pi)
        d.ellipse((c - r, c - r, c + r, c + r), fill=colour)
    elif kind == "square":
        h = math.sqrt(area) / 2
        d.rectangle((c - h, c - h, c + h, c + h), fill=colour)
    else:  # an equilateral triangle of that area
        s = math.sqrt(4 * area / math.sqrt(3))
        h = s * math.sqrt(3) / 2
        d.polygon([(c - s / 2, c + h / 3), (c + s / 2, c + h / 3), (c, c - 2 * h / 3)], colour)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def shape_items(seed: int) -> list[NewItem]:
    """`SHAPES` images with distinct true areas (`truth`, square pixels)."""
    rng = random.Random(f"demo-compare:{seed}")
    areas = sorted(rng.sample(range(900, 14000, 150), SHAPES))
    kinds = ("circle", "square", "triangle")
    out = []
    for i, area in enumerate(rng.sample(areas, len(areas))):
        kind = kinds[i % 3]
        png = shape_png(kind, area, f"{seed}:{i}")
        out.append(
            NewItem(kind="image", source=f"{kind}{i:02d}", truth=str(area), media=png,
                    mime="image/png")
        )  # fmt: skip
    return out


def choose(p: SimPlayer, item: ItemRow, area: dict[int, float], rng: random.Random) -> int:
    """The button a simulated player presses on a pair (module rules)."""
    if p.kind in ALWAYS_LEFT:
        return LEFT
    if p.kind == "guesser":
        return rng.choice((LEFT, RIGHT))
    left, right = area[int(item.meta["left_id"])], area[int(item.meta["right_id"])]
    if abs(left - right) / max(left, right) < CLOSE and rng.random() < CANT_TELL:
        return UNSURE
    bigger = LEFT if left > right else RIGHT
    return bigger if rng.random() < p.accuracy else 1 - bigger


async def run_compare(
    engine: Engine,
    clock: ManualClock,
    store: Store,
    settings: Settings,
    players: list[SimPlayer],
    seed: int,
) -> dict[str, Any]:
    """Players compare pairs; the figures for the summary's `compare`."""
    spec = make_spec(
        settings, CAMPAIGN, "compare", question="Which shape is bigger?", min_overlap=2,
        max_overlap=3, gold_rate=0.0, game_settings={"pairs_per_item": "6"},
    )  # fmt: skip
    items = shape_items(seed)
    campaign = await store_import(store, "image", "demo shapes", items, spec, clock.now())
    base = await engine.compare.pairs.base(campaign)
    rows = await store.get_items(base)
    area = {i: float(rows[i].truth or 0) for i in base}
    for p in players:
        await engine.players.consent(p.ref, True)
    answers = idle = 0
    for wave in range(WAVES):
        acted = 0
        for i, p in enumerate(players):
            rng = random.Random(f"demo-compare:{seed}:{wave}:{i}")
            acted += await _act(engine, clock, store, p, campaign.id, area, rng)
        answers += acted
        await engine.tick()
        idle = idle + 1 if acted == 0 else 0
        if idle >= 2:
            break
    ranking = await engine.compare.ranking(campaign)
    truth = [area[r.item_id] for r in ranking.items]
    rho = spearman(truth, [r.score for r in ranking.items])
    return {
        "campaign": CAMPAIGN,
        "items": len(base),
        "pairs": len(await store.compare_pairs(campaign.id)),
        "answers": answers,
        "comparisons": ranking.answers,
        "accuracy": round(rho, 4),
        "ranking": [r.name for r in ranking.items],
    }


async def _act(
    engine: Engine,
    clock: ManualClock,
    store: Store,
    p: SimPlayer,
    campaign_id: int,
    area: dict[int, float],
    rng: random.Random,
) -> int:
    """One compare task for one player: 1 when answered, 0 when none (others skipped)."""
    try:
        card = await engine.play.next_task(p.ref)
    except LabelQuestError:
        return 0
    rnd = None if card.round_id is None else await store.get_round(card.round_id)
    if rnd is None or rnd.campaign_id != campaign_id:
        if rnd is not None:
            await engine.play.skip(p.ref, rnd.id)
        return 0
    item = await store.get_item(rnd.item_id)
    if item is None:
        return 0
    clock.set(clock.now() + rng.uniform(*p.think))
    try:
        await engine.play.answer(p.ref, rnd.id, choose(p, item, area, rng), continue_session=False)
    except LabelQuestError:
        return 0
    return 1
