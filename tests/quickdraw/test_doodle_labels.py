"""Labels from guesses: verdict per doodle, export columns, ndjson with people's flag."""

from __future__ import annotations

import json

from bot.core.engine import Engine
from bot.core.exports.labels import doodle_label_rows
from bot.core.kernel.clock import ManualClock
from bot.core.quickdraw.labels import doodle_labels, doodles_ndjson
from storage import SqlStore
from storage.quickdraw_formats import parse_ndjson_object
from tests.support.doodles import doodle_campaign, person, players

MOD = person(1, "Mo", mod=True)


async def _play(engine: Engine, clock: ManualClock, plan: dict[str, dict[str, str]]) -> None:
    """One round; each named player's first guess as planned for the doodle it shows."""
    card = await engine.play.post_round(MOD)
    assert card.round_id is not None
    rnd = await engine.kernel.round(card.round_id)
    assert rnd is not None
    guesses = plan[rnd.state["word"]]
    refs = await players(engine, *guesses)
    clock.advance(4)
    for ref, text in zip(refs, guesses.values(), strict=True):
        await engine.quickdraw.guess(ref, text)
    clock.advance(120)
    await engine.tick()


async def test_verdicts_from_first_guesses(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    campaign = await doodle_campaign(store, ("cat", "house"))
    plan = {
        "cat": {"A": "cat", "B": "kitty", "C": "dog"},
        "house": {"D": "barn", "E": "barn", "F": "tent"},
    }
    await _play(engine, clock, plan)
    await _play(engine, clock, plan)
    labels = await doodle_labels(store, campaign)
    by_word = {lab.word: lab for lab in labels.values()}
    cat, house = by_word["cat"].verdict, by_word["house"].verdict
    assert cat.label == "recognizable" and round(cat.recognition_rate, 3) == 0.667
    assert cat.top_guess == "cat" and cat.guessers == 3
    assert house.label == "looks_like:barn" and house.top_guess == "barn"
    assert by_word["cat"].human_recognized is True and by_word["house"].human_recognized is False

    rows = {r["word"]: r for r in await doodle_label_rows(store, campaign)}
    assert rows["cat"]["verdict"] == "recognizable" and rows["cat"]["model_recognized"] is True
    assert rows["house"]["top_guess"] == "barn" and rows["house"]["guessers"] == 3
    assert rows["cat"]["label"] == "cat"  # the live tally: what people took it for

    data, n = await doodles_ndjson(store, campaign)
    lines = data.decode().splitlines()
    assert n == len(lines) == 2
    parsed = {d.word: d for d in (parse_ndjson_object(json.loads(line)) for line in lines)}
    assert parsed["cat"].recognized is True and parsed["house"].recognized is False
    assert {d.key_id for d in parsed.values()} == {
        str(lab_row["key_id"]) for lab_row in rows.values()
    }


async def test_too_few_guessers_keep_the_original_flag(engine: Engine, store: SqlStore) -> None:
    campaign = await doodle_campaign(store, ("fish",))
    (label,) = (await doodle_labels(store, campaign)).values()
    assert label.verdict.label == "insufficient_evidence" and label.human_recognized is None
    data, _ = await doodles_ndjson(store, campaign)
    assert json.loads(data)["recognized"] is True  # the demo doodle's own flag
