"""Photo contributions through the real python-telegram-bot client against the Telegram fake:
/contribute and the three consent buttons, a photo and an image file sent in the private chat,
cleaned before they are stored, verified by another player in /play, settled by the tick,
listed and deleted in /mydata; and what must store nothing (refused consent, a text file, a
huge photo never downloaded, a photo in a group)."""

from __future__ import annotations

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
from tests.support.fakes.telegram import FakeMessage, JSONDict
from tests.support.telegram_world import World, shown, start

CREATE = 'create Chairs game=capture prompt="a photo of a chair in your home" subject=chair'
MB = 2**20
PHOTO_POINTS = points_for_contribution("photo")[0].points


async def setup(world: World, *names: str) -> tuple[JSONDict, list[JSONDict]]:
    """The App; a group whose administrator Mo creates and starts the capture campaign
    Chairs (one answer decides a photo); players who consented in the group (their home)."""
    await start(world)
    group = world.group()
    mod = world.person(7, "Mo")
    world.fake.set_admins(group, mod)
    await world.fake.send_command(group, mod, "/campaign", f"{CREATE} overlap=1-1")
    await world.sent(group["id"], text="Campaign Chairs created")
    await world.fake.send_command(group, mod, "/campaign", "start Chairs")
    await world.sent(group["id"], text="Chairs is active")
    people = [world.person(100 + i, name) for i, name in enumerate(names)]
    for person in people:
        await world.consented(person, group)
    return group, people


async def answer_consents(world: World, user: JSONDict, *answers: str) -> FakeMessage:
    """/contribute in the private chat, then each question answered by its button; returns
    the message after the last answer (the summary)."""
    chat = user["id"]
    await world.fake.send_command(chat, user, "/contribute")
    card = await world.sent(chat, text="Question 1 of 3")
    for n, answer in enumerate(answers, start=1):
        await world.press(chat, user, card, answer)
        after = "Your photo consents" if n == len(answers) else f"Question {n + 1} of 3"
        card = await world.edited(chat, card.message_id, after)
    return card


async def campaign(world: World) -> CampaignRow:
    found = await world.store.get_campaign_by_name("Chairs")
    assert found is not None
    return found


async def stored_photos(world: World) -> list[bytes]:
    """The media of every photo contribution of Chairs, oldest first."""
    rows = await world.store.campaign_contributions((await campaign(world)).id, "photo")
    media = [await world.store.get_media(r.item_id) for r in rows]
    return [m[1] for m in media if m is not None]


def getfile_calls(world: World) -> int:
    return len([c for c in world.fake.calls if c.method == "getFile"])


async def test_a_photo_and_a_file_are_stored_clean_verified_settled_and_deleted(
    tg: World,
) -> None:
    world = tg
    _, (ann, bob) = await setup(world, "Ann", "Bob")
    summary = await answer_consents(world, ann, "Yes", "Yes", "Yes")
    assert "store yes · owner may use yes · publish yes" in shown(summary)
    prompt = await world.sent(ann["id"], text="send me a photo of a chair in your home")
    assert "You may send 20 more" in shown(prompt)

    # a photo (Telegram re-encodes it, several sizes) and an image file (bytes untouched)
    face = astronaut_jpeg()
    sent = await world.fake.send_photo(ann["id"], ann, face, caption="me and my chair")
    assert sent is not None
    stored = await world.sent(ann["id"], text="is stored for Chairs")
    assert "1 face(s) blurred, metadata removed" in shown(stored)
    largest = world.fake.files[sent["photo"][-1]["file_id"]]
    assert world.fake.downloads == [largest.file_path]  # the largest size, only
    with_gps = gps_jpeg()
    assert has_gps(with_gps)
    await world.fake.send_document(ann["id"], ann, "chair.jpg", with_gps)
    await world.sent(ann["id"], text="is stored for Chairs")

    photo, document = await stored_photos(world)
    assert metadata_of(photo) == {} and metadata_of(document) == {}
    assert image_size(document) == (640, 480)
    assert mean_change(largest.data, photo, FACE) >= BLURRED_AT_LEAST
    assert mean_change(largest.data, photo, BACKGROUND) <= REENCODED_AT_MOST

    # Bob verifies Ann's first photo in /play; Ann's own /play never shows her photos
    await world.fake.send_command(bob["id"], bob, "/play")
    card = await world.sent(bob["id"], "sendPhoto", text="Is this a chair")
    await world.press(bob["id"], bob, card, "✅ Yes")
    await world.fake.send_command(ann["id"], ann, "/play")
    assert shown(await world.sent(ann["id"], text=NO_TASK[:20])) == NO_TASK
    assert not [m for m in world.fake.bot_messages(ann["id"]) if m.kind == "photo"]

    # the tick settles it once: Ann is told, with her points
    assert await world.engine.tick() >= 1
    accepted = await world.sent(ann["id"], text="was accepted by other players")
    assert f"+{PHOTO_POINTS} points" in shown(accepted)

    # /mydata lists her photos with a delete button; she deletes the accepted one
    await world.fake.send_command(ann["id"], ann, "/mydata")
    listing = await world.sent(ann["id"], text="Your photos (2)")
    first = (await world.store.campaign_contributions((await campaign(world)).id, "photo"))[0]
    await world.press(ann["id"], ann, listing, f"🗑 Delete #{first.id}")
    ask = await world.sent(ann["id"], text=f"Delete photo #{first.id} for good?")
    await world.press(ann["id"], ann, ask, "🗑 Delete it")
    await world.edited(ann["id"], ask.message_id, f"Photo #{first.id} is deleted")
    assert await world.store.get_media(first.item_id) is None
    assert len(await stored_photos(world)) == 1


