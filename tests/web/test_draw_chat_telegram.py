"""`/draw` on Telegram, end to end: the real App (python-telegram-bot against the loopback
fake, SQLite). In private the player gets a Mini App (`web_app`) button to `<public_url>/draw`;
in a group a deep link to the private chat, where `/start draw` gives the button; the fake
refuses a `web_app` button outside a private chat exactly as Telegram does; an unconsented
player gets the consent text and nothing is stored; without `[web] public_url` it says so."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from telegram.error import BadRequest

from bot.app import App
from bot.core.access.webapp import build_init_data
from bot.tg.draw import DRAW_BUTTON, DRAW_YOURS, draw_markup
from tests.drawings.helpers import drawing_campaign
from tests.support.doodles import doodle_campaign
from tests.support.fakes.telegram import FakeMessage
from tests.support.telegram_world import World, shown, start

PUBLIC = "https://labels.example.org"
WEB = {"enabled": True, "port": 0, "public_url": PUBLIC}


async def launch(world: World, **web: Any) -> App:
    return await start(world, web={**WEB, **web})


def served(app: App) -> str:
    assert app.web is not None
    return app.web.url


def drawn(prompt_id: int) -> dict[str, Any]:
    return {
        "prompt_id": prompt_id,
        "width": 300,
        "height": 300,
        "strokes": [[[1, 9], [2, 8], [0, 40]]],
    }


def web_app_url_of(message: FakeMessage) -> str:
    """The Mini App URL of the message's last button row."""
    button = (message.reply_markup or {})["inline_keyboard"][-1][0]
    assert button["text"] == DRAW_BUTTON
    return str(button["web_app"]["url"])


def web_app_url(message: FakeMessage) -> str:
    (row,) = (message.reply_markup or {})["inline_keyboard"]
    (button,) = row
    assert button["text"] == DRAW_BUTTON and "url" not in button
    return str(button["web_app"]["url"])


async def test_draw_in_private_opens_the_mini_app(tg: World) -> None:
    await launch(tg)
    ada = tg.person(21, "Ada")
    await tg.consented(ada)
    await tg.fake.send_command(ada, ada, "/draw")
    sent = await tg.sent(21, text="Tap Draw")
    assert web_app_url(sent) == f"{PUBLIC}/draw"
    assert await tg.count("draw_links") == 0  # the Mini App signs in with initData


async def test_the_mini_app_signs_in_with_the_bots_own_token(tg: World) -> None:
    """The App hands the web side the Telegram token it runs with: initData signed with the
    fake bot's token draws; signed with another bot's, it is refused."""
    app = await launch(tg)
    await drawing_campaign(tg.store)
    eve = tg.person(26, "Eve")
    await tg.consented(eve)
    await tg.fake.send_command(eve, eve, "/draw")
    page = web_app_url(await tg.sent(26, text="Tap Draw")).replace(PUBLIC, served(app))
    user = {"id": 26, "first_name": "Eve"}
    good = build_init_data(user, tg.fake.token, auth_date=int(tg.clock.now()))
    forged = build_init_data(user, "1:another-bot", auth_date=int(tg.clock.now()))
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{page}/prompt", json={"init_data": forged}) as r:
            assert r.status == 401
        async with http.post(f"{page}/prompt", json={"init_data": good}) as r:
            assert r.status == 200
            prompt = await r.json()
        body = {"init_data": good, **drawn(prompt["prompt_id"])}
        async with http.post(f"{page}/submit", json=body) as r:
            assert r.status == 201
    assert await tg.count("drawings") == 1


async def test_draw_in_a_group_leads_to_the_private_chat(tg: World) -> None:
    await launch(tg)
    group, bea = tg.group(), tg.person(22, "Bea")
    await tg.consented(bea)
    await tg.fake.send_command(group, bea, "/draw")
    told = await tg.sent(group["id"], text="private chat")
    ((_label, target),) = told.buttons()[0]
    assert target is not None and target.endswith("?start=draw")
    assert "web_app" not in str(told.reply_markup)
    await tg.fake.send_command(bea, bea, "/start", "draw")
    assert web_app_url(await tg.sent(22, text="Tap Draw")) == f"{PUBLIC}/draw"


async def test_the_fake_refuses_a_web_app_button_in_a_group(tg: World) -> None:
    app = await launch(tg)
    group = tg.group()
    bot = app.adapters[0].application.bot  # type: ignore[attr-defined]
    with pytest.raises(BadRequest, match=r"(?i)button_type_invalid"):
        await bot.send_message(group["id"], "draw", reply_markup=draw_markup(PUBLIC))
    ada = tg.person(23, "Ada")
    sent = await bot.send_message(ada["id"], "draw", reply_markup=draw_markup(PUBLIC))
    assert sent.reply_markup is not None


async def test_an_unconsented_player_is_asked_to_consent_first(tg: World) -> None:
    await launch(tg)
    cy = tg.person(24, "Cy")
    await tg.fake.send_command(cy, cy, "/draw")
    prompt = await tg.sent(24, text="Nothing is stored until you agree")
    assert "web_app" not in str(prompt.reply_markup)
    assert await tg.count("players") == 0


async def test_without_public_url_drawing_is_not_set_up(tg: World) -> None:
    await launch(tg, public_url="")
    dee = tg.person(25, "Dee")
    await tg.consented(dee)
    await tg.fake.send_command(dee, dee, "/draw")
    said = await tg.sent(25, text="not set up")
    assert "[web] public_url" in shown(said)


async def test_doodle_cards_carry_a_draw_button(tg: World) -> None:
    """A group round card: a deep link to the private chat (`/start draw`), kept when the card
    is edited; a solo card in private: the Mini App button."""
    await launch(tg)
    await doodle_campaign(tg.store, ("house", "flower"), now=tg.clock.now())
    group, mod = tg.group(), tg.person(7, "Mo")
    tg.fake.set_admins(group, mod)
    await tg.fake.send_command(group, mod, "/round")
    card = await tg.sent(group["id"], "sendAnimation", text="Quick, Draw! round")
    assert card.buttons()[-1][0][0] == DRAW_YOURS
    assert str(card.buttons()[-1][0][1]).endswith("?start=draw")
    ann = tg.person(100, "Ann")
    await tg.consented(ann, group)
    tg.clock.advance(21)
    await tg.engine.tick()
    edited = await tg.edited(group["id"], card.message_id, "hints shown", "editMessageCaption")
    assert edited.buttons()[-1][0][0] == DRAW_YOURS
    await tg.fake.send_command(ann["id"], ann, "/doodle")
    solo = await tg.sent(ann["id"], "sendAnimation", text="Doodle 1 of")
    assert web_app_url_of(solo) == f"{PUBLIC}/draw"


async def test_without_public_url_cards_have_no_draw_button(tg: World) -> None:
    await launch(tg, public_url="")
    await doodle_campaign(tg.store, ("cat",), now=tg.clock.now())
    group, mod = tg.group(), tg.person(7, "Mo")
    tg.fake.set_admins(group, mod)
    await tg.fake.send_command(group, mod, "/round")
    card = await tg.sent(group["id"], "sendAnimation", text="Quick, Draw! round")
    assert DRAW_YOURS not in str(card.buttons())
