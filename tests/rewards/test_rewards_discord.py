"""Rewards through Discord end to end: the real App and discord.py against the loopback fake,
a SQLite file and a ManualClock. Profile rank card with alt text, /top with its choices,
badges, the points breakdown, privacy, a level-up, a streak reminder and the weekly winners."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import App
from tests.support.discord_world import World, shown
from tests.support.fakes.discord import FakeUser, StoredAttachment
from tests.support.seeds import seed_campaign


def picture(attachment: StoredAttachment) -> str:
    """Open the image with Pillow; returns its format (and checks the 100 KB promise)."""
    assert attachment.size < 100_000
    image = attachment.image()
    image.load()
    assert image.size[0] >= 400
    return str(image.format)


async def play(world: World, user: FakeUser, answers: int) -> None:
    """A solo session: `answers` verify tasks answered "Yes", 5 s each."""
    card = (await world.slash(user, "play")).original
    for _ in range(answers):
        assert card is not None
        world.clock.advance(5)
        press = await world.click(user, card, "Yes")
        card = await world.private_reply(press)


def at(day: int, hour: float) -> float:
    """January `day`, 2026 at `hour` UTC (the ManualClock starts on Thursday, January 1)."""
    return datetime(2026, 1, day, tzinfo=UTC).timestamp() + hour * 3600


async def dms(world: World, user: FakeUser, text: str) -> str:
    """Wait for a direct message to `user` showing `text`; returns it."""
    channel = world.fake.dm_channel(user)

    def found() -> str:
        return next(
            (shown(m) for m in world.fake.channel_messages(channel) if text in shown(m)), ""
        )

    await world.fake.wait_until(lambda: bool(found()), what=f"a DM showing {text!r}")
    return found()


async def test_rank_card_boards_badges_points_privacy_and_level_up(world: World, app: App) -> None:
    assert app.store is not None
    await seed_campaign(app.store, game="verify", items=20, min_overlap=2)
    await world.consent(world.ann)
    await world.consent(world.bob)
    await play(world, world.ann, 10)  # 10 x 10 base points: level 2 needs 100 XP
    await play(world, world.bob, 1)

    up = await dms(world, world.ann, "⬆️ Level 2!")
    assert "level 3 at 255 XP" in up
    await dms(world, world.ann, "New badge: 🌱 First Label")

    profile = await world.slash(world.ann, "profile")
    card = profile.original
    assert card is not None and profile.ephemeral
    assert shown(card).startswith("👤 ann") and "Level 2" in shown(card)
    (image,) = card.attachments
    assert picture(image) == "PNG"
    assert (
        image.description and "ann" in image.description and "level 2" in image.description.lower()
    )
    assert [b.label for b in card.buttons()] == ["📜 Points", "🏅 Badges", "🔥 Streak"]
    press = await world.click(world.ann, card, "🏅 Badges")
    assert "🌱 First Label" in shown(await world.private_reply(press))

    badges = await world.slash(world.ann, "badges")
    assert badges.ephemeral
    text = shown(badges.original)
    assert "🌱 First Label" in text and "🚩 Campaigner" in text and "Closest next:" in text

    points = shown((await world.slash(world.ann, "points")).original)
    # Bob's answer agreed with her first one: the item is finalized, both get the bonus
    assert "total 109 points" in points and "+10 base · colours" in points
    assert "+9 agreed with consensus (0.94) · colours" in points

    top = world.fake.command("top")
    assert top is not None
    choices = {o["name"]: [c["value"] for c in o.get("choices", [])] for o in top["options"]}
    assert choices["scope"] == ["community", "global", "campaign"]
    assert choices["window"] == ["all", "week", "today"]
    board = await world.slash(
        world.bob, "top", {"scope": "campaign", "window": "today", "campaign": "colours"}
    )
    assert board.original is not None and not board.ephemeral
    lines = shown(board.original).splitlines()
    assert lines[0] == "🏆 colours · today"
    assert lines[1].startswith("🥇 ann — 109") and lines[2] == "🥈 bob — 19 ← you"
    (board_image,) = board.original.attachments
    assert picture(board_image) == "PNG" and board_image.description

    hide = await world.slash(world.ann, "privacy", {"hide": True})
    assert "You are hidden from public leaderboards" in shown(hide.original)
    weekly = shown((await world.slash(world.bob, "top", {"window": "week"})).original)
    assert weekly.startswith("🏆 Doodlers · this week") and "ann" not in weekly
    assert "🥇 bob" in weekly
    await play(world, world.ann, 1)  # hidden players keep playing


async def test_streak_reminder_and_weekly_winners_in_the_announcement_channel(
    world: World, app: App
) -> None:
    assert app.store is not None and app.engine is not None
    engine = app.engine
    await seed_campaign(app.store, game="verify", items=20, min_overlap=2)
    await world.consent(world.ann)
    await world.consent(world.bob)
    await play(world, world.ann, 2)
    await play(world, world.bob, 1)
    world.clock.set(at(2, 10))
    await play(world, world.ann, 1)
    on = await world.slash(world.ann, "privacy", {"reminders": True})
    assert "Streak reminders by private message: on" in shown(on.original)

    world.clock.set(at(3, 12))
    assert await engine.reward_jobs.rewards_tick() == 0
    world.clock.set(at(3, 21))
    assert await engine.reward_jobs.rewards_tick() == 1
    reminder = await dms(world, world.ann, "Your 2-day streak needs an answer today")
    assert "about 3 h left" in reminder
    assert await engine.reward_jobs.rewards_tick() == 0

    streak = shown((await world.slash(world.ann, "streak")).original)
    assert "Best streak: 2 days" in streak and "Reminders: on" in streak

    refused = await world.slash(world.ann, "announce")
    assert "Only moderators" in shown(refused.original) and refused.ephemeral
    ok = await world.slash(world.mo, "announce")
    assert ok.ephemeral and "This channel now gets the top 3 of each week" in shown(ok.original)

    world.clock.set(at(5, 9.5))  # Monday after 09:00
    assert await engine.reward_jobs.rewards_tick() == 1
    await world.fake.wait_until(lambda: bool(world.fake.channel_messages(world.channel)))
    (post,) = world.fake.channel_messages(world.channel)
    assert (
        "🏆 Weekly winners in Doodlers (week of 2025-12-29): 🥇 ann — 39 · 🥈 bob — 19"
        in shown(post)
    )
    (image,) = post.attachments
    assert picture(image) == "PNG" and image.description
    assert await engine.reward_jobs.rewards_tick() == 0

    await play(world, world.ann, 7)  # 39 + 7 x 10 points: level 2 (100 XP)
    await dms(world, world.ann, "⬆️ Level 2!")
    await world.fake.wait_until(lambda: len(world.fake.channel_messages(world.channel)) == 2)
    level_up = world.fake.channel_messages(world.channel)[-1]
    assert shown(level_up) == "🎉 ann reached level 2!"  # a name, not a mention

    off = await world.slash(world.mo, "announce", {"off": True})
    assert "No more announcements here" in shown(off.original)


async def test_help_shows_the_reward_commands_and_the_formula(world: World, app: App) -> None:
    text = shown((await world.slash(world.ann, "help")).original)
    for command in ("/profile", "/top", "/badges", "/points", "/streak", "/privacy"):
        assert command in text
    assert "How points work:" in text and "10 points for every answer" in text
    assert "consensus bonus only when what you typed agrees with the finished label" in text
    assert "+20 for a translation, +25 for a photo (nothing if rejected" in text
    assert "/announce" not in text
    assert "/announce" in shown((await world.slash(world.mo, "help")).original)
