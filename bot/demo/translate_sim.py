"""The demo's translation campaign (issue 16): translate, validate, compare, accept.

A campaign "Translate: English to German" over `CORPUS` (short English sentences with a
reference German translation written for the demo). Simulated players who are not clickers
or spammers say they speak German and English (`/languages de en`), except every fourth,
who speaks English only and so never gets these tasks. Each wave every speaker asks for a
solo task (`engine.play.next_task`) and does what its stage asks:

- a source sentence: types the reference with probability = their accuracy, else a degraded
  variant (a word dropped, two neighbouring words swapped, or a typo); a guesser always
  degrades;
- a candidate: says yes when it is the reference and no otherwise, with probability = their
  accuracy (a guesser picks at random);
- a pair: picks the side that is the reference, likewise.

After each wave the tick settles candidates and decides sources (`bot.core.translate`).
`accuracy` is the share of accepted translations equal (normalised) to the reference.
Every random choice is a hash of the seed, so a seed always gives the same figures.
"""

from __future__ import annotations

import random
from typing import Any

from bot.config import Settings
from bot.core.campaigns.importing import make_spec, store_import
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import LabelQuestError
from bot.demo.simulate import SimPlayer
from bot.games.translate import CANDIDATE, PAIR, SOURCE, same_translation, stage_of
from storage import SOURCE_ACCEPTED, SOURCE_REVIEW, ItemRow, NewItem, Store

CAMPAIGN = "Translate: English to German"
WAVES = 60
NOT_TRANSLATING = ("spammer", "clicker")
CORPUS: tuple[tuple[str, str], ...] = (
    ("The cat sleeps on the sofa.", "Die Katze schläft auf dem Sofa."),
    ("I drink coffee every morning.", "Ich trinke jeden Morgen Kaffee."),
    ("The weather is nice today.", "Das Wetter ist heute schön."),
    ("Where is the train station?", "Wo ist der Bahnhof?"),
    ("My brother lives in Berlin.", "Mein Bruder wohnt in Berlin."),
    ("We are going to the cinema tonight.", "Wir gehen heute Abend ins Kino."),
    ("The book is on the table.", "Das Buch liegt auf dem Tisch."),
    ("She reads a newspaper.", "Sie liest eine Zeitung."),
    ("The children play in the garden.", "Die Kinder spielen im Garten."),
    ("I am hungry.", "Ich habe Hunger."),
    ("The shop opens at nine.", "Der Laden öffnet um neun."),
    ("He speaks three languages.", "Er spricht drei Sprachen."),
    ("The water is cold.", "Das Wasser ist kalt."),
    ("Please close the door.", "Bitte schließ die Tür."),
    ("My phone is broken.", "Mein Handy ist kaputt."),
    ("The dog barks at night.", "Der Hund bellt in der Nacht."),
    ("We need more bread.", "Wir brauchen mehr Brot."),
    ("The bus is late again.", "Der Bus ist wieder spät."),
    ("I like green apples.", "Ich mag grüne Äpfel."),
    ("The museum is closed on Monday.", "Das Museum ist am Montag geschlossen."),
    ("Thank you for your help.", "Danke für deine Hilfe."),
    ("The house has a red roof.", "Das Haus hat ein rotes Dach."),
    ("It is raining in the city.", "Es regnet in der Stadt."),
    ("My sister plays the piano.", "Meine Schwester spielt Klavier."),
    ("The soup is too hot.", "Die Suppe ist zu heiß."),
    ("We walk to school.", "Wir gehen zu Fuß zur Schule."),
    ("The bird sings in the tree.", "Der Vogel singt im Baum."),
    ("I have two cats.", "Ich habe zwei Katzen."),
    ("The river is very long.", "Der Fluss ist sehr lang."),
    ("Tomorrow is my birthday.", "Morgen ist mein Geburtstag."),
)


def degrade(text: str, rng: random.Random) -> str:
    """A plausible wrong translation: a word dropped, two neighbours swapped, or a typo."""
    words = text.split()
    how = rng.randrange(3)
    if how == 0 and len(words) > 2:
        del words[rng.randrange(1, len(words))]
    elif how == 1 and len(words) > 2:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    else:
        i = max(range(len(words)), key=lambda j: len(words[j]))
        w = words[i]
        k = rng.randrange(len(w) - 1) if len(w) > 1 else 0
        words[i] = w[:k] + w[k + 1 : k + 2] + w[k : k + 1] + w[k + 2 :] if len(w) > 1 else w + w
    out = " ".join(words)
    return out if not same_translation(out, text) else out + " ja"


