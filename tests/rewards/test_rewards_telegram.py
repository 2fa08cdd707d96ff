"""Rewards through Telegram end to end: the real App and python-telegram-bot against the
loopback fake, a SQLite file and a ManualClock. Profile rank card, boards with options,
badges, the points breakdown, privacy, a level-up, a streak reminder and the weekly winners."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

from bot.app import App
from tests.support.fakes.telegram import FakeTelegram
from tests.support.fakes.telegram.payloads import FakeMessage, JSONDict
from tests.support.settings import settings_for
from tests.support.telegram_world import World, shown


def picture(message: FakeMessage) -> Image.Image:
    """The photo a message carries, decoded by Pillow (under 100 KB, as promised)."""
    assert message.file is not None, "expected a photo"
    assert len(message.file.data) < 100_000
    image = Image.open(io.BytesIO(message.file.data))
    image.load()
    return image


async def play(world: World, user: JSONDict, answers: int) -> None:
    """A solo session in the private chat: `answers` tasks answered "red", 5 s each."""
    await world.fake.send_command(user["id"], user, "/play")
    card = await world.sent(user["id"], text="Which colour")
    for _ in range(answers):
        world.clock.advance(5)
        await world.press(user, user, card, "red")
        card = await world.sent(user["id"], text="Which colour")


def at(day: int, hour: float) -> float:
    """January `day`, 2026 at `hour` UTC (the ManualClock starts on Thursday, January 1)."""
    return datetime(2026, 1, day, tzinfo=UTC).timestamp() + hour * 3600


async def test_rank_card_boards_badges_points_privacy_and_level_up(world: World) -> None:
    await world.start()
    await world.campaign(game="classify", text_items=True, items=20)
    ann, bob = world.person(42, "Ann"), world.person(43, "Bob")
    group = world.group()
    for user in (ann, bob):
        await world.consented(user, group)
    await play(world, ann, 10)  # 10 x 10 base points: level 2 needs 100 XP
    await play(world, bob, 1)

    up = await world.sent(ann["id"], text="⬆️ Level 2!")
    assert "level 3 at 255 XP" in shown(up)
    first = await world.sent(ann["id"], text="New badge: 🌱 First Label")
    assert first.message_id < up.message_id  # badges come with the answer that earned them

    await world.fake.send_command(ann["id"], ann, "/profile")
    card = await world.sent(ann["id"], "sendPhoto", text="👤 Ann")
    assert "Level 2" in shown(card) and "Streak: 1 day" in shown(card)
    image = picture(card)
    assert image.format == "PNG" and image.size[0] >= 400
    assert [label for row in card.buttons() for label, _ in row] == [
        "📜 Points",
        "🏅 Badges",
        "🔥 Streak",
    ]

    await world.press(ann, ann, card, "🔥 Streak")
    assert "1-day streak" in shown(await world.sent(ann["id"], text="🏆 Best streak: 1 day\n"))

    await world.fake.send_command(ann["id"], ann, "/badges")
    badges = shown(await world.sent(ann["id"], text="🏅 Badges:"))
    assert "🌱 First Label" in badges and "🚩 Campaigner" in badges
    assert "Closest next:" in badges

    await world.fake.send_command(ann["id"], ann, "/points")
    points = shown(await world.sent(ann["id"], text="📜 Your last"))
    # Bob's answer agreed with her first one: the item is finalized, both get the bonus
    assert "total 110 points" in points and "+10 base · colours" in points
    assert "+10 agreed with consensus (0.97) · colours" in points

    await world.fake.send_command(group, bob, "/top", "campaign colours today")
    board = await world.sent(group["id"], "sendPhoto", text="🏆 colours · today")
    lines = shown(board).splitlines()
    assert lines[1].startswith("🥇 Ann — 110") and lines[2].startswith("🥈 Bob — 20")
    assert lines[2].endswith("← you")
    assert picture(board).format == "PNG"

    await world.fake.send_command(ann["id"], ann, "/privacy")
    panel = await world.sent(ann["id"], text="You are shown on public leaderboards")
    await world.press(ann, ann, panel, "Hide me from boards")
    await world.edited(ann["id"], panel.message_id, "You are hidden from")
    await world.fake.send_command(group, bob, "/top", "week")
    hidden = shown(await world.sent(group["id"], "sendPhoto", text="🏆 Labelers · this week"))
    assert "Ann" not in hidden and "🥇 Bob" in hidden

    await world.fake.send_command(ann["id"], ann, "/profile")
    mine = shown(await world.sent(ann["id"], "sendPhoto", text="👤 Ann"))
    assert "You are hidden from public leaderboards" in mine  # and she keeps playing
    await play(world, ann, 1)


async def test_streak_reminder_and_weekly_winners_in_the_announcement_group(
    world: World,
) -> None:
    await world.start()
    await world.campaign(game="classify", text_items=True, items=20)
    ann, bob = world.person(42, "Ann"), world.person(43, "Bob")
    group = world.group()
    world.fake.set_admins(group, ann)
    for user in (ann, bob):
        await world.consented(user, group)
    await play(world, ann, 2)
    await play(world, bob, 1)
    world.clock.set(at(2, 10))  # Friday
    await play(world, ann, 1)

    await world.fake.send_command(ann["id"], ann, "/privacy")
    panel = await world.sent(ann["id"], text="Streak reminders by private message: off")
    await world.press(ann, ann, panel, "Reminders on")
    await world.edited(ann["id"], panel.message_id, "Streak reminders by private message: on")

    world.clock.set(at(3, 12))  # Saturday noon: still 12 h to go, no reminder yet
    assert await world.engine.reward_jobs.rewards_tick() == 0
    world.clock.set(at(3, 21))  # 3 h before her day ends
    assert await world.engine.reward_jobs.rewards_tick() == 1
    reminder = await world.sent(ann["id"], text="Your 2-day streak needs an answer today")
    assert "about 3 h left" in shown(reminder)
    assert await world.engine.reward_jobs.rewards_tick() == 0  # once a day

    await world.fake.send_command(ann["id"], ann, "/streak")
    streak = shown(await world.sent(ann["id"], text="🏆 Best streak"))
    assert "Best streak: 2 days" in streak and "midnight, UTC time" in streak

    await world.fake.send_command(group, bob, "/announce")
    await world.sent(group["id"], text="Only moderators can choose the announcement channel")
    await world.fake.send_command(group, ann, "/announce")
    await world.sent(group["id"], text="📣 This channel now gets the top 3 of each week")

    world.clock.set(at(5, 8))  # Monday 08:00: winners are posted from 09:00
    assert await world.engine.reward_jobs.rewards_tick() == 0
    world.clock.set(at(5, 9.5))
    assert await world.engine.reward_jobs.rewards_tick() == 1
    post = await world.sent(group["id"], "sendPhoto", text="🏆 Weekly winners in Labelers")
    text = shown(post)
    assert "(week of 2025-12-29): 🥇 Ann — 40 · 🥈 Bob — 20." in text  # 3 answers, 1 agreed
    assert picture(post).format == "PNG"
    assert await world.engine.reward_jobs.rewards_tick() == 0  # posted once

    await play(world, ann, 6)  # 40 + 6 x 10 points: level 2, told privately and in the group
    await world.sent(ann["id"], text="⬆️ Level 2!")
    await world.sent(group["id"], text="🎉 Ann reached level 2!")

    await world.fake.send_command(group, ann, "/announce", "off")
    await world.sent(group["id"], text="No more announcements here")


async def test_menus_list_the_reward_commands(world: World) -> None:
    await world.start()
    everyone = {c["command"] for c in world.fake.commands[(json.dumps({"type": "default"}), "")]}
    admins_key = json.dumps({"type": "all_chat_administrators"})
    admins = {c["command"] for c in world.fake.commands[(admins_key, "")]}
    assert {"profile", "top", "badges", "points", "streak", "privacy"} <= everyone
    assert "announce" not in everyone and "announce" in admins

    ann = world.person(42, "Ann")
    await world.fake.send_command(ann["id"], ann, "/help")
    help_text = shown(await world.sent(ann["id"], text="LabelQuest commands"))
    assert "/badges" in help_text and "/points" in help_text and "/streak" in help_text
    assert "10 points for every answer" in help_text and "lifetime points are your XP" in help_text
    assert "consensus bonus only when what you typed agrees with the finished label" in help_text
    assert "Contributions pay when other players accept them: +20 for a translation" in help_text


async def test_the_scheduler_runs_the_reward_job(
    telegram_fake: FakeTelegram, tmp_path: Path
) -> None:
    """With the scheduler on (as in production), the reward job is scheduled next to tick."""
    urls = {"base_url": telegram_fake.base_url, "base_file_url": telegram_fake.base_file_url}
    settings = settings_for(str(tmp_path / "lq.db"), telegram=urls)
    app = App(settings, environ={"TELEGRAM_TOKEN": telegram_fake.token})
    await app.start()
    try:
        assert app.scheduler is not None
        assert {"tick", "rewards"} <= set(app.scheduler.job_names())
    finally:
        await app.stop()
