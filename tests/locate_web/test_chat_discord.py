"""The locate canvas from Discord, end to end: the real App (discord.py against the loopback
fake, SQLite). A locate card's 📦 Open the canvas answers privately with a link button
(ButtonStyle.link) to `<public_url>/locate?token=...`, bound to the presser and that round
(the link is not in the text: no preview); through the web side the link stores the marks
once, for a /play card and for a channel round (in that round's channel)."""

from __future__ import annotations

import dataclasses

import aiohttp
import discord

from bot.app import App
from bot.core.locate import texts
from tests.locate_web.world import locate_campaign, stored_answers
from tests.support.discord_world import World, shown
from tests.support.fakes.discord import StoredMessage
from tests.support.settings import db_path, settings_for

PUBLIC = "https://labels.example.org"


async def launch(world: World, public_url: str = PUBLIC) -> App:
    discord_section = dataclasses.asdict(world.settings().discord)
    settings = settings_for(
        db_path(world.tmp_path),
        discord=discord_section,
        web={"enabled": True, "port": 0, "public_url": public_url},
    )
    return await world.start_app(settings=settings)


def link_of(message: StoredMessage) -> str:
    (button,) = message.buttons()
    assert button.style == discord.ButtonStyle.link.value and button.url is not None
    assert button.label == texts.OPEN_CANVAS and "token=" not in shown(message)
    return str(button.url)


async def mark_through(app: App, url: str, answer: dict[str, list[list[int]]]) -> int:
    """Fetch the task and submit `answer` with the link, as the page does; the task's round."""
    assert app.web is not None
    token = url.split("token=")[1]
    base = url.split("?")[0].replace(PUBLIC, app.web.url)
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/task", json={"token": token}) as r:
            assert r.status == 200, await r.text()
            round_id = int((await r.json())["round_id"])
        body = {"token": token, "round_id": round_id, "answer": answer}
        async with http.post(f"{base}/submit", json=body) as r:
            assert r.status == 201, await r.text()
        async with http.post(f"{base}/submit", json=body) as r:
            assert r.status in (404, 409)  # the link worked once
    return round_id


async def test_a_play_card_gives_a_private_link_bound_to_the_round(dc: World) -> None:
    app = await launch(dc)
    assert app.store is not None
    await locate_campaign(app.store)
    await dc.consent(dc.ann)
    ix = await dc.slash(dc.ann, "play")
    assert ix.original is not None and "Box every red square" in shown(ix.original)
    press = await dc.click(dc.ann, ix.original, texts.OPEN_CANVAS)
    url = link_of(await dc.private_reply(press))
    assert url.startswith(f"{PUBLIC}/locate?token=")
    answer = {"boxes": [[40, 50, 100, 100]]}
    await mark_through(app, url, answer)
    assert await stored_answers(app.store) == [answer]


async def test_a_channel_round_card_gives_each_player_their_own_link(dc: World) -> None:
    app = await launch(dc)
    assert app.store is not None
    await locate_campaign(app.store)
    await dc.consent(dc.ann)
    await dc.consent(dc.bob)
    card = await dc.post_round()
    urls = [
        link_of(await dc.private_reply(await dc.click(who, card, texts.OPEN_CANVAS)))
        for who in (dc.ann, dc.bob)
    ]
    assert urls[0] != urls[1]
    answers = [{"boxes": [[40, 50, 100, 100]]}, {"boxes": [[42, 50, 98, 101]]}]
    rounds = {await mark_through(app, url, a) for url, a in zip(urls, answers, strict=True)}
    assert len(rounds) == 1  # both answered the channel round
    assert await stored_answers(app.store) == answers


async def test_without_public_url_the_canvas_is_not_set_up(dc: World) -> None:
    app = await launch(dc, public_url="")
    assert app.store is not None
    await locate_campaign(app.store)
    await dc.consent(dc.ann)
    ix = await dc.slash(dc.ann, "play")
    assert ix.original is not None
    press = await dc.click(dc.ann, ix.original, texts.OPEN_CANVAS)
    said = await dc.private_reply(press)
    assert "[web] public_url" in shown(said) and not said.buttons()
    async with app.store.db.read() as c:
        assert await c.fetchval("SELECT COUNT(*) FROM draw_links") == 0
