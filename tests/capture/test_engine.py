"""Image capture at the engine, on SQLite and PostgreSQL: the three consents, a photo stored
cleaned, refusals that store nothing."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.core.engine import Engine
from bot.core.kernel.errors import InvalidInput
from tests.capture.helpers import NAME, answer_consents, capture_campaign, contributor, scene
from tests.support.engine import GENERAL, player


async def _photos(engine: Engine) -> int:
    campaign = await engine.store.get_campaign_by_name(NAME)
    assert campaign is not None
    return len(await engine.store.campaign_contributions(campaign.id, "photo"))


async def test_consents_then_a_photo_is_stored_clean(engine: Engine) -> None:
    await capture_campaign(engine)
    ann = await contributor(engine, 1)
    first = await engine.capture.start(ann)
    assert "1 of 3" in first.text and "store" in first.text
    done = await answer_consents(engine, ann)
    assert "store yes" in done.text and done.then is not None
    assert "a photo of a chair in your home" in done.then.text
    reply = await engine.capture.contribute(ann, scene(1), "chair.jpg", "image/jpeg")
    assert "is stored for Chairs" in reply.text
    campaign = await engine.store.get_campaign_by_name(NAME)
    assert campaign is not None
    (row,) = await engine.store.campaign_contributions(campaign.id, "photo")
    assert row.meta["consents"] == {"stores": True, "owner_use": True, "publish": True}
    assert row.meta["licence"] == "CC BY 4.0" and "country" not in row.meta
    media = await engine.store.get_media(row.item_id)
    assert media is not None and media[0] == "image/jpeg"
    assert Image.open(io.BytesIO(media[1])).format == "JPEG"


async def test_without_consent_one_nothing_is_stored(engine: Engine) -> None:
    await capture_campaign(engine)
    bob = await contributor(engine, 2)
    await answer_consents(engine, bob, stores=False)
    reply = await engine.capture.contribute(bob, scene(2), "chair.jpg", "image/jpeg")
    assert reply.text.startswith("Photo not stored: you did not agree that LabelQuest stores")
    assert await _photos(engine) == 0
    again = await engine.capture.start(bob)  # /contribute asks question 1 again
    assert "1 of 3" in again.text


async def test_a_photo_before_the_consents_is_not_stored(engine: Engine) -> None:
    await capture_campaign(engine)
    cy = await contributor(engine, 3)
    reply = await engine.capture.contribute(cy, scene(3), "chair.jpg", "image/jpeg")
    assert "answer the three photo questions first" in reply.text
    assert await _photos(engine) == 0


async def test_group_gets_the_private_chat_message(engine: Engine) -> None:
    await capture_campaign(engine)
    reply = await engine.capture.start(player(4, GENERAL))
    assert "private chat" in reply.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not a photo", "is not an image I can read"),
        (scene(5)[:400], "damaged or incomplete"),
    ],
)
async def test_bad_files_are_refused(engine: Engine, data: bytes, message: str) -> None:
    await capture_campaign(engine)
    dee = await contributor(engine, 5)
    await answer_consents(engine, dee)
    with pytest.raises(InvalidInput, match=message):
        await engine.capture.contribute(dee, data, "file.bin", None)
    assert await _photos(engine) == 0
