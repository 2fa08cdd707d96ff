"""Photo contributions through the real discord.py client against the Discord fake:
/contribute and the three consent buttons, a photo attached to a DM and one given to
/contribute's attachment option, cleaned before they are stored, verified by another player in
/play, settled by the tick, listed and deleted in /mydata; and what must store nothing (refused
consent, a text file, a huge photo never downloaded, photos in a server)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from bot.core.kernel.texts import NO_TASK
from bot.core.rewards import points_for_contribution
from storage.rows import CampaignRow
from tests.capture_chat.photos import (
    BACKGROUND,
    BLURRED_AT_LEAST,
    FACE,
    REENCODED_AT_MOST,
    astronaut_jpeg,
    gps_jpeg,
    has_gps,
    image_size,
    mean_change,
    metadata_of,
)
from tests.support.discord_world import World, shown
from tests.support.fakes.discord import FakeChannel, FakeUser, StoredMessage, UserFile

SETTINGS = 'prompt="a photo of a chair in your home" subject=chair'
MB = 2**20
PHOTO_POINTS = points_for_contribution("photo")[0].points


async def setup(world: World, *players: FakeUser) -> None:
    """The App; Mo creates and starts the capture campaign Chairs in the server (one answer
    decides a photo); the players consented in #play (the server is their home)."""
    await world.start_app()
    options = {
        "name": "Chairs",
        "game": "capture",
        "settings": SETTINGS,
        "min_overlap": 1,
        "max_overlap": 1,
        "start": True,
    }
    ix = await world.fake.slash(world.mo, world.channel, "campaign", options, "create")
    await ix.wait_done()
    assert "Campaign Chairs created" in shown(ix.original), shown(ix.original)
    for player in players:
        await world.consent(player)


async def answer_consents(world: World, user: FakeUser, *answers: str) -> StoredMessage:
    """/contribute in the DM, each question answered by its button; returns the card, which
    shows the summary after the last answer."""
    dm = world.fake.dm_channel(user)
    ix = await world.slash(user, "contribute", channel=dm)
    card = ix.original
    assert card is not None and "Question 1 of 3" in shown(card), shown(card)
    for n, answer in enumerate(answers, start=1):
        await world.click(user, card, answer)
        after = "Your photo consents" if n == len(answers) else f"Question {n + 1} of 3"
        await world.wait_shown(card, after)
    return card


def bot_said(world: World, channel: FakeChannel) -> list[str]:
    bot_id = str(world.fake.bot_user.id)
    return [shown(m) for m in world.fake.channel_messages(channel) if m.author_id == bot_id]


async def dm_answer(world: World, channel: FakeChannel, text: str) -> str:
    """The bot's message in the DM that contains `text` (waiting for it)."""

    def found() -> str | None:
        return next((t for t in bot_said(world, channel) if text in t), None)

    said: str = await world.fake.wait_until(found, what=f"a DM saying {text!r}")
    return said


async def campaign(world: World) -> CampaignRow:
    store = world.apps[0].store
    assert store is not None
    found = await store.get_campaign_by_name("Chairs")
    assert found is not None
    return found


async def stored_photos(world: World) -> list[bytes]:
    store = world.apps[0].store
    assert store is not None
    rows = await store.campaign_contributions((await campaign(world)).id, "photo")
    media = [await store.get_media(r.item_id) for r in rows]
    return [m[1] for m in media if m is not None]


async def test_photos_by_dm_and_by_option_are_stored_clean_verified_settled_and_deleted(
    dc: World,
) -> None:
    world, fake = dc, dc.fake
    await setup(world, world.ann, world.bob)
    dm = fake.dm_channel(world.ann)
    card = await answer_consents(world, world.ann, "Yes", "Yes", "Yes")
    assert "store yes · owner may use yes · publish yes" in shown(card)

    # a photo attached to a DM, then an image given to /contribute's photo option
    face = astronaut_jpeg()
    message = await fake.send_message_event(world.ann, dm, "", [UserFile("me.jpg", face)])
    stored = await dm_answer(world, dm, "is stored for Chairs")
    assert "1 face(s) blurred, metadata removed" in stored
    with_gps = gps_jpeg()
    assert has_gps(with_gps)
    ix = await world.slash(world.ann, "contribute", {"photo": ("chair.jpg", with_gps)}, dm)
    assert ix.ephemeral and "is stored for Chairs" in shown(ix.original)
    assert len(fake.cdn_fetches) == 2 and fake.cdn_fetches[0] == message.attachments[0].id

    photo, document = await stored_photos(world)
    assert metadata_of(photo) == {} and metadata_of(document) == {}
    assert image_size(document) == (640, 480)
    assert mean_change(face, photo, FACE) >= BLURRED_AT_LEAST
    assert mean_change(face, photo, BACKGROUND) <= REENCODED_AT_MOST

    # Bob verifies Ann's first photo in /play; Ann's own /play never shows her photos
    play = await world.slash(world.bob, "play")
    task = play.original
    assert task is not None and "Is this a chair" in shown(task), shown(task)
    before = task.payload()
    await world.click(world.bob, task, "✅ Yes")
    await world.fake.wait_until(lambda: task.payload() != before, what="Bob's card to move on")
    mine = await world.slash(world.ann, "play")
    assert shown(mine.original) == NO_TASK

    # the tick settles it once: Ann is told in her DM, with her points
    assert world.apps[0].engine is not None
    assert await world.apps[0].engine.tick() >= 1
    assert f"+{PHOTO_POINTS} points" in await dm_answer(world, dm, "was accepted by other players")

    # the server's moderator exports the dataset: the accepted photo, licence, a pseudonym
    manifest = await exported_manifest(world)
    assert [(r["licence"], r["subject"]) for r in manifest] == [("CC BY 4.0", "chair")]
    assert manifest[0]["author"].startswith("w_") and "ann" not in str(manifest).lower()

    # /mydata lists her photos with a delete button; she deletes the accepted one
    first_id = int(stored.split("#")[1].split()[0])
    mydata = await world.slash(world.ann, "mydata", channel=dm)

    def photo_list() -> StoredMessage | None:
        sent = [mydata.original, *mydata.followups]
        return next((m for m in sent if m and "Your photos (2)" in shown(m)), None)

    listing: StoredMessage = await world.fake.wait_until(photo_list, what="the photo list")
    press = await world.click(world.ann, listing, f"🗑 Delete #{first_id}")
    ask = await world.private_reply(press)
    assert f"Delete photo #{first_id} for good?" in shown(ask)
    await world.click(world.ann, ask, "🗑 Delete it")
    await world.wait_shown(ask, f"Photo #{first_id} is deleted")
    assert len(await stored_photos(world)) == 1
    assert await exported_manifest(world) == []  # the deleted photo left the export


