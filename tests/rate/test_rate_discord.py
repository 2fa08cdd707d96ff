"""Rating on Discord through the real discord.py client and the fake API: the scale's
buttons on a private solo card (a double click stores one rating), a channel round closed
with its distribution and median, and /report's interval alpha."""

from __future__ import annotations

from bot.app import App
from tests.rate.seed import seed_rate
from tests.review.owned import own_in
from tests.support.discord_world import World, labels, shown

SCALE = ["1 · empty", "2", "3", "4", "5 · full", "Can't say"]


async def test_solo_rating_double_click_stores_one(world: World, app: App) -> None:
    assert app.store is not None
    await seed_rate(app.store)
    await world.consent(world.ann)
    card = (await world.slash(world.ann, "play")).original
    assert card is not None and "1 = empty … 5 = full" in shown(card)
    assert labels(card) == [*SCALE, "Skip ⏭"]
    world.clock.advance(5)
    first = await world.click(world.ann, card, "3")
    second = await world.click(world.ann, card, "3")
    await world.fake.wait_until(lambda: first.followup_ids and second.followup_ids)
    await world.wait_shown(card, "Your answer: 3")
    ident = await app.store.get_identity("discord", str(world.ann.id))
    assert ident is not None
    assert [a.label for a in await app.store.player_answers(ident.player_id)] == ["3"]


async def test_channel_round_closes_with_distribution_median_and_report_alpha(
    world: World, app: App
) -> None:
    assert app.store is not None and app.engine is not None
    camp = await seed_rate(app.store)
    voters = (world.ann, world.bob, world.cat)
    for user in voters:
        await world.consent(user)
    await own_in(app.engine, camp, str(world.guild.id))

    card = await world.post_round()
    assert labels(card) == SCALE
    world.clock.advance(5)
    for user, choice in zip(voters, ["4", "4", "5 · full"], strict=True):
        feedback = await world.private_reply(await world.click(user, card, choice))
        assert "Vote recorded" in shown(feedback)
    world.clock.advance(app.settings.game.round_seconds + 1)
    assert await app.engine.tick() == 1
    await world.wait_shown(card, "Round closed")
    assert "Votes: 1 · empty 0 · 2 0 · 3 0 · 4 2 · 5 · full 1 · Can't say 0" in shown(card)
    assert "Median: 4" in shown(card) and "Crowd label final: 4 (100%)" in shown(card)
    assert card.buttons() == []

    second = await world.post_round()
    world.clock.advance(5)
    for user, choice in zip(voters, ["1 · empty", "2", "2"], strict=True):
        await world.private_reply(await world.click(user, second, choice))
    report = await world.slash(world.mo, "report")
    assert report.ephemeral and "📊 Quality report · glasses (rate" in shown(report.original)
    # Units (4, 4, 5) and (1, 2, 2): alpha = 31/36 (worked in test_rate_telegram).
    assert f"Krippendorff's α (interval): {31 / 36:.3f}" in shown(report.original)


async def test_moderator_creates_a_rate_campaign_with_settings(world: World, app: App) -> None:
    from tests.support.images import png_bytes
    from tests.support.uploads import zip_of

    assert app.store is not None
    rated = zip_of(
        {
            "g/a.png": png_bytes("blue"),
            "g/b.png": png_bytes("red"),
            "g/labels.csv": b"file,label\na.png,1\nb.png,3\n",
        }
    )
    options = {
        "name": "Glasses",
        "game": "rate",
        "settings": 'scale=3 low="not full" high=brimming abstain=no',
        "file": ("g.zip", rated),
    }
    ix = await world.fake.slash(world.mo, world.channel, "campaign", options, "create")
    await ix.wait_done()
    assert "Campaign Glasses created" in shown(ix.original), shown(ix.original)
    (camp,) = await app.store.list_campaigns()
    assert camp.settings == {
        "scale": 3, "low": "not full", "high": "brimming", "abstain": False, "tolerance": 0,
    }  # fmt: skip
    bad = {**options, "name": "Glasses2", "settings": "abstain=maybe"}
    ix = await world.fake.slash(world.mo, world.channel, "campaign", bad, "create")
    await ix.wait_done()
    assert "abstain must be yes or no, not 'maybe'" in shown(ix.original)
    assert len(await app.store.list_campaigns()) == 1
