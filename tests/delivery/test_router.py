"""The delivery router: one subscription, events routed to the right platform's port."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.core.kernel.events import ChannelPost, PlayerNotice, RoundChanged
from bot.core.kernel.models import Reply
from bot.delivery import Delivery, Pacer
from tests.delivery.fakes import DiscordLike, FakeEngine, Refused, TelegramLike, until


def started() -> tuple[FakeEngine, Delivery, DiscordLike, TelegramLike]:
    engine = FakeEngine()
    delivery = Delivery(engine)
    delivery.start()
    delivery.start()  # idempotent: still one subscription
    discord = DiscordLike()
    pacer = Pacer(0.0)
    telegram = TelegramLike(pacer)
    delivery.attach(discord, Pacer(0.0), hurry_at_close=True)
    delivery.attach(telegram, pacer, hurry_at_close=False)
    return engine, delivery, discord, telegram


async def test_one_subscription_for_every_platform() -> None:
    engine, delivery, _discord, _telegram = started()
    assert len(engine.bus._handlers) == 1
    await delivery.close()
    assert engine.bus._handlers == []


async def test_round_changes_reach_their_own_platforms_editor() -> None:
    engine, delivery, discord, telegram = started()
    engine.refs.update({1: "555:1", 2: "-100:2"})
    engine.bus.publish(RoundChanged(1, "discord", "555", "555:1"))
    engine.bus.publish(RoundChanged(2, "telegram", "-100", "-100:2"))
    engine.bus.publish(RoundChanged(3, "matrix", "x", "1:3"))  # no such port: dropped
    await until(lambda: len(discord.edits()) == 1 and len(telegram.edits()) == 1)
    assert discord.edits() == ["round 1: 0"] and telegram.edits() == ["round 2: 0"]
    await delivery.close()


async def test_a_channel_post_goes_out_part_by_part_on_its_platform() -> None:
    engine, delivery, discord, telegram = started()
    post = Reply("🏆 Weekly winners", then=Reply("next round soon"))
    engine.bus.publish(ChannelPost("telegram", "-100123", post))
    await until(lambda: len(telegram.calls) == 2)
    assert [(c.what, c.where, c.text) for c in telegram.calls] == [
        ("send", -100123, "🏆 Weekly winners"),
        ("send", -100123, "next round soon"),
    ]
    assert discord.calls == []
    await delivery.close()


async def test_a_notice_reaches_every_linked_account_with_a_port() -> None:
    engine, delivery, discord, telegram = started()
    engine.identities[9] = [("discord", "4242"), ("telegram", "77"), ("web", "abc")]
    engine.bus.publish(PlayerNotice(9, Reply("⭐ Level 3!")))
    await until(lambda: len(discord.calls) == 1 and len(telegram.calls) == 1)
    assert (discord.calls[0].what, discord.calls[0].where) == ("dm", 4242)
    assert (telegram.calls[0].what, telegram.calls[0].where) == ("dm", 77)
    await delivery.close()


async def test_refusals_are_warnings_and_stop_that_delivery_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    engine, delivery, discord, telegram = started()
    engine.identities[9] = [("discord", "4242"), ("telegram", "77")]
    discord.fail = lambda call: Refused("Cannot send messages to this user")
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        engine.bus.publish(PlayerNotice(9, Reply("first", then=Reply("second"))))
        engine.bus.publish(ChannelPost("discord", "not-an-id", Reply("lost")))
        await until(lambda: len(telegram.calls) == 2)
        await delivery.close()
    assert discord.calls == []
    assert "discord: could not write to player 9: Cannot send messages" in caplog.text
    assert "'not-an-id' is not a channel id" in caplog.text


async def test_a_bug_while_sending_is_an_error(platform_error_trap: Any) -> None:
    engine, delivery, _discord, telegram = started()
    telegram.fail = lambda call: RuntimeError("boom")
    platform_error_trap.expect("writing to channel -5 failed")
    engine.bus.publish(ChannelPost("telegram", "-5", Reply("hello")))
    await delivery.close()
    assert telegram.calls == []


async def test_detach_flushes_then_stops_routing() -> None:
    engine, delivery, discord, telegram = started()
    engine.refs[1] = "555:1"
    await delivery.detach("discord", 1.0)
    await delivery.detach("discord", 1.0)  # twice is harmless
    engine.bus.publish(RoundChanged(1, "discord", "555", "555:1"))
    engine.bus.publish(ChannelPost("discord", "555", Reply("hello")))
    engine.identities[9] = [("discord", "4242"), ("telegram", "77")]
    engine.bus.publish(PlayerNotice(9, Reply("hi")))
    await until(lambda: len(telegram.calls) == 1)
    await delivery.close()
    assert discord.calls == []


async def test_detach_makes_the_queued_edits_and_sends_in_hand() -> None:
    engine = FakeEngine()
    delivery = Delivery(engine)
    delivery.start()
    discord = DiscordLike()
    delivery.attach(discord, Pacer(60.0), hurry_at_close=True)
    engine.refs[1] = "555:1"
    engine.bus.publish(RoundChanged(1, "discord", "555", "555:1"))
    await until(lambda: len(discord.edits()) == 1)
    engine.state[1] = 5  # the round closed; its edit waits for the minute to pass
    engine.bus.publish(RoundChanged(1, "discord", "555", "555:1", closed=True))
    engine.bus.publish(ChannelPost("discord", "555", Reply("results")))
    await delivery.detach("discord", 2.0)
    assert discord.edits() == ["round 1: 0", "round 1: 5"]
    assert [c.text for c in discord.calls if c.what == "send"] == ["results"]
    await delivery.close()


async def test_a_bound_card_for_a_missing_platform_is_ignored() -> None:
    engine, delivery, _discord, telegram = started()
    delivery.bound("matrix", 1, "1:2")
    changed_before_binding = RoundChanged(1, "telegram", "-100", None)
    engine.bus.publish(changed_before_binding)
    await until(lambda: not delivery.editors["telegram"]._workers)
    engine.refs[1] = "-100:2"
    delivery.bound("telegram", 1, "-100:2")
    await until(lambda: len(telegram.edits()) == 1)
    await delivery.close()


async def test_a_card_bound_through_the_binder_catches_up_a_missed_change() -> None:
    engine, delivery, discord, _telegram = started()
    engine.bus.publish(RoundChanged(1, "discord", "555", None))  # raced the binding
    await until(lambda: not delivery.editors["discord"]._workers)
    assert discord.calls == []
    await delivery.binder("discord").bind_round_message(1, "555:9")
    assert engine.refs[1] == "555:9"  # the engine stored it
    await until(lambda: len(discord.edits()) == 1)
    assert str(discord.calls[0].where) == "555:9"
    await delivery.binder("matrix").bind_round_message(2, "1:2")  # no editor: stored only
    assert engine.refs[2] == "1:2"
    await delivery.close()
