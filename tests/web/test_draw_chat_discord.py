"""`/draw` on Discord, end to end: the real App (discord.py against the loopback fake,
SQLite). The answer is ephemeral with a link button (ButtonStyle.link) to
`<public_url>/draw?token=...`, the link is not in the text (no preview); an unconsented player
is sent to consent and no link is stored; without `[web] public_url` it says so."""

from __future__ import annotations

import dataclasses

import aiohttp
import discord

from bot.app import App
from tests.drawings.helpers import drawing_campaign
from tests.support.discord_world import World, shown
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


async def test_draw_answers_ephemerally_with_a_link_button(dc: World) -> None:
    app = await launch(dc)
    await dc.consent(dc.ann)
    ix = await dc.slash(dc.ann, "draw")
    assert ix.ephemeral and ix.original is not None
    (button,) = ix.original.buttons()
    assert button.style == discord.ButtonStyle.link.value and button.url is not None
    assert button.url.startswith(f"{PUBLIC}/draw?token=")
    assert "token=" not in shown(ix.original)
    holder = await app.engine.draw_links.holder(button.url.split("token=")[1])  # type: ignore[union-attr]
    assert holder.platform == "discord" and holder.external_id == str(dc.ann.id)


async def test_the_link_draws_once_through_the_web_side(dc: World) -> None:
    app = await launch(dc)
    assert app.store is not None and app.web is not None
    await drawing_campaign(app.store)
    await dc.consent(dc.ann)
    ix = await dc.slash(dc.ann, "draw")
    assert ix.original is not None
    url = str(ix.original.buttons()[0].url).replace(PUBLIC, app.web.url)
    token = url.split("token=")[1]
    base = url.split("?")[0]
    strokes = [[[1, 9], [2, 8], [0, 40]]]
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as page:
            assert page.status == 200  # opening the page uses nothing
        async with http.post(f"{base}/prompt", json={"token": token}) as r:
            assert r.status == 200
            prompt = await r.json()
        async with http.post(f"{base}/prompt", json={"token": token}) as again:
            assert again.status == 404 and "already used" in (await again.json())["error"]
        body = {"token": token, "prompt_id": prompt["prompt_id"], "width": 99, "height": 99}
        async with http.post(f"{base}/submit", json={**body, "strokes": strokes}) as r:
            assert r.status == 201
    async with app.store.db.read() as c:
        assert await c.fetchval("SELECT platform FROM drawings") == "discord"


async def test_an_unconsented_player_is_sent_to_consent_and_nothing_is_stored(
    dc: World,
) -> None:
    app = await launch(dc)
    ix = await dc.slash(dc.ann, "draw")
    assert ix.ephemeral and "token=" not in str(ix.original.buttons() if ix.original else "")
    assert app.store is not None
    async with app.store.db.read() as c:
        assert await c.fetchval("SELECT COUNT(*) FROM draw_links") == 0


async def test_without_public_url_drawing_is_not_set_up(dc: World) -> None:
    await launch(dc, public_url="")
    await dc.consent(dc.ann)
    ix = await dc.slash(dc.ann, "draw")
    assert "not set up" in shown(ix.original) and "[web] public_url" in shown(ix.original)
