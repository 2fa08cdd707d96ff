"""`run.py run` as a real process: both bots against the loopback fakes, then SIGTERM.

The self-hoster's path end to end: a config file that only points the two platforms at other
endpoints, the tokens in the environment, one process serving a Telegram player and a Discord
player, and a clean shutdown on SIGTERM that keeps every acknowledged answer and never
prints a token.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import open_store
from tests.support.fakes.discord import FakeDiscord
from tests.support.fakes.telegram import FakeTelegram
from tests.support.processes import run_env, spawn_run
from tests.support.seeds import seed_campaign

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0  # a cold interpreter imports discord.py, PTB, numpy and Pillow

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGTERM semantics are POSIX")


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTelegram, FakeDiscord]]:
    async with FakeTelegram() as telegram:
        discord_fake = await FakeDiscord().start()
        try:
            yield telegram, discord_fake
        finally:
            await discord_fake.stop()


def _config(tmp_path: Path, telegram: FakeTelegram, discord_fake: FakeDiscord) -> Path:
    path = tmp_path / "my.toml"
    path.write_text(
        f"""
[telegram]
base_url = "{telegram.base_url}"
base_file_url = "{telegram.base_file_url}"

[discord]
api_base = "{discord_fake.api_base}"
gateway_url = "{discord_fake.gateway_url}"
cdn_base = "{discord_fake.cdn_base}"
guild_ready_timeout = 0.1
""",
        encoding="utf-8",
    )
    return path


async def test_run_serves_both_platforms_and_stops_cleanly_on_sigterm(
    tmp_path: Path, fakes: tuple[FakeTelegram, FakeDiscord]
) -> None:
    telegram, discord_fake = fakes
    db = str(tmp_path / "lq.db")
    store = await open_store(db)
    try:
        await seed_campaign(store, game="classify", text_items=True)
    finally:
        await store.close()
    guild = discord_fake.add_guild("Doodlers")
    channel = discord_fake.add_channel(guild, "play")
    dana = discord_fake.user("dana")
    discord_fake.add_member(guild, dana)
    ann = telegram.user(42, "Ann")
    telegram.private_chat(ann)

    env = run_env(TELEGRAM_TOKEN=telegram.token, DISCORD_TOKEN=discord_fake.token)
    config = _config(tmp_path, telegram, discord_fake)
    proc = await spawn_run(config, env, tmp_path, db=db)
    try:
        await telegram.wait_for_call("getUpdates", include_consumed=True, timeout=START_TIMEOUT)
        await discord_fake.wait_until(
            lambda: bool(discord_fake.identifies), START_TIMEOUT, "the bot to identify"
        )
        await discord_fake.wait_until(
            lambda: discord_fake.command("start") is not None, START_TIMEOUT, "command sync"
        )

        # Telegram: consent, then one answer through a solo card
        await telegram.send_command(ann["id"], ann, "/start")
        prompt_call = await telegram.wait_for_call(
            "sendMessage", lambda c: "Nothing is stored until you agree" in str(c.params)
        )
        prompt = telegram.message(ann["id"], prompt_call.result["message_id"])
        agree = next(data for text, data in prompt.buttons()[0] if text == "✅ I agree")
        assert agree is not None
        await telegram.wait_for_answer(await telegram.press(ann, ann, prompt.message_id, agree))
        await telegram.send_command(ann["id"], ann, "/play")
        card_call = await telegram.wait_for_call(
            "sendMessage", lambda c: "Which colour" in str(c.params.get("text"))
        )
        card = telegram.message(ann["id"], card_call.result["message_id"])
        red = next(data for row in card.buttons() for text, data in row if text == "red")
        assert red is not None
        toast = await telegram.wait_for_answer(
            await telegram.press(ann, ann, card.message_id, red)
        )
        assert toast is not None

        # Discord: consent through the slash command and its button
        ix = await discord_fake.slash(dana, channel, "start")
        await ix.wait_done(timeout=10)
        assert ix.original is not None
        button = ix.original.button("✅ I agree").custom_id
        assert button is not None
        await (await discord_fake.click(dana, ix.original, button)).wait_done(timeout=10)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(proc.communicate(), timeout=30)
    text = output.decode(errors="replace")
    assert proc.returncode == 0, text
    assert "invite link" in text  # the log is here, so the token checks below mean something
    assert telegram.token not in text and discord_fake.token not in text
    assert telegram.token.split(":", 1)[1] not in text

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM players").fetchone() == (2,)
        platforms = {p for (p,) in conn.execute("SELECT platform FROM identities")}
        assert platforms == {"telegram", "discord"}
        assert conn.execute("SELECT COUNT(*) FROM answers").fetchone() == (1,)
