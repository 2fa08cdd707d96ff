"""A photo's life at the engine, on SQLite and PostgreSQL: verified by OTHER players in
/play, settled once by the tick (two racing settles), the author paid once and told; the
dataset export with licence, pseudonyms and the consents (2)/(3); deleting one photo."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import zipfile

import pytest

from bot.core.engine import Engine
from bot.core.kernel.errors import NoTaskAvailable, NotFound
from bot.core.kernel.events import PlayerNotice
from bot.core.kernel.models import PlayerRef
from tests.capture.helpers import NAME, answer_consents, capture_campaign, contributor, scene
from tests.support.engine import (
    GENERAL,
    MOD,
    answer_payload,
    choice_payload,
    consented,
    player,
)


async def _verify_all(engine: Engine, verifiers: list[PlayerRef], label: str = "✅ Yes") -> None:
    """Each verifier answers two photos /play serves them with `label` (more of the same
    answer in a row would trip the straight-lining rule of `bot.core.play.quality`), then
    skips the task their session holds next, so its reservation is released."""
    for ref in verifiers:
        for n in range(3):
            try:
                card = await engine.play.next_task(ref)
            except NoTaskAvailable:
                break
            assert card.round_id is not None
            if n == 2:
                await engine.play.skip(ref, card.round_id)
            else:
                await engine.handle_button(ref, answer_payload(card, label))


def _notices(engine: Engine) -> list[PlayerNotice]:
    found: list[PlayerNotice] = []
    engine.bus.subscribe(lambda e: found.append(e) if isinstance(e, PlayerNotice) else None)
    return found


async def _setup(engine: Engine) -> tuple[list[PlayerRef], list[PlayerRef]]:
    await capture_campaign(engine)
    ann, bob, cy = [await contributor(engine, i) for i in (1, 2, 3)]
    await answer_consents(engine, ann)
    await answer_consents(engine, bob, publish=False)
    await answer_consents(engine, cy, owner=False)
    await engine.capture.consent(ann, "country", True, "de")
    for i, ref in enumerate((ann, bob, cy)):
        await engine.capture.contribute(ref, scene(i), f"p{i}.jpg", "image/jpeg")
    verifiers = [await contributor(engine, i) for i in range(11, 20)]
    return [ann, bob, cy], verifiers


async def _zip(engine: Engine, published: bool = False) -> tuple[list[dict[str, str]], set[str]]:
    reply = await engine.capture.export_photos(MOD, NAME, published)
    (f,) = reply.files
    z = zipfile.ZipFile(io.BytesIO(f.data))
    lines = list(csv.DictReader(io.StringIO(z.read("manifest.csv").decode())))
    jsonl = [json.loads(x) for x in z.read("manifest.jsonl").decode().splitlines()]
    assert [x["file"] for x in jsonl] == [x["file"] for x in lines]
    for line in lines:
        assert z.read(line["file"])[:2] == b"\xff\xd8"  # a JPEG
    return lines, set(z.namelist())


async def test_verified_by_others_settled_once_paid_once_exported(engine: Engine) -> None:
    (ann, bob, cy), verifiers = await _setup(engine)
    served = set()
    while True:  # the author is never served their own photo (skipped: no answer stored)
        try:
            card = await engine.play.next_task(ann)
        except NoTaskAvailable:
            break
        assert card.round_id is not None
        rnd = await engine.store.get_round(card.round_id)
        assert rnd is not None
        served.add(await engine.kernel.author_of(rnd.item_id))
        await engine.play.skip(ann, card.round_id)
    assert served == {await engine.kernel.require_player(p) for p in (bob, cy)}
    notices = _notices(engine)
    await _verify_all(engine, verifiers)
    settled = await asyncio.gather(*(engine.capture.settler.settle() for _ in range(2)))
    assert sum(settled) == 3  # two racing settles: each photo once
    assert await engine.capture.settler.settle() == 0
    for ref in (ann, bob, cy):
        pid = await engine.kernel.require_player(ref)
        ledger = [e for e in await engine.store.ledger_for(pid) if e.kind == "contribution"]
        assert [e.points for e in ledger] == [25]
    assert sum("was accepted" in n.reply.text for n in notices) == 3
    lines, names = await _zip(engine)
    assert names == {"manifest.csv", "manifest.jsonl", *(x["file"] for x in lines)}
    assert len(lines) == 2  # cy refused consent (2): never in the owner's dataset
    assert {x["licence"] for x in lines} == {"CC BY 4.0"}
    assert {x["subject"] for x in lines} == {"chair"}
    assert all(x["author"].startswith("w_") and x["yes_share"] == "1.0" for x in lines)
    assert sorted(x["country"] for x in lines) == ["", "DE"]
    published, _ = await _zip(engine, published=True)
    assert len(published) == 1 and published[0]["country"] == "DE"  # bob refused (3)
    everything = "".join(json.dumps(x) for x in lines)
    assert "Player" not in everything and "u1" not in everything


async def test_rejected_photo_is_not_exported_nor_paid(engine: Engine) -> None:
    (ann, _, _), verifiers = await _setup(engine)
    await _verify_all(engine, verifiers, "📷 Unusable (blurry, dark, private)")
    notices = _notices(engine)
    assert await engine.tick() >= 3
    pid = await engine.kernel.require_player(ann)
    assert not [e for e in await engine.store.ledger_for(pid) if e.kind == "contribution"]
    assert sum("was not accepted" in n.reply.text for n in notices) == 3
    lines, _ = await _zip(engine)
    assert lines == []


async def test_delete_one_photo_leaves_export_and_mydata(engine: Engine) -> None:
    (ann, bob, _), verifiers = await _setup(engine)
    await _verify_all(engine, verifiers)
    await engine.tick()
    mine = await engine.capture.my_photos(ann)
    photo_id = int(mine.text.splitlines()[1].split()[0].lstrip("#"))
    with pytest.raises(NotFound):  # nobody else can delete it
        await engine.capture.delete_photo(bob, photo_id)
    ask = await engine.handle_button(ann, choice_payload(mine, f"🗑 Delete #{photo_id}"))
    done = await engine.handle_button(ann, choice_payload(ask, "🗑 Delete it"))
    assert f"Photo #{photo_id} is deleted" in done.text
    lines, _ = await _zip(engine)
    assert [x["photo_id"] for x in lines] != [] and str(photo_id) not in {
        x["photo_id"] for x in lines
    }
    data = await engine.players.my_data(ann)
    body = json.loads(data.files[0].data)
    assert body["photos"] == [] and body["photo_consents"]["country"] == "DE"
    again = await engine.capture.my_photos(ann)
    assert "no stored photos" in again.text


async def test_mydata_lists_photos_and_consents_and_forget_deletes_them(engine: Engine) -> None:
    (ann, _, _), _ = await _setup(engine)
    reply = await engine.players.my_data(ann)
    body = json.loads(reply.files[0].data)
    (photo,) = body["photos"]
    assert photo["campaign"] == NAME and photo["status"] == "being checked"
    assert photo["consents"] == {"stores": True, "owner_use": True, "publish": True}
    assert body["photo_consents"]["stores"] is True and body["photo_consents"]["stores_at"]
    assert reply.then is not None and f"#{photo['photo']}" in reply.then.text
    item = await engine.store.get_contribution(photo["photo"])
    assert item is not None
    await engine.handle_button(ann, (await engine.players.forget(ann)).choices[0][0].payload)
    assert await engine.store.get_contribution(photo["photo"]) is None
    assert await engine.store.get_media(item.item_id) is None
    pid = item.player_id
    assert await engine.store.photo_consents(pid) is None


async def test_export_is_for_managers_in_scope(engine: Engine) -> None:
    (ann, _, _), _ = await _setup(engine)
    with pytest.raises(NotFound):
        await engine.capture.export_photos(ann, NAME)
    other = player(50, GENERAL)  # a player of the guild, not a moderator
    await consented(engine, other)
    with pytest.raises(NotFound):
        await engine.capture.export_photos(other, NAME)


async def test_stale_or_forged_buttons_get_a_clear_answer(engine: Engine) -> None:
    (ann, bob, _), _ = await _setup(engine)
    from bot.core.kernel.errors import UnknownPayload

    with pytest.raises(UnknownPayload):
        await engine.handle_button(ann, "v1:k:9:1")
    with pytest.raises(NotFound):  # a photo of someone else, or gone
        await engine.handle_button(bob, "v1:x:1:1")


async def test_export_from_chat_words(engine: Engine) -> None:
    """`/export Chairs photos [published]` as Telegram passes it (the words in the name),
    and Discord's format `photos`."""
    await _setup(engine)
    typed = await engine.campaigns.export_campaign(MOD, f"{NAME} photos published")
    assert typed.files[0].filename == "chairs-photos-published.zip"
    chosen = await engine.campaigns.export_campaign(MOD, NAME, "photos")
    assert chosen.files[0].filename == "chairs-photos.zip"
    assert "0 accepted photo(s)" in chosen.text  # none settled yet


