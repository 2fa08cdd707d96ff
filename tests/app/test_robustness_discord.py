"""What must not break: old and foreign buttons, restarts, bugs in a handler."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from bot.app import App
from bot.core.kernel import codec, texts
from bot.core.kernel.models import PlayerRef, Reply
from tests.support.discord_world import World, labels, round_of, shown
from tests.support.fakes.discord import StoredMessage
from tests.support.seeds import seed_campaign


def _old_message(world: World, *buttons: tuple[str, str]) -> StoredMessage:
    """A message the bot posted long ago (another version), with these (label, custom_id)."""
    row = [{"type": 2, "style": 2, "label": label, "custom_id": cid} for label, cid in buttons]
    body = {"content": "an old card", "components": [{"type": 1, "components": row}]}
    return world.fake.store.create(world.channel, world.fake.bot_user, body, [])


async def test_unknown_payloads_get_a_private_explanation(world: World, app: App) -> None:
    await world.consent(world.ann)
    ghost_round = codec.encode("a", 987_654, 0)
    old = _old_message(world, ("Mystery", "v1:z:1"), ("Ghost", ghost_round))

    mystery = await world.click(world.ann, old, "Mystery")
    assert "not one of mine" in shown(await world.private_reply(mystery))
    ghost = await world.click(world.ann, old, "Ghost")
    assert "no longer exists" in shown(await world.private_reply(ghost))
    assert old.content == "an old card" and old.history == []  # never touched


async def test_a_private_answer_never_edits_a_public_message(world: World, app: App) -> None:
    public = _old_message(world, ("No thanks", codec.encode("c", 0)))
    press = await world.click(world.bob, public, "No thanks")
    assert shown(await world.private_reply(press)) == texts.DECLINED
    assert public.content == "an old card" and public.history == []


async def test_buttons_keep_working_after_a_restart(world: World) -> None:
    first = await world.start_app()
    assert first.store is not None
    await seed_campaign(first.store, game="classify", items=4, min_overlap=5, max_overlap=7)
    await world.consent(world.ann)
    await world.consent(world.bob)
    solo = (await world.slash(world.ann, "play")).original
    assert solo is not None
    card = await world.post_round()
    await world.stop_app(first)
    assert world.fake.connected == 0

    second = await world.start_app()  # a new process: same database, same Discord
    assert second.store is not None
    world.clock.advance(5)
    press = await world.click(world.ann, solo, "blue")
    await world.private_reply(press)  # the next card
    await world.wait_shown(solo, "Your answer: blue")

    vote = await world.click(world.bob, card, "green")
    assert "Vote recorded: green" in shown(await world.private_reply(vote))
    await world.wait_shown(card, "1 player has answered")  # the old round message is edited
    assert labels(card) == ["red", "green", "blue"]
    assert len(await second.store.round_answers(round_of(card))) == 1


def _bot_errors(trap: Any) -> list[logging.LogRecord]:
    return [r for r in trap.records if r.levelno >= logging.ERROR]


async def test_a_crashing_command_apologises_and_logs_once(
    world: World, app: App, monkeypatch: pytest.MonkeyPatch, platform_error_trap: Any
) -> None:
    platform_error_trap.expect("unexpected error in /profile")

    async def broken(ref: PlayerRef) -> Reply:
        raise RuntimeError("the profile store is on fire")

    assert app.engine is not None
    monkeypatch.setattr(app.engine.boards, "profile", broken)
    ix = await world.slash(world.ann, "profile")
    assert ix.ephemeral and shown(ix.original) == texts.APOLOGY
    (record,) = _bot_errors(platform_error_trap)
    assert record.name == "bot.cogs.errors"
    assert f"user {world.ann.id}" in record.getMessage()
    assert record.exc_info is not None and "on fire" in str(record.exc_info[1])

    still = await world.slash(world.ann, "help")  # still connected and answering
    assert "/play" in shown(still.original)


async def test_a_crashing_button_apologises_and_logs_once(
    world: World, app: App, monkeypatch: pytest.MonkeyPatch, platform_error_trap: Any
) -> None:
    platform_error_trap.expect("unexpected error in button 'v1:c:1'")
    prompt = (await world.slash(world.ann, "start")).original
    assert prompt is not None

    async def broken(ref: PlayerRef, payload: str) -> Reply:
        raise KeyError("lost")

    assert app.engine is not None
    monkeypatch.setattr(app.engine, "handle_button", broken)
    press = await world.click(world.ann, prompt, "✅ I agree")
    assert shown(await world.private_reply(press)) == texts.APOLOGY
    (record,) = _bot_errors(platform_error_trap)
    assert record.name == "bot.cogs.errors" and "lost" in str(record.exc_info[1])  # type: ignore[index]
    assert texts.CONSENT_TITLE in shown(prompt)  # the card itself is left as it was


async def test_slow_work_is_deferred_within_discords_deadline(
    world: World, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert app.engine is not None
    world.fake.ack_deadline = 0.5  # Discord's is 3 s; a slow handler would miss it
    real_help = app.engine.players.help

    async def slow_start(ref: PlayerRef) -> Reply:
        await asyncio.sleep(0.7)  # longer than the deadline
        return real_help(ref)

    monkeypatch.setattr(app.engine.players, "start", slow_start)
    ix = await world.slash(world.ann, "start")
    assert not ix.expired and ix.response_type == 5  # acknowledged first ("thinking")
    assert "/play" in shown(ix.original)
