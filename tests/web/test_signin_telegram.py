"""`/dashboard` on Telegram, end to end: the real App (python-telegram-bot against the
loopback fake, the web side on loopback, SQLite). A group's moderator gets the link in
private (no preview) and it signs in; a member is refused; a moderator who never started the
bot is told to, without the link; an anonymous administrator is asked to send it as
themselves; without `[web] public_url` the answer says so; a bot admin gets an
every-community link in private."""

from __future__ import annotations

import time
from typing import Any

from bot.app import App
from tests.support.fakes.telegram import Call
from tests.support.fakes.telegram.payloads import text_entities
from tests.support.telegram_world import ADMIN_ID, World, shown, start
from tests.web.signin_client import browser, continue_

PUBLIC = "http://labels.example.org"
WEB = {"enabled": True, "port": 0, "public_url": PUBLIC}


async def launch(world: World, **web: Any) -> App:
    return await start(world, web={**WEB, **web})


async def private_link(world: World, user_id: int) -> Call:
    """The bot's private message to `user_id` carrying a sign-in link."""
    return await world.fake.wait_for_call(
        "sendMessage",
        lambda c: c.ok and c.params.get("chat_id") == user_id and "/login?token=" in str(c.params),
    )


def served(app: App, text: str) -> str:
    """The link in `text`, pointed at where the App serves the web side."""
    assert app.web is not None
    url = next(w for w in text.split() if "/login?token=" in w)
    return url.replace(PUBLIC, app.web.url)


async def test_a_moderator_gets_the_link_privately_and_signs_in(tg: World) -> None:
    app = await launch(tg)
    group = tg.group()
    mod = tg.person(7, "Mo")
    tg.fake.set_admins(group, mod)
    await tg.fake.send_command(group, mod, "/dashboard")

    told = await tg.sent(group["id"], text="private chat")
    assert "sign-in link" in shown(told) and "token=" not in shown(told)
    call = await private_link(tg, 7)
    text = str(call.params["text"])
    assert "moderator of this group's community" in text and "10 minutes" in text
    assert call.params["link_preview_options"]["is_disabled"] is True
    assert not [m for m in tg.fake.bot_messages(group["id"]) if "token=" in shown(m)]

    async with browser() as http:
        assert (await continue_(http, served(app, text))).status == 303
        assert app.web is not None
        async with http.get(f"{app.web.url}/dashboard") as dash:
            assert dash.status == 200 and "Mo" in await dash.text()
        async with http.get(f"{app.web.url}/dashboard/tokens") as tokens:
            assert tokens.status == 404  # a moderator is not an admin


async def test_a_member_is_refused(tg: World) -> None:
    await launch(tg)
    group = tg.group()
    pat = tg.person(8, "Pat")
    await tg.fake.send_command(group, pat, "/dashboard")
    refused = await tg.sent(group["id"], text="Only moderators and bot admins")
    assert "token=" not in shown(refused)
    assert not [m for m in tg.fake.bot_messages(8) if "token=" in shown(m)]


async def test_a_moderator_who_never_started_the_bot_is_told_to(tg: World) -> None:
    await launch(tg)
    group = tg.group()
    shy = tg.fake.user(9, "Shy")  # no private chat with the bot
    tg.fake.set_admins(group, shy)
    await tg.fake.send_command(group, shy, "/dashboard")
    told = await tg.sent(group["id"], text="open a private chat with me")
    assert "token=" not in shown(told)
    assert told.buttons()  # the button that opens the private chat


async def test_without_public_url_the_dashboard_is_not_set_up(tg: World) -> None:
    await launch(tg, public_url="")
    group = tg.group()
    mod = tg.person(7, "Mo")
    tg.fake.set_admins(group, mod)
    await tg.fake.send_command(group, mod, "/dashboard")
    said = await tg.sent(group["id"], text="not set up")
    assert "[web] public_url" in shown(said)


async def test_an_admin_gets_an_every_community_link_in_private(tg: World) -> None:
    app = await launch(tg)
    admin = tg.person(ADMIN_ID, "Ada")
    await tg.fake.send_command(admin, admin, "/dashboard")
    text = str((await private_link(tg, ADMIN_ID)).params["text"])
    assert "every community" in text
    async with browser() as http:
        assert (await continue_(http, served(app, text))).status == 303
        assert app.web is not None
        async with http.get(f"{app.web.url}/dashboard/tokens") as tokens:
            assert tokens.status == 200


async def test_an_anonymous_administrator_is_asked_to_send_it_as_themselves(tg: World) -> None:
    await launch(tg)
    group = tg.group()
    anonymous = tg.fake.user(1087968824, "Group", username="GroupAnonymousBot")
    payload = {
        "message_id": tg.fake.next_message_id(group["id"]),
        "from": anonymous,
        "sender_chat": group,
        "chat": group,
        "date": int(time.time()),
        "text": "/dashboard",
        "entities": text_entities("/dashboard"),
    }
    await tg.fake.push_update({"message": payload})
    told = await tg.sent(group["id"], text="send /dashboard as yourself")
    assert "token=" not in shown(told)
