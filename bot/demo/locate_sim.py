"""The demo's locate game (issue 17): the simulated community boxes every ball in a scene.

A campaign "Locate: box every ball" (game `locate`, boxes, `min_support` 2, IoU 0.5) holds
`ITEMS` Pillow-drawn scenes (`scene_items`): a textured background with 0 to 3 coloured
balls whose true boxes are known (the item's truth; about 10% are gold). Each wave every
player asks for a solo task; a card of this campaign is answered through
`engine.play.answer_value` (the value the web canvas would submit), all of a wave's answers
at once through the group commit.

How a simulated player boxes (`drawn_boxes`), every choice a hash of (seed, player, item):
- spammers, clickers and random guessers draw 0 to 3 random boxes;
- the others draw each true box jittered (each side moved by up to `(1 - accuracy) * 0.4`
  of the box's size), miss a box with probability `(1 - accuracy) / 2`, and add one stray box
  with probability `(1 - accuracy) / 3`.

Reported: `accuracy` = share of the true boxes of the finalized non-gold items found by their
label at IoU >= 0.5 (one-to-one matching, `bot.aggregation.boxes.match_count`); `finalized`,
`review`, `false_boxes` (label boxes that match no true box).
"""

from __future__ import annotations

import io
import random
from typing import Any

from PIL import Image, ImageDraw

from bot.aggregation import boxes as geo
from bot.config import Settings
from bot.core.campaigns.importing import make_spec, store_import
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock, set_task_offset
from bot.core.kernel.errors import LabelQuestError
from bot.core.play.quality import roll
from bot.demo.simulate import SimPlayer
from bot.demo.waves import play_waves
from bot.games.locate import BOX, dump, parse
from storage import NewItem, Store

CAMPAIGN = "Locate: box every ball"
INSTRUCTION = "Box every ball"
ITEMS = 40
SIZE = (320, 240)
RANDOM_BOXERS = ("spammer", "clicker", "guesser")
COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd")


def scene(rng: random.Random, size: tuple[int, int] = SIZE) -> tuple[bytes, list[geo.Mark]]:
    """A PNG of 0..3 non-overlapping balls on a noisy background and their true boxes."""
    w, h = size
    img = Image.new("RGB", size, (235, 232, 220))
    draw = ImageDraw.Draw(img)
    for _ in range(60):  # background clutter
        x, y = rng.randrange(w), rng.randrange(h)
        draw.line((x, y, x + rng.randint(-20, 20), y + rng.randint(-20, 20)), fill=(200, 196, 185))
    truth: list[geo.Mark] = []
    for _ in range(rng.randint(0, 3)):
        for _attempt in range(20):
            d = rng.randint(24, 70)
            bx, by = float(rng.randint(2, w - d - 2)), float(rng.randint(2, h - d - 2))
            box: geo.Mark = (bx, by, float(d), float(d))
            if all(geo.iou(box, t) == 0 for t in truth):
                truth.append(box)
                draw.ellipse((bx, by, bx + d - 1, by + d - 1), fill=rng.choice(COLOURS))
                break
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue(), truth


def scene_items(n: int, seed: int, gold_share: float = 0.1) -> list[NewItem]:
    """`n` scenes as image items with their size in meta and their boxes as truth."""
    rng = random.Random(f"locate-{seed}")
    out = []
    for i in range(n):
        data, truth = scene(rng)
        label = dump(BOX, truth)
        gold = label if rng.random() < gold_share else None
        out.append(NewItem(
            kind="image", source=f"scene-{i:03d}.png", gold=gold, truth=label,
            meta={"width": SIZE[0], "height": SIZE[1]}, media=data, mime="image/png",
        ))  # fmt: skip
    return out