async def test_refused_storage_consent_stores_no_photo(tg: World) -> None:
    world = tg
    _, (cat,) = await setup(world, "Cat")
    summary = await answer_consents(world, cat, "No", "Yes", "Yes")
    assert "store no" in shown(summary)
    await world.fake.send_photo(cat["id"], cat, gps_jpeg())
    await world.sent(cat["id"], text="Photo not stored: you did not agree")
    assert await stored_photos(world) == []


async def test_a_text_file_is_refused_by_name_and_nothing_is_stored(tg: World) -> None:
    world = tg
    _, (ann,) = await setup(world, "Ann")
    await answer_consents(world, ann, "Yes", "Yes", "Yes")
    await world.fake.send_document(ann["id"], ann, "notes.txt", b"a chair, honestly")
    refused = await world.sent(ann["id"], text="notes.txt is not an image")
    assert "send a JPEG, PNG or WebP photo" in shown(refused)
    assert await stored_photos(world) == []


@pytest.mark.parametrize("how", ["photo", "document"])
async def test_a_huge_photo_is_refused_before_any_download(tg: World, how: str) -> None:
    world = tg
    _, (ann,) = await setup(world, "Ann")
    await answer_consents(world, ann, "Yes", "Yes", "Yes")
    if how == "photo":
        small = gps_jpeg((80, 60))  # one size only, declared at 30 MB
        await world.fake.send_photo(ann["id"], ann, small, declared_sizes=[30 * MB])
    else:
        await world.fake.send_document(ann["id"], ann, "big.jpg", b"\xff", declared_size=15 * MB)
    refused = await world.sent(ann["id"], text="Photo not stored: it is")
    assert "the limit is 10 MB" in shown(refused)
    assert getfile_calls(world) == 0 and world.fake.downloads == []
    assert await stored_photos(world) == []


async def test_a_photo_in_the_group_gets_no_answer_and_is_not_fetched(tg: World) -> None:
    world = tg
    group, (ann,) = await setup(world, "Ann")
    await answer_consents(world, ann, "Yes", "Yes", "Yes")
    before = len(world.fake.bot_messages(group["id"]))
    await world.fake.send_photo(group, ann, gps_jpeg(), caption="my chair")
    await world.fake.send_document(group, ann, "chair.jpg", gps_jpeg())
    # Ann's next private command is answered after her group messages (one user's updates
    # are handled in order), so by then the bot has ignored them
    await world.fake.send_command(ann["id"], ann, "/help")
    await world.sent(ann["id"], text="/contribute")
    assert len(world.fake.bot_messages(group["id"])) == before
    assert getfile_calls(world) == 0
    assert await stored_photos(world) == []


async def test_contribute_in_the_group_continues_in_the_private_chat(tg: World) -> None:
    world = tg
    group, (ann,) = await setup(world, "Ann")
    await world.fake.send_command(group, ann, "/contribute")
    answer = await world.sent(group["id"], text="continue in our private chat")
    ((_label, url),) = answer.buttons()[0]
    assert url is not None and url.endswith("?start=contribute")
    await world.fake.send_command(ann["id"], ann, "/start", "contribute")  # what the link sends
    card = await world.sent(ann["id"], text="Question 1 of 3")
    assert [text for text, _ in card.buttons()[0]] == ["Yes", "No"]


async def test_a_photo_before_the_consents_is_not_stored(tg: World) -> None:
    world = tg
    _, (ann,) = await setup(world, "Ann")
    await world.fake.send_photo(ann["id"], ann, gps_jpeg())
    await world.sent(ann["id"], text="answer the three photo questions first")
    await world.sent(ann["id"], text="Question 1 of 3")
    stranger = world.person(300, "Stranger")  # never agreed to LabelQuest's /start
    await world.fake.send_document(stranger["id"], stranger, "chair.jpg", gps_jpeg())
    prompt = await world.sent(stranger["id"], text="")
    assert "Nothing is stored until you agree" in shown(prompt)
    assert await stored_photos(world) == []
    assert await world.store.get_identity("telegram", "300") is None


async def test_the_largest_photo_size_within_the_limit_is_taken(tg: World) -> None:
    world = tg
    _, (ann,) = await setup(world, "Ann")
    await answer_consents(world, ann, "Yes", "Yes", "Yes")
    # Telegram offers 90, 320 and 512 px; the 512 px one claims 30 MB
    sizes = [4_000, 30_000, 30 * MB]
    sent = await world.fake.send_photo(ann["id"], ann, astronaut_jpeg(), declared_sizes=sizes)
    assert sent is not None
    await world.sent(ann["id"], text="is stored for Chairs")
    middle = world.fake.files[sent["photo"][1]["file_id"]]
    assert world.fake.downloads == [middle.file_path]
    (photo,) = await stored_photos(world)
    assert image_size(photo) == (320, 320)


async def test_a_failed_download_asks_to_send_again_and_stores_nothing(tg: World) -> None:
    world = tg
    _, (ann,) = await setup(world, "Ann")
    await answer_consents(world, ann, "Yes", "Yes", "Yes")
    world.fake.fail_next(
        "getFile", status=400, description="Bad Request: file is temporarily unavailable"
    )
    await world.fake.send_photo(ann["id"], ann, gps_jpeg())
    failed = await world.sent(ann["id"], text="I could not download your photo from Telegram")
    assert "Please send it again" in shown(failed)
    assert await stored_photos(world) == []
    await world.fake.send_photo(ann["id"], ann, gps_jpeg())  # sent again: stored
    await world.sent(ann["id"], text="is stored for Chairs")
    assert len(await stored_photos(world)) == 1