async def run_translate(
    engine: Engine,
    clock: ManualClock,
    store: Store,
    settings: Settings,
    players: list[SimPlayer],
    seed: int,
) -> dict[str, Any]:
    """Players translate, validate and compare; the figures for the summary's `translate`."""
    spec = make_spec(
        settings, CAMPAIGN, "translate", min_overlap=2, max_overlap=3, gold_rate=0.0,
        game_settings={"source": "en", "target": "de"},
    )  # fmt: skip
    items = [
        NewItem(kind="text", source=f"sentence{i:02d}", text=en, truth=de)
        for i, (en, de) in enumerate(CORPUS)
    ]
    campaign = await store_import(store, "text", "demo sentences", items, spec, clock.now())
    speakers = [p for p in players if p.kind not in NOT_TRANSLATING]
    for i, p in enumerate(speakers):
        await engine.players.consent(p.ref, True)
        await engine.languages.command(p.ref, "en" if i % 4 == 3 else "de en")
    idle = 0
    for wave in range(WAVES):
        acted = 0
        for i, p in enumerate(speakers):
            rng = random.Random(f"demo-translate:{seed}:{wave}:{i}")
            acted += await _act(engine, clock, store, p, rng)
        await engine.tick()
        idle = idle + 1 if acted == 0 else 0
        if idle >= 2:
            break
    return await _figures(store, campaign.id)


async def _act(
    engine: Engine, clock: ManualClock, store: Store, p: SimPlayer, rng: random.Random
) -> int:
    """One task for one player (read for their thinking time, then answered): 1 when they
    answered, 0 when there was none for them."""
    try:
        card = await engine.play.next_task(p.ref)
    except LabelQuestError:
        return 0
    clock.set(clock.now() + rng.uniform(*p.think))
    rnd = None if card.round_id is None else await store.get_round(card.round_id)
    item = None if rnd is None else await store.get_item(rnd.item_id)
    if rnd is None or item is None:
        return 0
    right = p.kind != "guesser" and rng.random() < p.accuracy
    try:
        stage = stage_of(item)
        if stage == SOURCE:
            truth = item.truth or ""
            text = truth if right else degrade(truth, rng)
            await engine.play.answer_text(p.ref, text, round_id=rnd.id)
        else:
            choice = await _choice(store, item, stage, right, rng)
            await engine.play.answer(p.ref, rnd.id, choice, continue_session=False)
    except LabelQuestError:
        return 0
    return 1


async def _choice(store: Store, item: ItemRow, stage: str, right: bool, rng: random.Random) -> int:
    """The button index: yes 0 / no 1 for a candidate, A 0 / B 1 for a pair."""
    source = await store.get_item(int(item.meta.get("source_item_id", 0)))
    truth = "" if source is None else source.truth or ""
    if stage == CANDIDATE:
        good = same_translation(item.candidate or "", truth)
        return (0 if good else 1) if right else rng.randrange(2)
    if stage == PAIR:
        a_good = same_translation(str(item.meta.get("a_text", "")), truth)
        return (0 if a_good else 1) if right else rng.randrange(2)
    return 0


async def _figures(store: Store, campaign_id: int) -> dict[str, Any]:
    sources = [i for i in await store.campaign_items(campaign_id) if stage_of(i) == SOURCE]
    truth = {i.id: i.truth or "" for i in sources}
    translations = 0
    for s in sources:
        translations += len(await store.item_answers(campaign_id, s.id))
    candidates = await store.campaign_contributions(campaign_id, "translation")
    decided = await store.translate_sources(campaign_id)
    accepted = [r for r in decided if r.state == SOURCE_ACCEPTED]
    right = 0
    for r in accepted:
        t = await store.get_tally(campaign_id, r.item_id)
        right += t is not None and same_translation(t.label or "", truth.get(r.item_id, ""))
    return {
        "campaign": CAMPAIGN,
        "sources": len(sources),
        "translations": translations,
        "candidates": len(candidates),
        "accepted": len(accepted),
        "review": sum(r.state == SOURCE_REVIEW for r in decided),
        "accuracy": round(right / len(accepted), 4) if accepted else 0.0,
    }
