"""Rating on Telegram through the real python-telegram-bot client and the fake Bot API: the
scale's buttons in the private chat (one rating stored, a second press refused), a group
round closed with its distribution and median, and /report's interval alpha."""

from __future__ import annotations

from tests.rate.seed import seed_rate
from tests.review.owned import own_in
from tests.support.telegram_world import World, button, shown

SCALE = ["1 · empty", "2", "3", "4", "5 · full", "Can't say"]


async def test_solo_rating_is_stored_once(world: World) -> None:
    await world.start()
    await seed_rate(world.store)
    ann = world.person(42, "Ann")
    await world.consented(ann)
    await world.fake.send_command(ann["id"], ann, "/play")
    card = await world.sent(ann["id"], text="How full is the glass?")
    assert "1 = empty … 5 = full" in shown(card)
    assert [label for row in card.buttons() for label, _ in row] == [*SCALE, "Skip ⏭"]
    stale = button(card, "2")

    world.clock.advance(5)
    await world.press(ann, ann, card, "4")
    done = await world.edited(ann["id"], card.message_id, "Your answer: 4")
    assert done.buttons() == []
    await world.sent(ann["id"], text="How full is the glass?")  # the next glass
    again = await world.fake.press(ann, ann, card.message_id, stale, check=False)  # slow client
    assert "already answered" in ((await world.fake.wait_for_answer(again)).text or "")
    ident = await world.store.get_identity("telegram", "42")
    assert ident is not None
    assert [a.label for a in await world.store.player_answers(ident.player_id)] == ["4"]


async def test_group_round_closes_with_distribution_median_and_report_alpha(
    world: World,
) -> None:
    await world.start()
    camp = await seed_rate(world.store)
    mod, group = world.person(7, "Mo"), world.group()
    world.fake.set_admins(group, mod)
    players = [world.person(100 + i, f"P{i}") for i in range(3)]
    for p in players:
        await world.consented(p, group)
    await own_in(world.engine, camp, str(group["id"]))
    chat = group["id"]

    await world.fake.send_command(group, mod, "/round")
    card = await world.sent(chat, text="🗳️ Round")
    world.clock.advance(5)
    for p, label in zip(players, ["4", "4", "5 · full"], strict=True):
        toast = await world.press(group, p, card, label)
        assert "Vote recorded" in (toast.text or "")
    world.clock.advance(world.engine.settings.game.round_seconds + 1)
    assert await world.engine.tick() == 1
    closed = await world.edited(chat, card.message_id, "Round closed")
    assert "Votes: 1 · empty 0 · 2 0 · 3 0 · 4 2 · 5 · full 1 · Can't say 0" in shown(closed)
    assert "Median: 4" in shown(closed)
    assert "Crowd label final: 4 (100%)" in shown(closed)

    await world.fake.send_command(group, mod, "/round")
    second = await world.sent(chat, text="🗳️ Round")
    world.clock.advance(5)
    for p, label in zip(players, ["1 · empty", "2", "2"], strict=True):
        await world.press(group, p, second, label)
    await world.fake.send_command(group, mod, "/report")
    report = await world.sent(chat, text="📊 Quality report · glasses")
    # Units (4, 4, 5) and (1, 2, 2): sum 18, squares 66, SS_all = 66 - 54 = 12; each unit
    # adds 3 * (2/3) / 2 = 1; alpha = 1 - 5 * 2 / (6 * 12) = 31/36.
    assert f"Krippendorff's α (interval): {31 / 36:.3f}" in shown(report)


async def test_moderator_creates_a_rate_campaign_with_its_scale(world: World) -> None:
    from tests.support.images import png_bytes
    from tests.support.telegram_world import start, upload
    from tests.support.uploads import images_zip, zip_of

    await start(world)
    group = world.group()
    mod = world.person(7, "Mo")
    world.fake.set_admins(group, mod)
    chat = group["id"]
    bad = "/campaign create Glasses game=rate scale=12"
    await upload(world, group, mod, "g.zip", images_zip(2, with_labels=False), caption=bad)
    refused = await world.sent(chat, text="scale must be a whole number from 2 to 10, not '12'")
    assert refused.buttons() == []
    good = '/campaign create Glasses game=rate scale=4 low="not at all" high=extremely'
    rated = zip_of(
        {
            "g/a.png": png_bytes("blue"),
            "g/b.png": png_bytes("red"),
            "g/labels.csv": b"file,label\na.png,3\nb.png,4\n",  # hidden reference ratings
        }
    )
    await upload(world, group, mod, "g.zip", rated, caption=good)
    created = await world.sent(chat, text="Campaign Glasses created")
    assert "2 items, game rate" in shown(created)
    (camp,) = await world.store.list_campaigns()
    assert camp.settings == {
        "scale": 4, "low": "not at all", "high": "extremely", "abstain": True, "tolerance": 0,
    }  # fmt: skip
    truths = sorted(i.truth or "" for i in await world.store.campaign_items(camp.id))
    assert truths == ["3", "4"]
