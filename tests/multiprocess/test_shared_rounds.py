"""Rounds, campaigns, schedules and awards through two engines over one PostgreSQL database:
a round closes once, a campaign paused through one engine refuses answers through the other
(whose cache still says active), two schedulers ticking at once post one round per slot, a
badge is awarded and announced once, weekly winners are posted once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.core.campaigns.uploads import Upload
from bot.core.kernel.errors import InvalidInput
from bot.core.kernel.models import ChannelRef, Kind, PlayerRef
from tests.multiprocess.conftest import ADMIN, MakePair, Pair
from tests.support.engine import GENERAL, GUILD, answer_payload, group_ref, player, private_ref
from tests.support.seeds import seed_campaign
from tests.support.uploads import images_zip

MOD = player(90, GENERAL, moderator=True)


async def _voters(pair: Pair, n: int, first: int = 1) -> list[PlayerRef]:
    refs = [player(first + i, GENERAL) for i in range(n)]
    for i, ref in enumerate(refs):
        await (pair.a if i % 2 else pair.b).players.consent(ref, True)
    return refs


async def test_a_round_closes_once_when_both_engines_close_it(make_pair: MakePair) -> None:
    pair = await make_pair()
    await seed_campaign(pair.store)
    card = await pair.a.play.post_round(MOD)
    assert card.round_id is not None
    closed = await asyncio.gather(
        pair.a.play.close_round(card.round_id), pair.b.play.close_round(card.round_id)
    )
    assert sum(c is not None for c in closed) == 1
    assert await pair.rows("SELECT status FROM rounds WHERE id = ?", card.round_id) == [
        ("closed",)
    ]


async def test_answers_racing_a_close_are_stored_before_it_or_refused(
    make_pair: MakePair,
) -> None:
    pair = await make_pair()
    await seed_campaign(pair.store, min_overlap=50, max_overlap=60)
    card = await pair.a.play.post_round(MOD)
    assert card.round_id is not None
    refs = await _voters(pair, 10)
    pair.clock.advance(3)
    payload = answer_payload(card, "Yes")
    answers = [pair.b.handle_button(ref, payload) for ref in refs]
    outcome = await asyncio.gather(
        *answers[:5], pair.a.play.close_round(card.round_id), *answers[5:], return_exceptions=True
    )
    acknowledged = [r for i, r in enumerate(outcome) if i != 5 and not isinstance(r, Exception)]
    stored = await pair.rows("SELECT COUNT(*) FROM answers WHERE round_id = ?", card.round_id)
    assert stored == [(len(acknowledged),)]  # every acknowledged answer, nothing more
    tally = await pair.rows(
        "SELECT t.n_answers FROM tallies t JOIN rounds r ON r.item_id = t.item_id "
        "AND r.campaign_id = t.campaign_id WHERE r.id = ?",
        card.round_id,
    )
    assert tally == [(len(acknowledged),)]


async def test_a_campaign_paused_through_one_engine_refuses_answers_through_the_other(
    make_pair: MakePair,
) -> None:
    pair = await make_pair(database={"cache_seconds": 3600.0})  # b trusts its cache long
    campaign = await seed_campaign(pair.store)
    card = await pair.b.play.post_round(MOD)
    ann, bob = await _voters(pair, 2)
    pair.clock.advance(3)
    await pair.b.handle_button(ann, answer_payload(card, "Yes"))  # b caches it active
    await pair.a.campaigns.campaign_command(private_ref(ADMIN), f"pause {campaign.name}")
    assert (await pair.b.kernel.campaign(campaign.id)).status == "active"  # still cached
    with pytest.raises(InvalidInput, match="'colours' is paused, not active"):
        await pair.b.handle_button(bob, answer_payload(card, "No"))
    stored = await pair.rows("SELECT player_id FROM answers WHERE round_id = ?", card.round_id)
    assert len(stored) == 1  # only Ann's, from before the pause


async def test_two_engines_ticking_together_post_one_round_per_slot(make_pair: MakePair) -> None:
    pair = await make_pair(game={"round_seconds": 60})
    mod = group_ref()
    await pair.a.campaigns.campaign_command(
        mod, "create Colours game=verify overlap=1-1 start=yes", _upload
    )
    await pair.b.campaigns.campaign_command(mod, "schedule Colours every=10")
    for _ in range(4):  # four slots, each ticked by both engines at the same moment
        before = len(pair.posts)
        for _ in range(3):
            await asyncio.gather(pair.a.tick(), pair.b.tick())
        assert len(pair.posts) == before + 1
        posted = pair.posts[-1].reply.round_id
        assert posted is not None
        await pair.a.play.bind_round_message(posted, f"-100123:{posted}")  # the adapter
        pair.clock.advance(10 * 60)
    rounds = await pair.rows("SELECT id FROM rounds ORDER BY id")
    assert [r[0] for r in rounds] == [p.reply.round_id for p in pair.posts]


async def _upload() -> list[Upload]:
    return [Upload("colours.zip", images_zip())]


async def test_a_badge_is_awarded_and_announced_once(make_pair: MakePair) -> None:
    pair = await make_pair()
    await seed_campaign(pair.store, items=6)
    other = ChannelRef("discord", "c2", "other", Kind.GROUP, GUILD)
    first = await pair.a.play.post_round(MOD)
    second = await pair.b.play.post_round(PlayerRef("discord", "92", "Mod2", other, True))
    (ann,) = await _voters(pair, 1)
    ann_there = PlayerRef(ann.platform, ann.external_id, ann.display_name, other)
    pair.clock.advance(3)
    await asyncio.gather(  # her first two answers, at once, through both engines
        pair.a.handle_button(ann, answer_payload(first, "Yes")),
        pair.b.handle_button(ann_there, answer_payload(second, "No")),
    )
    pid = await pair.a.kernel.player_id(ann)
    assert await pair.rows("SELECT COUNT(*) FROM answers WHERE player_id = ?", pid) == [(2,)]
    badges = await pair.rows(
        "SELECT badge_id FROM player_badges WHERE player_id = ? AND badge_id = 'first_answer'",
        pid,
    )
    assert badges == [("first_answer",)]
    told = [n for n in pair.notices if n.player_id == pid and "First Label" in n.reply.text]
    assert len(told) == 1, [n.reply.text for n in told]


async def test_weekly_winners_are_posted_once_by_two_engines(make_pair: MakePair) -> None:
    pair = await make_pair()
    await seed_campaign(pair.store)
    await pair.a.rewards.announce(MOD)  # #general gets the weekly winners
    card = await pair.a.play.post_round(MOD)
    refs = await _voters(pair, 3)
    pair.clock.advance(3)
    for i, ref in enumerate(refs):
        await (pair.a if i % 2 else pair.b).handle_button(ref, answer_payload(card, "Yes"))
    monday = datetime(2026, 1, 5, 9, 30, tzinfo=UTC).timestamp()  # the clock began Thursday
    pair.clock.set(monday)
    sent = await asyncio.gather(
        pair.a.reward_jobs.rewards_tick(), pair.b.reward_jobs.rewards_tick()
    )
    assert sorted(sent) == [0, 1]
    winners = [p for p in pair.posts if "Weekly winners" in p.reply.text]
    assert len(winners) == 1 and "Player1" in winners[0].reply.text
    assert await pair.b.reward_jobs.rewards_tick() == 0
