"""Image capture at the engine, on SQLite and PostgreSQL: the three consents, a photo stored
cleaned, refusals that store nothing."""

from __future__ import annotations

import asyncio
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


def _jpeg(img: Image.Image, quality: int = 95) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


async def _stored(engine: Engine) -> Image.Image:
    campaign = await engine.store.get_campaign_by_name(NAME)
    assert campaign is not None
    (row,) = await engine.store.campaign_contributions(campaign.id, "photo")
    media = await engine.store.get_media(row.item_id)
    assert media is not None
    return Image.open(io.BytesIO(media[1])).convert("RGB")


def _diff(a: Image.Image, b: Image.Image, box: tuple[int, int, int, int]) -> float:
    import numpy as np

    x = np.asarray(a.crop(box), dtype=np.float64)
    y = np.asarray(b.crop(box), dtype=np.float64)
    return float(np.abs(x - y).mean())


async def test_the_face_is_blurred_and_the_background_kept(engine: Engine) -> None:
    from skimage import data

    await capture_campaign(engine)
    ann = await contributor(engine, 1)
    await answer_consents(engine, ann)
    original = Image.fromarray(data.astronaut())  # public domain (NASA), 512x512
    reply = await engine.capture.contribute(ann, _jpeg(original), "astronaut.jpg", "image/jpeg")
    assert "1 face(s) blurred" in reply.text
    stored = await _stored(engine)
    assert stored.size == original.size
    face = (190, 80, 255, 150)  # eyes, nose and mouth of the astronaut
    background = (400, 300, 500, 400)  # the flag and suit, far from the face
    assert _diff(original, stored, face) > 15, "the face did not change enough"
    assert _diff(original, stored, background) < 4, "the background changed"
    # no detail left: the blurred face is nearly flat
    import numpy as np

    assert float(np.asarray(stored.crop(face).convert("L"), dtype=np.float64).std()) < 12


async def test_limits_from_the_settings(store: object, clock: object) -> None:
    """`[capture] max_mb` and `max_pixels`: a bigger photo is refused with the limit named,
    and nothing is stored; `max_bytes` tells the adapters the same limit."""
    from bot.core.kernel.clock import ManualClock
    from storage import SqlStore
    from tests.support.settings import settings_for

    assert isinstance(store, SqlStore) and isinstance(clock, ManualClock)
    settings = settings_for(":memory:", capture={"max_mb": 0.1, "max_pixels": 100_000})
    engine = Engine(store, settings, clock)
    try:
        assert engine.capture.max_bytes == 104_857
        await capture_campaign(engine)
        ann = await contributor(engine, 1)
        await answer_consents(engine, ann)
        noisy = Image.effect_noise((800, 600), 90).convert("RGB")
        with pytest.raises(InvalidInput, match=r"it is 0\.\d MB, the limit is 0\.1 MB"):
            await engine.capture.contribute(ann, _jpeg(noisy), "big.jpg", "image/jpeg")
        with pytest.raises(InvalidInput, match=r"too many pixels \(the limit is 0\.1 megapixels"):
            await engine.capture.contribute(ann, scene(1, size=(400, 300)), "p.jpg", None)
        assert await _photos(engine) == 0
    finally:
        await engine.close()


async def test_per_player_limit(engine: Engine) -> None:
    await capture_campaign(engine, per_player="2")
    ann = await contributor(engine, 1)
    await answer_consents(engine, ann)
    for i in range(2):
        await engine.capture.contribute(ann, scene(i), "p.jpg", "image/jpeg")
    with pytest.raises(InvalidInput, match="you already sent 2 photos to Chairs, its limit"):
        await engine.capture.contribute(ann, scene(9), "p.jpg", "image/jpeg")
    assert await _photos(engine) == 2


async def test_created_from_telegram_text_without_upload(engine: Engine) -> None:
    from tests.support.engine import group_ref

    mod = group_ref()
    reply = await engine.campaigns.campaign_command(
        mod, 'create Lamps game=capture prompt="a photo of a lamp" subject=lamp start=yes'
    )
    assert "Lamps" in reply.text
    campaign = await engine.store.get_campaign_by_name("Lamps")
    assert campaign is not None and campaign.game == "capture"
    assert campaign.settings["prompt"] == "a photo of a lamp"
    assert campaign.settings["licence"] == "CC BY 4.0"
    with pytest.raises(InvalidInput, match="subject"):
        await engine.campaigns.campaign_command(mod, "create Bad game=capture")


async def test_country_only_when_shared(engine: Engine) -> None:
    await capture_campaign(engine)
    ann = await contributor(engine, 1)
    await answer_consents(engine, ann)
    with pytest.raises(InvalidInput, match="not a two-letter country code"):
        await engine.capture.start(ann, "country Germany")
    shared = await engine.capture.start(ann, "country br")
    assert "BR" in shared.text
    await engine.capture.contribute(ann, scene(1), "p.jpg", "image/jpeg")
    await engine.capture.start(ann, "country none")
    await engine.capture.contribute(ann, scene(2), "p.jpg", "image/jpeg")
    campaign = await engine.store.get_campaign_by_name(NAME)
    assert campaign is not None
    first, second = await engine.store.campaign_contributions(campaign.id, "photo")
    assert first.meta["country"] == "BR" and "country" not in second.meta


async def test_per_player_limit_holds_for_photos_sent_at_once(engine: Engine) -> None:
    await capture_campaign(engine, per_player="1")
    ann = await contributor(engine, 1)
    await answer_consents(engine, ann)
    results = await asyncio.gather(
        *(engine.capture.contribute(ann, scene(i), "p.jpg", "image/jpeg") for i in range(3)),
        return_exceptions=True,
    )
    assert sum(isinstance(r, InvalidInput) for r in results) == 2
    assert await _photos(engine) == 1


async def test_question_three_names_the_campaigns_licence(engine: Engine) -> None:
    from tests.support.engine import choice_payload

    await capture_campaign(engine, licence="CC0 1.0")
    ann = await contributor(engine, 1)
    reply = await engine.capture.start(ann)
    for _ in range(2):
        reply = await engine.handle_button(ann, choice_payload(reply, "Yes"))
    assert "3 of 3" in reply.text and "open licence (CC0 1.0)" in reply.text
