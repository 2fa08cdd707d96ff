"""The demo's handwriting transcription (issue 16): the simulated community types what it sees.

A campaign "Handwriting: type the word" (game `transcribe`, default settings: case folded,
spaces collapsed) holds `ITEMS` images from `bot.demo.handwriting` (words and short phrases,
about 10% gold). Each wave every player asks for a solo task (`engine.play.next_task`); a card
of this campaign is answered by typing (`engine.play.answer_text(ref, text, round_id=...)`),
all of a wave's answers at once through the group commit, each at its player's thinking time
plus typing time. A card of another campaign is left alone. The run ends with the first wave
that serves no card of this campaign (or after `bot.demo.waves.MAX_WAVES`).

How a simulated player types (`typed_answer`), every choice a hash of (seed, player, item):
- spammers, clickers and random guessers type one to three random vocabulary words;
- the others type the truth with probability `accuracy`; a third of those right answers come
  in a variant normalisation folds (Capitalised, UPPER CASE, doubled or trailing spaces);
- otherwise a realistic slip: a one-letter typo (a letter dropped, doubled, swapped with its
  neighbour or replaced by a keyboard neighbour), or for a phrase a dropped word.

Reported: `accuracy` = share of the finalized non-gold items whose label equals the
normalised truth (`bot.games.text_norm.fold` with the default rules); `voted` = finalized
items whose label no single player typed (the word-level ROVER vote at work).
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from bot.config import Settings
from bot.core.campaigns.importing import make_spec, store_import
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock, set_task_offset
from bot.core.kernel.errors import LabelQuestError
from bot.core.play.quality import roll
from bot.demo.handwriting import WORDS, handwriting_items
from bot.demo.simulate import SimPlayer
from bot.demo.waves import play_waves
from bot.games.text_norm import TextRules, fold
from storage import Store

CAMPAIGN = "Handwriting: type the word"
ITEMS = 60
RANDOM_TYPISTS = ("spammer", "clicker", "guesser")
NEIGHBOURS = {
    "a": "qs",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "w",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "x",
}


def typed_answer(p: SimPlayer, truth: str, rng: random.Random) -> str:
    """What player `p` types for an image whose text is `truth` (module rules)."""
    if p.kind in RANDOM_TYPISTS:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
    if rng.random() < p.accuracy:
        return folded_variant(truth, rng) if rng.random() < 1 / 3 else truth
    words = truth.split()
    if len(words) > 1 and rng.random() < 0.3:
        del words[rng.randrange(len(words))]
        return " ".join(words)
    spot = rng.randrange(len(words))
    words[spot] = typo(words[spot], rng)
    return " ".join(words)


def folded_variant(text: str, rng: random.Random) -> str:
    """`text` as typed carelessly in a way the default normalisation folds."""
    pick = rng.randrange(4)
    if pick == 0:
        return text.capitalize()
    if pick == 1:
        return text.upper()
    if pick == 2:
        return text.replace(" ", "  ") + " "
    return " " + text.title()


def typo(word: str, rng: random.Random) -> str:
    """One slip of the finger in `word` (never the word itself)."""
    i = rng.randrange(len(word))
    kind = rng.randrange(4) if len(word) > 1 else 1
    if kind == 0:
        out = word[:i] + word[i + 1 :]
    elif kind == 1:
        out = word[:i] + word[i] + word[i:]
    elif kind == 2 and i + 1 < len(word) and word[i] != word[i + 1]:
        out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    else:
        out = word[:i] + rng.choice(NEIGHBOURS.get(word[i], "e")) + word[i + 1 :]
    return out if out != word else word + "s"


async def run_transcribe(
    engine: Engine,
    clock: ManualClock,
    store: Store,
    settings: Settings,
    players: list[SimPlayer],
    seed: int,
    items: int = ITEMS,
) -> dict[str, Any]:
    """Players transcribe the handwriting campaign; the figures for the demo's summary."""
    spec = make_spec(
        settings, CAMPAIGN, "transcribe", min_overlap=3, max_overlap=7, confidence=0.8,
        gold_rate=0.1,
    )  # fmt: skip
    made = handwriting_items(items, seed, gold_share=0.1)
    campaign = await store_import(store, "image", "handwriting demo", made, spec, clock.now())
    waves = await play_waves(
        engine, clock, campaign.id, players, lambda p, rid: _type(engine, p, rid, seed)
    )
    figures = await transcribe_figures(store, campaign.id)
    return {"campaign": CAMPAIGN, "waves": waves, **figures}


async def _type(engine: Engine, p: SimPlayer, round_id: int, seed: int) -> None:
    rnd = await engine.kernel.round(round_id)
    assert rnd is not None
    item = await engine.kernel.item(rnd.item_id)
    rng = random.Random(roll(seed, "typed", p.ref.external_id, item.id))
    text = typed_answer(p, item.truth or "", rng)
    set_task_offset(rng.uniform(*p.think) + 0.25 * len(text))
    try:
        await engine.play.answer_text(p.ref, text, round_id=round_id, continue_session=False)
    except LabelQuestError:  # a refusal (e.g. a blocked player) is part of the game
        return


async def transcribe_figures(store: Store, campaign_id: int) -> dict[str, Any]:
    """Items, answers, finalized and review counts and the label accuracy (module rules)."""
    rules = TextRules()
    items = {i.id: i for i in await store.campaign_items(campaign_id)}
    played = {k: v for k, v in items.items() if v.gold is None and v.truth is not None}
    tallies = {t.item_id: t for t in await store.campaign_tallies(campaign_id)}
    typed: dict[int, set[str]] = defaultdict(set)
    for a in await store.campaign_answers(campaign_id):
        typed[a.item_id].add(a.label)
    final = [k for k in played if k in tallies and tallies[k].status == "finalized"]
    right = sum(1 for k in final if tallies[k].label == fold(played[k].truth or "", rules))
    counts = await store.campaign_counts(campaign_id)
    return {
        "items": len(items),
        "gold_items": len(items) - sum(1 for v in items.values() if v.gold is None),
        "answers": counts.answers,
        "finalized": len(final),
        "review": sum(1 for k in played if k in tallies and tallies[k].status == "review"),
        "voted": sum(1 for k in final if tallies[k].label not in typed[k]),
        "accuracy": round(right / len(final), 4) if final else 0.0,
    }
