"""The transcription demo: simulated players type what handwriting images say, through the
engine's typed path on a real SQLite store; labels come out right far above chance."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.demo.simulate import SimPlayer, make_players
from bot.demo.transcribe_sim import CAMPAIGN, run_transcribe, typed_answer, typo
from bot.games.text_norm import TextRules, fold
from storage import TALLY_FINALIZED, open_store
from tests.support.settings import settings_for


async def test_the_community_transcribes_the_handwriting_campaign(tmp_path: Path) -> None:
    url = str(tmp_path / "demo.db")
    settings = settings_for(url)
    store = await open_store(url)
    clock = ManualClock()
    engine = Engine(store, settings, clock)
    try:
        players = make_players(24, seed=3)
        result = await run_transcribe(engine, clock, store, settings, players, seed=3, items=24)
    finally:
        await engine.close()
    try:
        campaign = await store.get_campaign_by_name(CAMPAIGN)
        assert campaign is not None and campaign.game == "transcribe"
        items = await store.campaign_items(campaign.id)
        tallies = {t.item_id: t for t in await store.campaign_tallies(campaign.id)}
        answers = await store.campaign_answers(campaign.id)
    finally:
        await store.close()
    assert result["campaign"] == CAMPAIGN
    assert result["items"] == len(items) == 24
    assert result["answers"] == len(answers) > 24
    assert result["finalized"] > 12
    # Chance: a random typist's words match a whole text about 1 time in 150.
    assert result["accuracy"] > 0.8
    rules = TextRules()
    plain = [i for i in items if i.gold is None]
    final = [i for i in plain if tallies[i.id].status == TALLY_FINALIZED]
    right = [i for i in final if tallies[i.id].label == fold(i.truth or "", rules)]
    assert result["finalized"] == len(final)
    assert result["accuracy"] == round(len(right) / len(final), 4)
    # Answers were stored normalised: no capitals and no double spaces survive.
    assert all(a.label == fold(a.label, rules) for a in answers)


def _player(kind: str, accuracy: float) -> SimPlayer:
    base = make_players(1, seed=1)[0]
    return SimPlayer(base.ref, kind, accuracy, base.think, 0.0)


def test_careful_typists_mostly_type_the_truth_and_slips_look_like_slips() -> None:
    rng = random.Random(4)
    expert = _player("expert", 0.9)
    typed = [typed_answer(expert, "a cup of tea", rng) for _ in range(400)]
    folded = Counter(fold(t, TextRules()) for t in typed)
    assert 0.84 < folded["a cup of tea"] / 400 < 0.96
    assert any(t != "a cup of tea" and fold(t, TextRules()) == "a cup of tea" for t in typed)
    assert folded["a cup tea"] + folded["cup of tea"] + folded["a of tea"] > 0
    for slip in (t for t in folded if t != "a cup of tea"):
        assert len(slip.split()) >= 3


def test_a_spammer_types_random_words_and_a_typo_is_never_the_word() -> None:
    rng = random.Random(9)
    spammer = _player("spammer", 0.0)
    typed = {typed_answer(spammer, "lantern", rng) for _ in range(50)}
    assert len(typed) > 20 and "lantern" not in typed
    for word in ("a", "to", "kettle", "llama"):
        assert all(typo(word, random.Random(k)) != word for k in range(60))
