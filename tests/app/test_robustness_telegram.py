"""When things go wrong: bad buttons, engine refusals, crashes, rate limits, lost requests."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.kernel import texts
from bot.tg.app import TelegramAdapter
from tests.support.telegram_world import World


async def test_malformed_and_stale_payloads_get_a_clear_toast(world: World) -> None:
    await world.start()
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await world.fake.send_command(ann["id"], ann, "/start")
    msg = await world.sent(ann["id"], text="Welcome back")
    garbage = await world.fake.press(ann, ann, msg.message_id, "garbage", check=False)
    assert "not one of mine" in ((await world.fake.wait_for_answer(garbage)).text or "")
    stale = await world.fake.press(ann, ann, msg.message_id, "v1:a:zz:0", check=False)
    assert "no longer exists" in ((await world.fake.wait_for_answer(stale)).text or "")
    assert await world.count("answers") == 0


async def test_unexpected_exception_apologises_and_polling_goes_on(
    world: World, monkeypatch: pytest.MonkeyPatch, platform_error_trap: Any
) -> None:
    await world.start()
    ann = world.person(42, "Ann")
    await world.consented(ann)

    async def broken(ref: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(world.engine.boards, "profile", broken)
    platform_error_trap.expect("unexpected error while handling '/profile'")
    await world.fake.send_command(ann["id"], ann, "/profile")
    await world.sent(ann["id"], text=texts.APOLOGY)
    errors = [r for r in platform_error_trap.records if r.name.startswith("bot.tg")]
    assert len(errors) == 1 and "user 42, chat 42" in errors[0].getMessage()
    assert "disk on fire" not in errors[0].getMessage()  # the traceback holds it, not the text

    await world.fake.send_command(ann["id"], ann, "/help")
    await world.sent(ann["id"], text="LabelQuest commands")


async def test_a_crash_on_a_button_press_is_an_apology_toast(
    world: World, monkeypatch: pytest.MonkeyPatch, platform_error_trap: Any
) -> None:
    await world.start()
    ann = world.person(42, "Ann")
    await world.fake.send_command(ann["id"], ann, "/start")
    prompt = await world.sent(ann["id"], text="Nothing is stored")

    async def broken(ref: object, payload: str) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(world.engine, "handle_button", broken)
    platform_error_trap.expect("unexpected error while handling button 'v1:c:1'")
    toast = await world.press(ann, ann, prompt, "✅ I agree")
    assert (toast.text, toast.show_alert) == (texts.APOLOGY, True)


async def test_rate_limited_sends_and_edits_are_retried(world: World) -> None:
    await world.start()
    ann = world.person(42, "Ann")
    world.fake.fail_next("sendMessage", status=429, retry_after=0.01)
    await world.fake.send_command(ann["id"], ann, "/start")
    refused = await world.fake.wait_for_call("sendMessage")
    assert refused.status == 429
    prompt = await world.sent(ann["id"], text="Nothing is stored")

    world.fake.fail_next("answerCallbackQuery", status=429, retry_after=0.01)
    world.fake.fail_next("editMessageText", status=429, retry_after=0.01, times=2)
    await world.press(ann, ann, prompt, "✅ I agree")
    await world.edited(ann["id"], prompt.message_id, "You're in")
    statuses = [c.status for c in world.fake.calls if c.method == "editMessageText"]
    assert statuses == [429, 429, 200]


async def test_a_dropped_connection_is_retried(world: World) -> None:
    await world.start()
    app = world.app
    assert app is not None
    adapter = app.adapters[0]
    assert isinstance(adapter, TelegramAdapter)
    adapter.limiter.base_delay = 0.01  # back off fast: the retry policy has its own tests
    ann = world.person(42, "Ann")
    world.fake.fail_next("sendMessage", disconnect=True)
    await world.fake.send_command(ann["id"], ann, "/start")
    await world.sent(ann["id"], text="Nothing is stored")
    attempts = [c for c in world.fake.calls if c.method == "sendMessage"]
    assert [c.ok for c in attempts] == [False, True]


async def test_unknown_command_in_private_points_to_help(world: World) -> None:
    await world.start()
    ann = world.person(42, "Ann")
    group = world.group()
    await world.fake.send_command(group, ann, "/dance")  # maybe another bot's: ignored
    await world.fake.send_command(ann["id"], ann, "/dance")
    await world.sent(ann["id"], text="/help lists")
    assert world.fake.bot_messages(group["id"]) == []
