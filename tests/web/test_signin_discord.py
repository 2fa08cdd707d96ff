"""`/dashboard` on Discord, end to end: the real App (discord.py against the loopback fake,
the web side on loopback, SQLite). A moderator gets an ephemeral link (written `<url>`, so no
embed) and it signs in; a member is refused; without `[web] public_url` the answer says so;
a bot admin gets an every-community link in a DM."""

from __future__ import annotations

import dataclasses
import re

from bot.app import App
from tests.support.discord_world import World, shown
from tests.support.fakes.discord import FakeUser
from tests.support.settings import db_path, settings_for
from tests.web.signin_client import browser, continue_

PUBLIC = "http://labels.example.org"
LINK = re.compile(r"<(http://labels\.example\.org/login\?token=[A-Za-z0-9_-]+)>")


async def launch(world: World, admin: FakeUser | None = None, public_url: str = PUBLIC) -> App:
    discord = dataclasses.asdict(world.settings().discord)
    settings = settings_for(
        db_path(world.tmp_path),
        discord=discord,
        web={"enabled": True, "port": 0, "public_url": public_url},
        admins={"discord": [str(admin.id)] if admin else []},
    )
    return await world.start_app(settings=settings)


def served(app: App, text: str) -> str:
    found = LINK.search(text)
    assert found, text
    assert app.web is not None
    return found.group(1).replace(PUBLIC, app.web.url)


async def test_a_moderator_gets_an_ephemeral_link_and_signs_in(dc: World) -> None:
    app = await launch(dc)
    ix = await dc.slash(dc.mo, "dashboard")
    assert ix.ephemeral
    text = shown(ix.original)
    assert "moderator of this group's community" in text
    async with browser() as http:
        assert (await continue_(http, served(app, text))).status == 303
        assert app.web is not None
        async with http.get(f"{app.web.url}/dashboard") as dash:
            assert dash.status == 200 and "mo" in await dash.text()


async def test_a_member_is_refused(dc: World) -> None:
    await launch(dc)
    ix = await dc.slash(dc.ann, "dashboard")
    assert ix.ephemeral
    text = shown(ix.original)
    assert "Only moderators and bot admins" in text and "token=" not in text


async def test_without_public_url_the_dashboard_is_not_set_up(dc: World) -> None:
    await launch(dc, public_url="")
    ix = await dc.slash(dc.mo, "dashboard")
    assert "not set up" in shown(ix.original) and "[web] public_url" in shown(ix.original)


async def test_an_admin_gets_an_every_community_link_in_a_dm(dc: World) -> None:
    ada = dc.fake.user("ada")
    app = await launch(dc, admin=ada)
    ix = await dc.slash(ada, "dashboard", channel=dc.fake.dm_channel(ada))
    text = shown(ix.original)
    assert "every community" in text
    async with browser() as http:
        assert (await continue_(http, served(app, text))).status == 303
        assert app.web is not None
        async with http.get(f"{app.web.url}/dashboard/tokens") as tokens:
            assert tokens.status == 200
