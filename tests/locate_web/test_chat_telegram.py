"""The locate canvas from Telegram, end to end: the real App (python-telegram-bot against the
loopback fake, SQLite). A /play locate card carries 📦 Open the canvas; in private it answers
with a Mini App (`web_app`) button to `<public_url>/locate?round=<round>`, whose initData
stores the marks; in a group the press opens the private chat (`/start locate`, a deep link),
where the button opens the canvas on the player's own task; without `[web] public_url` the
player is told the canvas is not set up."""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.app import App
from bot.core.access.webapp import build_init_data
from bot.core.locate import texts
from tests.locate_web.world import locate_campaign, stored_answers
from tests.support.fakes.telegram import FakeMessage
from tests.support.telegram_world import World, shown, start

PUBLIC = "https://labels.example.org"
WEB = {"enabled": True, "port": 0, "public_url": PUBLIC}


async def launch(world: World, **web: Any) -> App:
    return await start(world, web={**WEB, **web})


def web_app_url(message: FakeMessage) -> str:
    (row,) = (message.reply_markup or {})["inline_keyboard"]
    (button,) = row
    assert button["text"] == texts.OPEN_CANVAS and "url" not in button
    return str(button["web_app"]["url"])


async def test_a_private_card_opens_the_mini_app_and_the_marks_are_stored(tg: World) -> None:
    app = await launch(tg)
    assert app.web is not None
    await locate_campaign(tg.store)
    ada = tg.person(21, "Ada")
    await tg.consented(ada)
    await tg.fake.send_command(ada, ada, "/play")
    card = await tg.sent(21, "sendPhoto", text="Box every red square")
    await tg.press(ada, ada, card, texts.OPEN_CANVAS)
    url = web_app_url(await tg.sent(21, text="Tap 📦"))
    assert url.startswith(f"{PUBLIC}/locate?round=")
    round_id = int(url.split("round=")[1])
    user = {"id": 21, "first_name": "Ada"}
    cred = {"init_data": build_init_data(user, tg.fake.token, auth_date=int(tg.clock.now()))}
    base = f"{app.web.url}/locate"
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/task", json={**cred, "round_id": round_id}) as r:
            assert r.status == 200 and (await r.json())["round_id"] == round_id
        answer = {"boxes": [[40, 50, 100, 100]]}
        body = {**cred, "round_id": round_id, "answer": answer}
        async with http.post(f"{base}/submit", json=body) as r:
            assert r.status == 201
    assert await stored_answers(tg.store) == [answer]
    assert await tg.count("draw_links") == 0  # the Mini App signs in with initData


async def test_a_group_card_leads_to_the_private_chat(tg: World) -> None:
    await launch(tg)
    await locate_campaign(tg.store)
    group, mod, bea = tg.group(), tg.person(7, "Mo"), tg.person(22, "Bea")
    tg.fake.set_admins(group, mod)
    await tg.consented(bea, group)
    await tg.fake.send_command(group, mod, "/round")
    card = await tg.sent(group["id"], "sendPhoto", text="Box every red square")
    toast = await tg.press(group, bea, card, texts.OPEN_CANVAS)
    assert toast.url is not None and toast.url.endswith("?start=locate")
    assert "web_app" not in str(card.reply_markup)  # the fake refuses them in groups
    await tg.fake.send_command(bea, bea, "/start", "locate")
    assert web_app_url(await tg.sent(22, text="Tap 📦")) == f"{PUBLIC}/locate"


async def test_without_public_url_the_canvas_is_not_set_up(tg: World) -> None:
    await launch(tg, public_url="")
    await locate_campaign(tg.store)
    dee = tg.person(25, "Dee")
    await tg.consented(dee)
    await tg.fake.send_command(dee, dee, "/play")
    card = await tg.sent(25, "sendPhoto", text="Box every red square")
    await tg.press(dee, dee, card, texts.OPEN_CANVAS)
    said = await tg.sent(25, text="not set up")
    assert "[web] public_url" in shown(said) and "web_app" not in str(said.reply_markup)