def drawn_boxes(p: SimPlayer, truth: list[geo.Mark], rng: random.Random) -> list[geo.Mark]:
    """The boxes player `p` draws on a scene whose true boxes are `truth` (module rules)."""
    w, h = SIZE
    if p.kind in RANDOM_BOXERS:
        return [_random_box(rng) for _ in range(rng.randint(0, 3))]
    slack = max(0.0, 1.0 - p.accuracy)
    out: list[geo.Mark] = []
    for x, y, bw, bh in truth:
        if rng.random() < slack / 2:
            continue
        j = slack * 0.4
        x0 = x + rng.uniform(-j, j) * bw
        y0 = y + rng.uniform(-j, j) * bh
        x1 = x + bw + rng.uniform(-j, j) * bw
        y1 = y + bh + rng.uniform(-j, j) * bh
        x0, y0, x1, y1 = max(0.0, x0), max(0.0, y0), min(float(w), x1), min(float(h), y1)
        if x1 - x0 >= 1 and y1 - y0 >= 1:
            out.append((x0, y0, x1 - x0, y1 - y0))
    if rng.random() < slack / 3:
        out.append(_random_box(rng))
    return out


def _random_box(rng: random.Random) -> geo.Mark:
    w, h = SIZE
    bw, bh = rng.randint(15, 80), rng.randint(15, 80)
    return (float(rng.randint(0, w - bw)), float(rng.randint(0, h - bh)), float(bw), float(bh))


async def run_locate(
    engine: Engine,
    clock: ManualClock,
    store: Store,
    settings: Settings,
    players: list[SimPlayer],
    seed: int,
    items: int = ITEMS,
) -> dict[str, Any]:
    """Players box the balls of the locate campaign; the figures for the demo's summary."""
    spec = make_spec(
        settings, CAMPAIGN, "locate", min_overlap=3, max_overlap=7, confidence=0.7,
        gold_rate=0.1, game_settings={"instruction": INSTRUCTION},
    )  # fmt: skip
    made = scene_items(items, seed)
    campaign = await store_import(store, "image", "locate demo", made, spec, clock.now())
    waves = await play_waves(
        engine, clock, campaign.id, players, lambda p, rid: _draw(engine, p, rid, seed)
    )
    figures = await locate_figures(store, campaign.id)
    return {"campaign": CAMPAIGN, "waves": waves, **figures}


async def _draw(engine: Engine, p: SimPlayer, round_id: int, seed: int) -> None:
    rnd = await engine.kernel.round(round_id)
    assert rnd is not None
    item = await engine.kernel.item(rnd.item_id)
    rng = random.Random(roll(seed, "locate", p.ref.external_id, item.id))
    truth = parse(item.truth)[1] if item.truth else []
    marks = drawn_boxes(p, truth, rng)
    set_task_offset(rng.uniform(*p.think) + 2.0 * len(marks))
    try:
        await engine.play.answer_value(p.ref, round_id, dump(BOX, marks), continue_session=False)
    except LabelQuestError:  # a refusal (e.g. a blocked player) is part of the game
        return


async def locate_figures(store: Store, campaign_id: int) -> dict[str, Any]:
    """Items, answers, finalized and review counts, the share of true boxes found."""
    items = {i.id: i for i in await store.campaign_items(campaign_id)}
    played = {k: v for k, v in items.items() if v.gold is None and v.truth is not None}
    tallies = {t.item_id: t for t in await store.campaign_tallies(campaign_id)}
    final = [k for k in played if k in tallies and tallies[k].status == "finalized"]
    true_total = found = false_boxes = 0
    for k in final:
        truth = parse(played[k].truth or "")[1]
        label = parse(tallies[k].label or '{"boxes":[]}')[1]
        hits = geo.match_count(truth, label, geo.iou, 0.5)
        true_total += len(truth)
        found += hits
        false_boxes += len(label) - hits
    counts = await store.campaign_counts(campaign_id)
    return {
        "items": len(items),
        "gold_items": len(items) - len(played),
        "answers": counts.answers,
        "finalized": len(final),
        "review": sum(1 for k in played if k in tallies and tallies[k].status == "review"),
        "true_boxes": true_total,
        "false_boxes": false_boxes,
        "accuracy": round(found / true_total, 4) if true_total else 0.0,
    }