async def test_a_capture_campaign_never_completes_on_its_own(
    engine: Engine, clock: object
) -> None:
    """Every photo verified is not the end: more photos may come, so the tick's completion
    leaves the campaign active and it still takes photos."""
    from bot.core.kernel.clock import ManualClock

    assert isinstance(clock, ManualClock)
    (ann, _, _), verifiers = await _setup(engine)
    await _verify_all(engine, verifiers)
    clock.advance(60)
    await engine.tick()
    clock.advance(60)
    await engine.tick()
    campaign = await engine.store.get_campaign_by_name(NAME)
    assert campaign is not None and campaign.status == "active"
    reply = await engine.capture.contribute(ann, scene(7), "more.jpg", "image/jpeg")
    assert "is stored for Chairs" in reply.text


async def test_a_photo_in_review_waits_for_the_reviewer(engine: Engine) -> None:
    """Verifiers disagree (the item goes to review): nothing is settled until a moderator's
    label; the reviewer's yes accepts it."""
    from storage.rows import ReviewLogEntry

    await capture_campaign(engine)
    ann = await contributor(engine, 1)
    await answer_consents(engine, ann)
    await engine.capture.contribute(ann, scene(1), "p.jpg", "image/jpeg")
    labels = ["✅ Yes", "❌ Not a chair", "📷 Unusable (blurry, dark, private)"]
    for i, label in enumerate(labels):
        ref = await contributor(engine, 30 + i)
        card = await engine.play.next_task(ref)
        await engine.handle_button(ref, answer_payload(card, label))
    campaign = await engine.store.get_campaign_by_name(NAME)
    assert campaign is not None
    (row,) = await engine.store.campaign_contributions(campaign.id, "photo")
    tally = await engine.store.get_tally(campaign.id, row.item_id)
    assert tally is not None and tally.status == "review"
    assert await engine.capture.settler.settle() == 0
    entry = ReviewLogEntry("label", "cli", engine.now(), campaign_id=campaign.id)
    await engine.store.set_expert_label(campaign.id, row.item_id, "yes", entry)
    assert await engine.capture.settler.settle() == 1
    settled = await engine.store.get_contribution(row.id)
    assert settled is not None and settled.outcome == "accepted"


