"""A whole campaign run from a Telegram group: a moderator uploads the dataset, starts and
schedules it, the scheduler posts rounds, players answer, a restart in the middle resumes
the schedule with no double post, the campaign completes and is announced, an admin
exports it privately; a non-moderator is refused and nothing is downloaded for them."""

from __future__ import annotations

import csv

from tests.support.fakes.telegram.payloads import JSONDict
from tests.support.telegram_world import ADMIN_ID, World, button, shown, start, upload
from tests.support.uploads import images_zip, labels_csv

SECTIONS = {"game": {"round_seconds": 60}, "campaigns": {"hours": "all"}}


def photos(world: World, chat: int, text: str) -> list[str]:
    return [shown(m) for m in world.fake.bot_messages(chat) if text in shown(m)]


async def answer_round(
    world: World, group: JSONDict, players: list[JSONDict], card_id: int
) -> None:
    card = world.fake.message(group["id"], card_id)
    world.clock.advance(5)
    for p in players:
        query = await world.fake.press(group, p, card_id, button(card, "Yes"))
        toast = await world.fake.wait_for_answer(query)
        assert toast.text and "Vote recorded" in toast.text


async def test_a_moderator_runs_a_whole_campaign_from_a_telegram_group(
    tg: World,
) -> None:
    world = tg
    await start(world, **SECTIONS)
    group = world.group()
    chat = group["id"]
    mod, pat = world.person(7, "Mo"), world.person(8, "Pat")
    admin = world.person(ADMIN_ID, "Ada")
    world.fake.set_admins(group, mod)
    players = [world.person(100 + i, f"P{i}") for i in range(2)]
    for p in players:
        await world.consented(p, group)

    # a player may not: told plainly, and the file is never downloaded
    await upload(
        world,
        group,
        pat,
        "colours.zip",
        images_zip(2),
        caption="/campaign create Colours game=verify",
    )
    refused = await world.sent(chat, text="Only moderators")
    assert "Telegram, the group's administrators" in shown(refused)
    assert not [c for c in world.fake.calls if c.method == "getFile"]

    # the moderator uploads a zip of images with a separate labels CSV (reply to the zip)
    zip_id = await upload(world, group, mod, "colours.zip", images_zip(2, with_labels=False))
    command = "/campaign create Colours game=verify overlap=2-2"
    await upload(world, group, mod, "labels.csv", labels_csv(2), caption=command, reply_to=zip_id)
    created = await world.sent(chat, text="Campaign Colours created")
    assert "2 items, game verify, draft" in shown(created)
    await world.fake.send_command(group, mod, "/campaign", "start Colours")
    await world.sent(chat, text="Colours is active")
    await world.fake.send_command(group, mod, "/campaign", "schedule Colours every=10")
    await world.sent(chat, text="every 10 min, all day (UTC)")

    # the scheduler posts the first round; players answer with the buttons
    await world.engine.tick()
    first = await world.sent(chat, "sendPhoto", text="Is this red?")
    await answer_round(world, group, players, first.message_id)

    # ten minutes later: the first round closed, the second posted
    world.clock.advance(10 * 60)
    await world.engine.tick()
    await world.edited(chat, first.message_id, "Round closed", "editMessageCaption")
    second = await world.sent(chat, "sendPhoto", text="Is this red?")
    assert second.message_id != first.message_id

    # a restart in the middle: nothing is posted again, the old buttons still work
    await world.stop()
    await start(world, **SECTIONS)
    await world.engine.tick()
    world.clock.advance(30)
    await world.engine.tick()
    assert len(photos(world, chat, "Is this red?")) == 2
    await answer_round(world, group, players, second.message_id)

    # both items are finalized: the campaign completes and thanks the group
    world.clock.advance(10 * 60)
    await world.engine.tick()
    thanks = await world.sent(chat, "sendPhoto", text="Campaign Colours is complete!")
    assert "2 labels produced from 4 answers by 2 players" in shown(thanks)
    assert "Top contributors: 🥇 P" in shown(thanks)
    world.clock.advance(10 * 60)
    await world.engine.tick()
    assert len(photos(world, chat, "Is this red?")) == 2  # a completed campaign stops

    # exports: not in the group; in the admin's private chat, as a document
    await world.fake.send_command(group, admin, "/export", "Colours")
    await world.sent(chat, text="only in our private chat")
    await world.fake.send_command(admin["id"], admin, "/export", "Colours")
    doc = await world.sent(admin["id"], "sendDocument")
    assert doc.file is not None and doc.file.file_name == "colours-labels.csv"
    rows = list(csv.DictReader(doc.file.data.decode().splitlines()))
    assert [r["label"] for r in rows] == ["yes", "yes"]
    assert {r["status"] for r in rows} == {"finalized"}
    # the moderator is not an admin
    await world.fake.send_command(mod["id"], mod, "/export", "Colours")
    await world.sent(mod["id"], text="Only LabelQuest admins can export")

    await world.fake.send_command(admin["id"], admin, "/audit", "Colours")
    log = shown(await world.sent(admin["id"], text="Audit log · Colours"))
    for action in (
        "export Colours",
        "campaign.complete",
        "schedule.set",
        "campaign.start",
        "campaign.create",
    ):
        assert action in log
    assert "Mo (telegram 7)" in log


