"""The demo's select-all-that-apply campaign (issue 17): which colours are in the picture?

A campaign "Colours: select all that apply" (game `multilabel`, attributes `COLOURS`) holds
`ITEMS` Pillow-drawn pictures (`shapes_image`): one to three shapes, each in one of the item's
true colours, on a white ground; about 8% show only grey shapes (the truth is "None of
these") and about 10% are gold. Each wave every player asks for a solo task; a card of this
campaign is answered with `engine.play.answer_value` (the value a multi-select composes), all
of a wave's answers at once through the group commit. The run ends with the first wave that
serves no card of this campaign (or after `bot.demo.waves.MAX_WAVES`).

How a simulated player selects (`selection`), every choice a hash of (seed, player, item):
spammers, clickers and random guessers pick a random set; the others see each colour right
(present or absent) with probability `accuracy`, independently per colour.

Reported: `accuracy` = micro-averaged F1 of the present attributes of the finalized non-gold
items' labels against the truth; `exact_match` = share of those labels equal to the truth.
"""

from __future__ import annotations

import io
import random
from typing import Any

from PIL import Image, ImageDraw

from bot.config import Settings
from bot.core.campaigns.importing import make_spec, store_import
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock, set_task_offset
from bot.core.kernel.errors import LabelQuestError
from bot.core.play.quality import roll
from bot.demo.simulate import SimPlayer
from bot.demo.waves import play_waves
from bot.games.multilabel import attributes_of, canonical
from storage import Store
from storage.rows import NewItem

CAMPAIGN = "Colours: select all that apply"
QUESTION = "Which colours do you see? Select all that apply."
COLOURS = ["red", "green", "blue", "yellow", "purple"]
RGB = {
    "red": (220, 30, 30),
    "green": (30, 160, 50),
    "blue": (30, 60, 220),
    "yellow": (240, 210, 20),
    "purple": (140, 40, 170),
}
ITEMS = 60
SIZE = 96
RANDOM_PICKERS = ("spammer", "clicker", "guesser")


def shapes_image(colours: list[str], rng: random.Random) -> bytes:
    """A PNG with one to three shapes per colour (grey shapes when `colours` is empty)."""
    img = Image.new("RGB", (SIZE, SIZE), "white")
    draw = ImageDraw.Draw(img)
    fills = [RGB[c] for c in colours] or [(128, 128, 128)]
    for fill in fills:
        for _ in range(rng.randint(1, 2)):
            x, y = rng.randint(4, SIZE - 30), rng.randint(4, SIZE - 30)
            box = (x, y, x + rng.randint(12, 26), y + rng.randint(12, 26))
            (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=fill)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def demo_items(n: int, seed: int, gold_share: float = 0.1) -> list[NewItem]:
    rng = random.Random(f"multilabel-{seed}")
    items = []
    for i in range(n):
        none = rng.random() < 0.08
        colours = [] if none else sorted(rng.sample(COLOURS, rng.randint(1, 3)), key=COLOURS.index)
        truth = canonical(COLOURS, frozenset(colours))
        gold = i < round(n * gold_share)
        items.append(
            NewItem(
                kind="image",
                source=f"colours-{i}.png",
                gold=truth if gold else None,
                truth=truth,
                media=shapes_image(colours, rng),
                mime="image/png",
            )
        )
    return items


def selection(p: SimPlayer, truth: str, rng: random.Random) -> str:
    """What player `p` picks for an item whose true set is `truth` (module rules)."""
    true = attributes_of(truth)
    if p.kind in RANDOM_PICKERS:
        said = frozenset(c for c in COLOURS if rng.random() < 0.3)
    else:
        said = frozenset(c for c in COLOURS if (c in true) == (rng.random() < p.accuracy))
    return canonical(COLOURS, said)


async def run_multilabel(
    engine: Engine,
    clock: ManualClock,
    store: Store,
    settings: Settings,
    players: list[SimPlayer],
    seed: int,
    items: int = ITEMS,
) -> dict[str, Any]:
    """Players label the colours campaign; the figures for the demo's summary."""
    spec = make_spec(
        settings, CAMPAIGN, "multilabel", options=COLOURS, question=QUESTION, min_overlap=3,
        max_overlap=7, confidence=0.8, gold_rate=0.1,
    )  # fmt: skip
    made = demo_items(items, seed)
    campaign = await store_import(store, "image", "colours demo", made, spec, clock.now())
    waves = await play_waves(
        engine, clock, campaign.id, players, lambda p, rid: _pick(engine, p, rid, seed)
    )
    return {"campaign": CAMPAIGN, "waves": waves, **await multilabel_figures(store, campaign.id)}


async def _pick(engine: Engine, p: SimPlayer, round_id: int, seed: int) -> None:
    rnd = await engine.kernel.round(round_id)
    assert rnd is not None
    item = await engine.kernel.item(rnd.item_id)
    rng = random.Random(roll(seed, "multilabel", p.ref.external_id, item.id))
    value = selection(p, item.truth or "none", rng)
    set_task_offset(rng.uniform(*p.think) + 0.5 * len(attributes_of(value)))
    try:
        await engine.play.answer_value(p.ref, round_id, value, continue_session=False)
    except LabelQuestError:  # a refusal (e.g. a blocked player) is part of the game
        return


async def multilabel_figures(store: Store, campaign_id: int) -> dict[str, Any]:
    """Items, answers, finalized and review counts, micro F1 and exact match (module rules)."""
    items = {i.id: i for i in await store.campaign_items(campaign_id)}
    played = {k: v for k, v in items.items() if v.gold is None and v.truth is not None}
    tallies = {t.item_id: t for t in await store.campaign_tallies(campaign_id)}
    final = [k for k in played if k in tallies and tallies[k].status == "finalized"]
    tp = fp = fn = exact = 0
    for k in final:
        got, true = attributes_of(tallies[k].label or ""), attributes_of(played[k].truth or "")
        tp, fp, fn = tp + len(got & true), fp + len(got - true), fn + len(true - got)
        exact += got == true
    counts = await store.campaign_counts(campaign_id)
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return {
        "items": len(items),
        "gold_items": len(items) - sum(1 for v in items.values() if v.gold is None),
        "answers": counts.answers,
        "finalized": len(final),
        "review": sum(1 for k in played if k in tallies and tallies[k].status == "review"),
        "accuracy": round(f1, 4) if final else 0.0,
        "exact_match": round(exact / len(final), 4) if final else 0.0,
    }