async def test_a_channel_round_shows_the_photo_and_refuses_its_author(engine: Engine) -> None:
    from bot.core.kernel.errors import LabelQuestError

    await capture_campaign(engine)
    ann = await contributor(engine, 1)
    await answer_consents(engine, ann)
    await engine.capture.contribute(ann, scene(1), "p.jpg", "image/jpeg")
    card = await engine.play.post_round(MOD, NAME)
    assert card.media is not None and card.media.data[:2] == b"\xff\xd8"
    assert "Is this a chair, and is the photo usable?" in card.text
    in_group = player(1, GENERAL)
    with pytest.raises(LabelQuestError):
        await engine.handle_button(in_group, answer_payload(card, "✅ Yes"))
    await contributor(engine, 2)
    reply = await engine.handle_button(player(2, GENERAL), answer_payload(card, "✅ Yes"))
    assert reply.notice or reply.text


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)  # one SQLite file: one process
async def test_two_processes_settle_each_photo_once(
    engine: Engine, db_url: str, clock: object
) -> None:
    """Two engines, each on its own connection pool to one PostgreSQL database (two
    processes), settle at the same time: each photo is settled and paid once."""
    from bot.core.kernel.clock import ManualClock
    from storage import open_store
    from tests.support.settings import settings_for

    assert engine.store.dialect == "postgres"
    assert isinstance(clock, ManualClock)
    (ann, bob, cy), verifiers = await _setup(engine)
    await _verify_all(engine, verifiers)
    other_store = await open_store(db_url)
    other = Engine(other_store, settings_for(":memory:"), clock)
    try:
        settled = await asyncio.gather(
            engine.capture.settler.settle(), other.capture.settler.settle()
        )
    finally:
        await other.close()
        await other_store.close()
    assert sum(settled) == 3
    for ref in (ann, bob, cy):
        pid = await engine.kernel.require_player(ref)
        ledger = [e for e in await engine.store.ledger_for(pid) if e.kind == "contribution"]
        assert len(ledger) == 1


async def test_a_withdrawn_consent_takes_earlier_photos_out_of_that_export(
    engine: Engine,
) -> None:
    (ann, bob, _), verifiers = await _setup(engine)
    await _verify_all(engine, verifiers)
    await engine.tick()
    assert len((await _zip(engine, published=True))[0]) == 1  # ann's
    await engine.capture.consent(ann, "publish", False)
    assert (await _zip(engine, published=True))[0] == []
    assert len((await _zip(engine))[0]) == 2  # still the owner's (consent 2 kept)
    await engine.capture.consent(bob, "2", False)
    assert len((await _zip(engine))[0]) == 1
    await engine.capture.consent(ann, "publish", True)  # a new yes: future photos only
    assert (await _zip(engine, published=True))[0] == []