async def exported_manifest(world: World) -> list[dict[str, str]]:
    """`/export campaign:Chairs format:photos` by the server's moderator: the zip's manifest."""
    ix = await world.fake.slash(
        world.mo, world.channel, "export", {"campaign": "Chairs", "format": "photos"}
    )
    done = await ix.wait_done()
    assert done.ephemeral and done.original is not None, shown(done.original)
    (doc,) = done.original.attachments
    assert doc.filename == "chairs-photos.zip"
    with zipfile.ZipFile(io.BytesIO(doc.data)) as z:
        text = z.read("manifest.csv").decode()
        photos = [n for n in z.namelist() if n.startswith("photos/")]
    rows = list(csv.DictReader(text.splitlines()))
    assert len(photos) == len(rows)
    return rows


async def test_refused_storage_consent_stores_no_photo(dc: World) -> None:
    world = dc
    await setup(world, world.cat)
    card = await answer_consents(world, world.cat, "No", "Yes", "Yes")
    assert "store no" in shown(card)
    dm = world.fake.dm_channel(world.cat)
    await world.fake.send_message_event(world.cat, dm, "", [("chair.jpg", gps_jpeg())])
    await dm_answer(world, dm, "Photo not stored: you did not agree")
    assert await stored_photos(world) == []


async def test_a_text_file_is_refused_by_name_and_nothing_is_stored(dc: World) -> None:
    world = dc
    await setup(world, world.ann)
    await answer_consents(world, world.ann, "Yes", "Yes", "Yes")
    dm = world.fake.dm_channel(world.ann)
    await world.fake.send_message_event(world.ann, dm, "", [("notes.txt", b"a chair, honestly")])
    assert "send a JPEG, PNG or WebP" in await dm_answer(world, dm, "notes.txt is not an image")
    assert await stored_photos(world) == []


@pytest.mark.parametrize("how", ["dm", "option"])
async def test_a_huge_photo_is_refused_before_any_download(dc: World, how: str) -> None:
    world = dc
    await setup(world, world.ann)
    await answer_consents(world, world.ann, "Yes", "Yes", "Yes")
    dm = world.fake.dm_channel(world.ann)
    huge = UserFile("big.jpg", gps_jpeg((80, 60)), declared_size=30 * MB)
    if how == "dm":
        await world.fake.send_message_event(world.ann, dm, "", [huge])
        refused = await dm_answer(world, dm, "Photo not stored: it is 30.0 MB")
    else:
        ix = await world.slash(world.ann, "contribute", {"photo": huge}, dm)
        refused = shown(ix.original)
    assert "the limit is 10 MB" in refused
    assert world.fake.cdn_fetches == []
    assert await stored_photos(world) == []


async def test_photos_in_the_server_are_not_fetched(dc: World) -> None:
    world = dc
    await setup(world, world.ann)
    await answer_consents(world, world.ann, "Yes", "Yes", "Yes")
    before = bot_said(world, world.channel)
    await world.fake.send_message_event(world.ann, world.channel, "", [("c.jpg", gps_jpeg())])
    ix = await world.slash(world.ann, "contribute", {"photo": ("c.jpg", gps_jpeg())})
    assert ix.ephemeral and "private chat" in shown(ix.original)
    assert bot_said(world, world.channel) == before
    assert world.fake.cdn_fetches == []
    assert await stored_photos(world) == []


async def test_a_photo_before_the_consents_is_not_stored(dc: World) -> None:
    world = dc
    await setup(world, world.ann)
    dm = world.fake.dm_channel(world.ann)
    await world.fake.send_message_event(world.ann, dm, "", [("chair.jpg", gps_jpeg())])
    await dm_answer(world, dm, "answer the three photo questions first")
    question = await dm_answer(world, dm, "Question 1 of 3")
    assert "store the photos you send" in question
    stranger = world.fake.user("stranger")  # never agreed to LabelQuest's /start
    elsewhere = world.fake.dm_channel(stranger)
    await world.fake.send_message_event(stranger, elsewhere, "", [("c.jpg", gps_jpeg())])
    assert "Nothing is stored until you agree" in await dm_answer(world, elsewhere, "agree")
    assert await stored_photos(world) == []
