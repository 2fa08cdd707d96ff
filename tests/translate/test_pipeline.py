"""The translate pipeline through the engine, on SQLite and PostgreSQL: translate, validate
(never by the author), compare (never by either author), accept once, export the labels."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.core.engine import Engine
from bot.core.exports.labels import label_rows
from bot.core.kernel.errors import InvalidInput, NoTaskAvailable, NotConsented, PermissionDenied
from bot.games.translate import stage_of
from tests.support.engine import MOD, player
from tests.translate.helpers import (
    judge,
    points,
    speakers,
    task,
    think,
    translate,
    translate_campaign,
)

ANN, BOB, CAT, DAN, EVE = (player(i) for i in range(1, 6))


async def test_translate_validate_accept_pay_once(engine: Engine) -> None:
    campaign = await translate_campaign(engine)
    await speakers(engine, ANN, BOB, CAT)
    await translate(engine, ANN, "  Die Katze   schläft. ")
    (c,) = await engine.store.campaign_contributions(campaign.id, "translation")
    cand = await engine.store.get_item(c.item_id)
    assert cand is not None and cand.candidate == "Die Katze schläft."
    with pytest.raises(NoTaskAvailable):  # her own translation is never served to her
        await task(engine, ANN)
    before = await points(engine, ANN)
    await judge(engine, BOB, "candidate", 0)
    await judge(engine, CAT, "candidate", 0)
    await asyncio.gather(engine.tick(), engine.tick())  # two settle runs racing
    assert await engine.tick() == 0
    (source,) = [i for i in await engine.store.campaign_items(campaign.id) if i.source == "s0"]
    t = await engine.store.get_tally(campaign.id, source.id)
    assert t is not None and t.status == "finalized" and t.label == "Die Katze schläft."
    assert t.confidence is not None and 0.9 <= t.confidence <= 1.0
    assert await points(engine, ANN) == before + 20  # paid once (+20 a translation)
    rows = await label_rows(engine.store, campaign)
    assert [(r["source"], r["label"], r["confidence"]) for r in rows] == [
        ("s0", "Die Katze schläft.", round(t.confidence, 4))
    ]


async def test_rejected_candidates_send_a_full_source_to_review(engine: Engine) -> None:
    campaign = await translate_campaign(engine)
    await speakers(engine, ANN, BOB, CAT)
    await translate(engine, ANN, "Der Hund bellt.")
    (source,) = [i for i in await engine.store.campaign_items(campaign.id) if i.source == "s0"]
    waiting = await engine.store.get_tally(campaign.id, source.id)
    assert waiting is not None and waiting.status == "open"  # full, waits for its validators
    assert (
        await engine.store.review_queue([campaign.id], limit=10) == []
    )  # not a moderator's job yet
    await judge(engine, BOB, "candidate", 1)
    await judge(engine, CAT, "candidate", 1)
    await engine.tick()
    (c,) = await engine.store.campaign_contributions(campaign.id, "translation")
    assert c.outcome == "rejected"
    (row,) = await engine.store.translate_sources(campaign.id)
    assert row.state == "review"
    queue = await engine.store.review_queue([campaign.id], limit=10)
    assert [t.item_id for t in queue] == [source.id]
    rows = await label_rows(engine.store, campaign)  # the source only, no label, in review
    assert [(r["source"], r["label"], r["status"]) for r in rows] == [("s0", None, "review")]


async def test_two_valid_translations_are_compared_by_others(engine: Engine) -> None:
    campaign = await translate_campaign(engine, max_overlap=2)
    await speakers(engine, ANN, BOB, CAT, DAN)
    await translate(engine, ANN, "Die Katze schläft.")
    await translate(engine, BOB, "Die Katze pennt.")
    await judge(engine, BOB, "candidate", 0)  # held since his translation: Ann's
    for ref in (CAT, CAT, DAN):
        await judge(engine, ref, "candidate", 0)
    await engine.tick()
    (row,) = await engine.store.translate_sources(campaign.id)
    assert row.state == "comparing" and row.pair_item_id is not None
    for author in (ANN, BOB):
        with pytest.raises(NoTaskAvailable):  # neither author gets the pair
            await task(engine, author)
    posted = await engine.play.post_round(MOD, campaign.name)
    assert posted.round_id is not None
    rnd = await engine.store.get_round(posted.round_id)
    assert rnd is not None and rnd.item_id == row.pair_item_id
    await engine.players.consent(player(1, MOD.channel), True)
    with pytest.raises(PermissionDenied):  # refused in a channel round too
        await engine.play.answer(player(1, MOD.channel), posted.round_id, 0)
    await engine.play.close_round(posted.round_id)
    pair = await engine.store.get_item(row.pair_item_id)
    assert pair is not None and stage_of(pair) == "pair"
    await judge(engine, CAT, "pair", 1)
    await judge(engine, DAN, "pair", 1)
    await engine.tick()
    (row,) = await engine.store.translate_sources(campaign.id)
    assert row.state == "accepted"
    t = await engine.store.get_tally(campaign.id, row.item_id)
    assert t is not None and t.label == pair.meta["b_text"]
    rows = await label_rows(engine.store, campaign)
    assert [r["label"] for r in rows] == [pair.meta["b_text"]]


async def test_same_words_support_a_candidate_and_its_typist_never_checks_it(
    engine: Engine,
) -> None:
    campaign = await translate_campaign(engine, max_overlap=2)
    await speakers(engine, ANN, BOB, CAT)
    await translate(engine, ANN, "Die Katze schläft.")
    await translate(engine, BOB, "die katze  SCHLÄFT.")
    (c,) = await engine.store.campaign_contributions(campaign.id, "translation")
    with pytest.raises(NoTaskAvailable):
        await task(engine, BOB)
    ann = await engine.store.get_identity(ANN.platform, ANN.external_id)
    assert ann is not None and c.player_id == ann.player_id  # the first typist is the author
    await judge(engine, CAT, "candidate", 0)


async def test_only_target_speakers_get_tasks(engine: Engine) -> None:
    await translate_campaign(engine)
    await speakers(engine, ANN, codes="fr en")
    with pytest.raises(NoTaskAvailable, match="Set your languages with /languages to translate"):
        await engine.play.next_task(ANN)
    await engine.languages.command(ANN, "de")
    _card, item = await task(engine, ANN)
    assert stage_of(item) == "source"


async def test_languages_command_and_bad_input(engine: Engine) -> None:
    with pytest.raises(NotConsented):
        await engine.languages.command(EVE, "de")
    assert await engine.store.get_identity("discord", "u5") is None
    await engine.players.consent(ANN, True)
    with pytest.raises(InvalidInput, match="'xx'"):
        await engine.languages.command(ANN, "de xx")
    assert "not set" in (await engine.languages.command(ANN, "")).text
    assert "German (de)" in (await engine.languages.command(ANN, "DE en")).text
    assert "German (de), English (en)" in (await engine.languages.command(ANN, "")).text
    await engine.languages.command(ANN, "none")
    assert "not set" in (await engine.languages.command(ANN, "")).text


async def test_empty_and_too_long_translations_store_nothing(engine: Engine) -> None:
    campaign = await translate_campaign(engine, max_chars=20)
    await speakers(engine, ANN)
    card, item = await task(engine, ANN)
    with pytest.raises(InvalidInput, match="empty"):
        await engine.play.answer_text(ANN, "   ", round_id=card.round_id)
    with pytest.raises(InvalidInput, match="limit is 20"):
        await engine.play.answer_text(ANN, "x" * 21, round_id=card.round_id)
    assert await engine.store.item_answers(campaign.id, item.id) == []
    assert await engine.store.campaign_contributions(campaign.id) == []


async def test_the_author_is_refused_in_a_channel_round_too(engine: Engine) -> None:
    campaign = await translate_campaign(engine)
    await speakers(engine, ANN, BOB)
    await translate(engine, ANN, "Die Katze schläft.")
    posted = await engine.play.post_round(MOD, campaign.name)
    assert posted.round_id is not None and "Is this a good German translation" in posted.text
    in_group = player(1, MOD.channel)
    with pytest.raises(PermissionDenied):
        await engine.play.answer(in_group, posted.round_id, 0)
    think(engine)
    await engine.play.answer(player(2, MOD.channel), posted.round_id, 0)
    (c,) = await engine.store.campaign_contributions(campaign.id, "translation")
    (only,) = await engine.store.item_answers(campaign.id, c.item_id)  # Bob's, not Ann's
    assert only.player_id != c.player_id


async def test_languages_are_in_my_data_and_gone_after_forget(engine: Engine) -> None:
    await speakers(engine, ANN)
    mine = await engine.players.my_data(ANN)
    assert json.loads(mine.files[0].data)["languages"] == ["de", "en"]
    await engine.players.forget_confirm(ANN, True)
    async with engine.store.db.read() as conn:  # type: ignore[attr-defined]
        assert await conn.fetchval("SELECT COUNT(*) FROM player_languages") == 0
