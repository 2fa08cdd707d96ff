"""A whole campaign run from a Discord server: `/campaign create` with attachment options,
start and schedule, scheduled rounds answered with buttons, a restart in the middle with no
double post, the completion announcement, an admin's `/export` and `/audit`; a member
without Manage Server is refused."""

from __future__ import annotations

import csv
from typing import Any

from bot.app import App
from tests.support.discord_world import World, labels, shown
from tests.support.fakes.discord import FakeInteraction, FakeUser, StoredMessage
from tests.support.seeds import seed_campaign
from tests.support.settings import db_path, settings_for
from tests.support.uploads import images_zip, labels_csv


async def start(world: World, admin: FakeUser, *, real_scheduler: bool = False) -> App:
    """The App with `admin` as LabelQuest admin; with `real_scheduler` its APScheduler ticks
    every 50 ms (otherwise the test ticks by hand)."""
    values = {
        "api_base": world.fake.api_base,
        "gateway_url": world.fake.gateway_url,
        "cdn_base": world.fake.cdn_base,
        "guild_ready_timeout": 0.05,
        "edit_interval": 0.05,
    }
    settings = settings_for(
        db_path(world.tmp_path),
        discord=values,
        admins={"discord": [str(admin.id)]},
        game={"round_seconds": 60},
        campaigns={"hours": "all"},
        scheduler={"tick_seconds": 0.05},
    )
    if not real_scheduler:
        return await world.start_app(settings=settings)
    app = App(settings, clock=world.clock, environ={"DISCORD_TOKEN": world.fake.token})
    await app.start()
    world.apps.append(app)
    return app


async def campaign(
    world: World, user: FakeUser, sub: str, options: dict[str, Any] | None = None
) -> FakeInteraction:
    ix = await world.fake.slash(user, world.channel, "campaign", options, subcommand=sub)
    return await ix.wait_done()


def cards(world: World) -> list[StoredMessage]:
    return [m for m in world.fake.channel_messages(world.channel) if "Is this red?" in shown(m)]


async def next_card(world: World, count: int) -> StoredMessage:
    await world.fake.wait_until(lambda: len(cards(world)) >= count, what=f"{count} round cards")
    return cards(world)[count - 1]


async def answer(world: World, card: StoredMessage) -> None:
    world.clock.advance(5)
    for user in (world.ann, world.bob):
        press = await world.click(user, card, "Yes")
        note = await world.private_reply(press)
        assert "Vote recorded" in shown(note)


async def test_a_moderator_runs_a_whole_campaign_from_a_discord_server(
    dc: World,
) -> None:
    world = dc
    ada = world.fake.user("ada")
    world.fake.add_member(world.guild, ada)
    app = await start(world, ada)
    for user in (world.ann, world.bob):
        await world.consent(user)

    no = await campaign(
        world,
        world.cat,
        "create",
        {"name": "Colours", "game": "verify", "file": ("c.zip", images_zip(2))},
    )
    assert no.ephemeral and "Only moderators" in shown(no.original)

    archive = images_zip(2, with_labels=False)
    made = await campaign(
        world,
        world.mo,
        "create",
        {
            "name": "Colours",
            "game": "verify",
            "file": ("colours.zip", archive),
            "labels": ("labels.csv", labels_csv(2)),
            "min_overlap": 2,
            "max_overlap": 2,
        },
    )
    assert made.ephemeral and "Campaign Colours created: 2 items, game verify, draft" in shown(
        made.original
    )
    started = await campaign(world, world.mo, "start", {"name": "Colours"})
    assert "Colours is active" in shown(started.original)
    sched = await campaign(world, world.mo, "schedule", {"name": "Colours", "every": 10})
    assert "every 10 min, all day (UTC)" in shown(sched.original)

    assert app.engine is not None
    await app.engine.tick()
    first = await next_card(world, 1)
    assert labels(first) == ["Yes", "No", "Not sure"]
    await answer(world, first)
    world.clock.advance(10 * 60)
    await app.engine.tick()
    await world.wait_shown(first, "Round closed")
    second = await next_card(world, 2)

    # restart in the middle of the schedule: nothing is posted twice
    await world.stop_app(app)
    app = await start(world, ada)
    assert app.engine is not None
    await app.engine.tick()
    world.clock.advance(30)
    await app.engine.tick()
    assert len(cards(world)) == 2
    await answer(world, second)  # the buttons of the old process still work

    world.clock.advance(10 * 60)
    await app.engine.tick()
    await world.fake.wait_until(
        lambda: any(
            "Campaign Colours is complete!" in shown(m)
            for m in world.fake.channel_messages(world.channel)
        ),
        what="the completion announcement",
    )
    (thanks,) = [m for m in world.fake.channel_messages(world.channel) if "complete!" in shown(m)]
    assert "2 labels produced from 4 answers by 2 players" in shown(thanks)
    assert thanks.attachments[0].filename == "campaign-progress.png"

    status = await campaign(world, world.mo, "status", {"name": "Colours"})
    assert "Colours · verify · completed" in shown(status.original)
    assert "every 10 min, all day; no rounds while completed (UTC)" in shown(status.original)

    refused = await (
        await world.fake.slash(world.mo, world.channel, "export", {"campaign": "Colours"})
    ).wait_done()
    assert refused.ephemeral and "Only LabelQuest admins" in shown(refused.original)
    export = await (
        await world.fake.slash(ada, world.channel, "export", {"campaign": "Colours"})
    ).wait_done()
    assert export.ephemeral
    (doc,) = export.original.attachments  # type: ignore[union-attr]
    assert doc.filename == "colours-labels.csv"
    rows = list(csv.DictReader(doc.data.decode().splitlines()))
    assert [r["label"] for r in rows] == ["yes", "yes"]

    audit = await (
        await world.fake.slash(ada, world.channel, "audit", {"campaign": "Colours"})
    ).wait_done()
    log = shown(audit.original)
    assert audit.ephemeral and "export Colours" in log and "campaign.complete" in log
    assert f"mo (discord {world.mo.id})" in log


async def test_the_apscheduler_posts_rounds_and_restarts_neither_repeat_nor_burst(
    dc: World,
) -> None:
    """No tick by hand: the App's APScheduler ticks every 50 ms of real time while the
    injected clock jumps. A restart reposts nothing; an hour down posts one round, not the six
    runs it missed."""
    world = dc
    ada = world.fake.user("ada")
    app = await start(world, ada, real_scheduler=True)
    assert app.store is not None
    await seed_campaign(app.store, name="Colours", items=6, now=world.clock.now())
    sched = await campaign(world, world.mo, "schedule", {"name": "Colours", "every": 10})
    assert "every 10 min, all day (UTC)" in shown(sched.original)
    first = await next_card(world, 1)

    world.clock.advance(10 * 60)
    await world.wait_shown(first, "Round closed")
    second = await next_card(world, 2)

    await world.stop_app(app)
    app = await start(world, ada, real_scheduler=True)
    world.clock.advance(61)  # the second round times out: proof the new scheduler ticks
    await world.wait_shown(second, "Round closed")
    assert len(cards(world)) == 2

    await world.stop_app(app)
    world.clock.advance(60 * 60)
    app = await start(world, ada, real_scheduler=True)
    third = await next_card(world, 3)
    world.clock.advance(61)
    await world.wait_shown(third, "Round closed")
    assert len(cards(world)) == 3
