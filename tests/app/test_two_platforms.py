"""Discord and Telegram in ONE process (one event loop, one engine, one store): a player on
each platform answers the same item and both answers land in the same tally."""

from __future__ import annotations

from pathlib import Path

from bot.app import App
from bot.core.kernel.clock import ManualClock
from tests.support.discord_world import World, shown
from tests.support.fakes.telegram import FakeTelegram
from tests.support.fakes.telegram.payloads import Call
from tests.support.seeds import seed_campaign
from tests.support.settings import db_path, settings_for
from tests.support.worlds import discord_world as world

__all__ = ["world"]  # the Discord world (this module is about both platforms)


def _tg_buttons(fake: FakeTelegram, chat_id: int, message_id: int) -> dict[str, str]:
    return {
        text: data
        for row in fake.buttons(chat_id, message_id)
        for text, data in row
        if data is not None
    }


async def _tg_sent(fake: FakeTelegram, method: str, chat_id: int, text: str) -> int:
    def hit(call: Call) -> bool:
        said = str(call.params.get("text") or call.params.get("caption") or "")
        return call.ok and call.params.get("chat_id") == chat_id and text in said

    call = await fake.wait_for_call(method, hit)
    return int(call.result["message_id"])


async def test_one_item_answered_from_discord_and_telegram_shares_one_tally(
    telegram_fake: FakeTelegram, world: World, tmp_path: Path
) -> None:
    # telegram_fake comes first: set up before, torn down after the App that `world` stops
    tg, dc = telegram_fake, world.fake
    settings = settings_for(
        db_path(tmp_path),
        discord={
            "api_base": dc.api_base,
            "gateway_url": dc.gateway_url,
            "cdn_base": dc.cdn_base,
            "guild_ready_timeout": 0.05,
            "edit_interval": 0.05,
        },
        telegram={
            "base_url": tg.base_url,
            "base_file_url": tg.base_file_url,
            "edit_interval": 0.05,
            "poll_timeout": 1.0,
        },
    )
    clock: ManualClock = world.clock
    app = App(
        settings,
        clock=clock,
        scheduler=False,
        environ={"DISCORD_TOKEN": dc.token, "TELEGRAM_TOKEN": tg.token},
    )
    await app.start()
    world.apps.append(app)
    assert sorted(a.platform for a in app.adapters) == ["discord", "telegram"]
    assert app.store is not None
    await tg.wait_for_call("getUpdates")
    campaign = await seed_campaign(
        app.store, game="classify", items=1, min_overlap=3, max_overlap=3
    )
    (item,) = await app.store.dataset_items(campaign.dataset_id)

    # Telegram: Tess consents in her private chat and gets the item's card
    tess = tg.user(7001, "Tess")
    tg.private_chat(tess)
    await tg.send_command(tess["id"], tess, "/start")
    prompt = await _tg_sent(tg, "sendMessage", tess["id"], "Welcome to LabelQuest")
    agree = await tg.press(
        tess["id"], tess, prompt, _tg_buttons(tg, tess["id"], prompt)["✅ I agree"]
    )
    await tg.wait_for_answer(agree)
    await tg.send_command(tess["id"], tess, "/play")
    tg_card = await _tg_sent(tg, "sendPhoto", tess["id"], "Which colour is it?")

    # Discord: Ann consents and gets the same item's card
    await world.consent(world.ann)
    dc_card = (await world.slash(world.ann, "play")).original
    assert dc_card is not None and "Which colour is it?" in shown(dc_card)

    clock.advance(5)
    press = await tg.press(tess["id"], tess, tg_card, _tg_buttons(tg, tess["id"], tg_card)["red"])
    await tg.wait_for_answer(press)
    dc_press = await world.click(world.ann, dc_card, "red")
    await world.private_reply(dc_press)
    await world.wait_shown(dc_card, "Your answer: red")

    tally = await app.store.get_tally(campaign.id, item.id)
    assert tally is not None and tally.n_answers == 2
    assert tally.counts["red"][0] == 2
    answers = await app.store.item_answers(campaign.id, item.id)
    assert sorted(a.platform for a in answers) == ["discord", "telegram"]
    await world.stop_app(app)  # both adapters stop cleanly, in one loop
    assert dc.connected == 0
