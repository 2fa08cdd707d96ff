"""Start, stop, configuration and what Discord sees of the bot (commands, intents)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
import pytest

from bot.app import App
from bot.cogs import endpoints
from bot.cogs.app import DiscordAdapter
from tests.support.discord_world import PRIVILEGED, World

COMMANDS = ["forget", "help", "mydata", "play", "privacy", "profile", "round", "start", "top"]


def _options(command: dict[str, Any] | None) -> list[tuple[str, int, bool]]:
    assert command is not None
    return [(o["name"], o["type"], o.get("required", False)) for o in command["options"]]


async def test_slash_commands_are_registered_with_their_options(world: World, app: App) -> None:
    fake = world.fake
    names = {c["name"] for c in fake.global_commands}
    assert set(COMMANDS) <= names  # feature cogs (bot/cogs/features.py) add their own
    assert all(len(c["description"]) <= 100 for c in fake.global_commands)

    top = fake.command("top")
    assert _options(top) == [("scope", 3, False), ("window", 3, False), ("campaign", 3, False)]
    assert top is not None
    choices = {o["name"]: [c["value"] for c in o.get("choices", [])] for o in top["options"]}
    assert choices == {
        "scope": ["community", "global", "campaign"],
        "window": ["all", "week", "today"],
        "campaign": [],
    }
    assert _options(fake.command("round")) == [("campaign", 3, False)]
    assert _options(fake.command("privacy")) == [("hide", 5, False), ("reminders", 5, False)]
    for name in ("start", "play", "profile", "forget", "help", "mydata"):
        assert _options(fake.command(name)) == []
    round_cmd = fake.command("round")
    assert round_cmd is not None and round_cmd["contexts"] == [0]  # servers only


async def test_no_privileged_intent_is_requested(world: World, app: App) -> None:
    (identify,) = world.fake.identifies
    assert identify["intents"] & PRIVILEGED == 0


async def test_the_log_gives_the_invite_link_with_scopes_and_permissions(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.cogs.bot")
    await world.start_app()
    (link,) = [r.getMessage() for r in caplog.records if "invite link" in r.getMessage()]
    assert f"client_id={world.fake.app_id}" in link
    assert "scope=bot+applications.commands" in link
    perms = discord.Permissions(int(link.rsplit("permissions=", 1)[1]))
    assert perms.send_messages and perms.embed_links and perms.attach_files
    assert not (perms.administrator or perms.manage_messages or perms.manage_guild)


async def test_message_content_intent_only_when_configured(world: World) -> None:
    world.fake.allowed_intents.add("message_content")
    await world.start_app(message_content=True)
    assert world.fake.identifies[-1]["intents"] & PRIVILEGED == 1 << 15


async def test_endpoints_come_from_the_settings_and_are_restored(world: World) -> None:
    before = endpoints.current()
    app = await world.start_app()
    now = endpoints.current()
    assert now.api_base == world.fake.api_base and now.cdn_base == world.fake.cdn_base
    assert str(now.gateway) == world.fake.gateway_url
    await world.stop_app(app)
    assert endpoints.current() == before
    assert world.fake.connected == 0


async def test_dev_guilds_get_the_commands_instantly(world: World) -> None:
    await world.start_app(dev_guild_ids=[world.guild.id])
    assert world.fake.global_commands == []
    names = {c["name"] for c in world.fake.guild_commands[world.guild.id]}
    assert set(COMMANDS) <= names  # and the feature cogs' commands
    ix = await world.slash(world.ann, "help")
    assert ix.ephemeral


async def test_a_wrong_token_fails_start_with_a_clear_note(world: World) -> None:
    before = endpoints.current()
    with pytest.raises(discord.LoginFailure) as caught:
        await world.start_app(token="not-the-token")
    assert any("$DISCORD_TOKEN" in note for note in caught.value.__notes__)
    assert endpoints.current() == before


async def test_a_refused_privileged_intent_fails_start_with_a_clear_note(world: World) -> None:
    with pytest.raises(discord.PrivilegedIntentsRequired) as caught:
        await world.start_app(message_content=True)
    assert any("message_content" in note for note in caught.value.__notes__)


async def test_a_bot_that_dies_later_is_logged_once(
    world: World, app: App, platform_error_trap: Any
) -> None:
    platform_error_trap.expect("the bot stopped unexpectedly")
    (adapter,) = app.adapters
    assert isinstance(adapter, DiscordAdapter) and adapter.task is not None
    # a gateway event the client cannot parse ends `bot.start()` (shared/docs/platforms.md A.6, 5)
    await world.fake.dispatch("MESSAGE_CREATE", {"channel_id": str(world.channel.id)})
    done, _ = await asyncio.wait({adapter.task}, timeout=5)
    assert done, "the bot task did not end"
    errors = [r for r in platform_error_trap.records if r.levelno >= logging.ERROR]
    mine = [r for r in errors if r.name.startswith("bot.")]
    assert len(mine) == 1 and mine[0].name == "bot.cogs.app"
    assert "offline until LabelQuest restarts" in mine[0].getMessage()
    assert mine[0].exc_info is not None and isinstance(mine[0].exc_info[1], KeyError)