async def test_status_shows_the_progress_chart_and_bad_files_are_explained(
    tg: World,
) -> None:
    world = tg
    await start(world, **SECTIONS)
    group = world.group()
    chat = group["id"]
    mod = world.person(7, "Mo")
    world.fake.set_admins(group, mod)
    await upload(
        world, group, mod, "notes.pdf", b"%PDF-1.4", caption="/campaign create Notes game=verify"
    )
    await world.sent(chat, text="notes.pdf: not a file I can import")
    bad = b"file,label\nimg0.png,red\nimg9.png,red\n"
    zip_id = await upload(world, group, mod, "c.zip", images_zip(1, with_labels=False))
    await upload(
        world,
        group,
        mod,
        "labels.csv",
        bad,
        reply_to=zip_id,
        caption="/campaign create Colours game=verify",
    )
    refused = await world.sent(chat, text="import refused, nothing was stored")
    assert "line 3: file not found: img9.png" in shown(refused)
    doc = await upload(world, group, mod, "c.zip", images_zip(3))  # then a reply to it
    await world.fake.send_command(
        group, mod, "/campaign", 'create Colours game=verify question="Is it red?"', reply_to=doc
    )
    await world.sent(chat, text="Campaign Colours created")
    await world.fake.send_command(group, mod, "/campaign", "status Colours")
    status = await world.sent(chat, "sendPhoto", text="Colours · verify · draft")
    assert "Items: 3" in shown(status) and status.image().size == (720, 216)
    await world.fake.send_command(group, mod, "/campaign")
    await world.sent(chat, text="/campaign create NAME")


async def test_the_apscheduler_posts_rounds_and_restarts_neither_repeat_nor_burst(
    tg: World,
) -> None:
    """No tick by hand here: the App's own APScheduler ticks every 50 ms of real time while
    the injected clock jumps. A restart reposts nothing; an hour down posts one round, not the
    six runs it missed."""
    world = tg
    sections = {**SECTIONS, "scheduler": {"tick_seconds": 0.05}}
    await start(world, real_scheduler=True, **sections)
    await world.campaign(name="Colours", items=6)
    group = world.group()
    chat = group["id"]
    mod = world.person(7, "Mo")
    world.fake.set_admins(group, mod)
    await world.fake.send_command(group, mod, "/campaign", "schedule Colours every=10")
    await world.sent(chat, text="every 10 min, all day (UTC)")
    first = await world.sent(chat, "sendPhoto", text="Is this")

    world.clock.advance(10 * 60)
    await world.edited(chat, first.message_id, "Round closed", "editMessageCaption")
    second = await world.sent(chat, "sendPhoto", text="Is this")

    await world.stop()
    await start(world, real_scheduler=True, **sections)
    world.clock.advance(61)  # the second round times out: proof the new scheduler ticks
    await world.edited(chat, second.message_id, "Round closed", "editMessageCaption")
    assert len(photos(world, chat, "Is this")) == 2

    await world.stop()
    world.clock.advance(60 * 60)
    await start(world, real_scheduler=True, **sections)
    third = await world.sent(chat, "sendPhoto", text="Is this")
    world.clock.advance(61)
    await world.edited(chat, third.message_id, "Round closed", "editMessageCaption")
    assert len(photos(world, chat, "Is this")) == 3
