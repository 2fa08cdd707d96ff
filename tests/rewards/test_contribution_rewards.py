"""Rewards of typed answers and contributions on both backends, through the engine: an
accepted contribution pays its author and counts toward the contribution badges, awarded and
announced once; a typed answer that agrees with the finalized label counts `typed_agreed`,
a button answer does not; the start-up pass awards new badges from the stored counters."""

from __future__ import annotations

import dataclasses

import pytest

from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.events import PlayerNotice
from bot.core.rewards import points_for_contribution
from bot.games.classify import ClassifyGame
from bot.games.registry import GAMES
from storage import ACCEPTED, CampaignRow, NewContribution, NewLedgerEntry, SqlStore
from storage.rows import NewItem
from tests.support.engine import MOD, consented, player, vote_round
from tests.support.seeds import seed_campaign
from tests.support.settings import settings_for


class TypedColours(ClassifyGame):
    """A classify game whose answers count as typed (a test-only stand-in for transcribe)."""

    name = "typed_colours"

    def takes_text(self, item: object) -> bool:  # type: ignore[override]
        return True


def notices(events: list[object], pid: int) -> list[str]:
    return [e.reply.text for e in events if isinstance(e, PlayerNotice) and e.player_id == pid]


async def player_id(store: SqlStore, user: str) -> int:
    ident = await store.get_identity("discord", user)
    assert ident is not None
    return ident.player_id


async def accept_and_pay(
    engine: Engine, campaign: CampaignRow, author: int, kind: str, n: int
) -> list[object]:
    """A contribution of `kind` by `author`, settled accepted once by the store, then paid
    the way the translate and capture features pay: its own unit, events after commit."""
    store = engine.store
    item = NewItem(kind="image", source=f"{kind}:{n}", candidate="chair", media=b"x", mime="x/y")
    c = await store.add_contribution(
        NewContribution(campaign.id, author, kind, "discord", item), engine.now()
    )
    settled = await store.settle_contribution(c.id, ACCEPTED, engine.now())
    assert settled is not None
    (line,) = points_for_contribution(kind, campaign_multiplier=campaign.reward_multiplier)
    entry = NewLedgerEntry(
        author, engine.now(), line.points, line.kind.value, line.reason, None, campaign.id, None
    )
    async with store.answer_batch() as tx:
        events = await engine.rewards_hook.pay_outside_batch(
            tx, entry, campaign_community=campaign.community_id, contribution=kind
        )
    engine.rewards_hook.publish(events)
    return events


async def test_accepted_photos_pay_and_award_the_photo_badges_once(
    engine: Engine, store: SqlStore
) -> None:
    campaign = await seed_campaign(store, items=0)
    await consented(engine, player(1))
    ann = await player_id(store, "u1")
    events: list[object] = []
    engine.bus.subscribe(events.append)

    await accept_and_pay(engine, campaign, ann, "photo", 1)
    assert notices(events, ann) == [
        "🏅 New badge: 🎁 Contributor — Have your first translation or photo accepted by "
        "other players."
    ]
    await accept_and_pay(engine, campaign, ann, "photo", 2)
    await accept_and_pay(engine, campaign, ann, "photo", 3)
    told = notices(events, ann)
    assert len(told) == 2 and "📷 Photographer" in told[1]
    await accept_and_pay(engine, campaign, ann, "translation", 4)
    assert len(notices(events, ann)) == 2  # nothing new: each badge announced once

    assert [b for b, _ in await store.player_badges(ann)] == ["contributor", "photographer"]
    snap = await store.reward_snapshot(ann)
    assert snap is not None
    assert snap.points == 3 * 25 + 20
    assert snap.counters["photos_accepted"] == 3
    assert snap.counters["translations_accepted"] == 1
    lines = (await engine.rewards.points_history(player(1))).text
    assert "+25 your photo was accepted" in lines
    assert "+20 your translation was accepted" in lines
    shown = (await engine.rewards.badges(player(1))).text
    assert "📷 Photographer" in shown and "🎁 Contributor" in shown


async def test_an_unknown_contribution_kind_writes_nothing(
    engine: Engine, store: SqlStore
) -> None:
    campaign = await seed_campaign(store, items=0)
    await consented(engine, player(1))
    ann = await player_id(store, "u1")
    entry = NewLedgerEntry(ann, engine.now(), 5, "contribution", "+5 ?", None, campaign.id)
    with pytest.raises(ValueError, match="unknown contribution kind 'video'"):
        async with store.answer_batch() as tx:
            await engine.rewards_hook.pay_outside_batch(
                tx, entry, campaign_community=None, contribution="video"
            )
    snap = await store.reward_snapshot(ann)
    assert snap is not None and snap.points == 0 and snap.counters == {}


@pytest.mark.parametrize(("game", "typed"), [("typed_colours", True), ("classify", False)])
async def test_typed_answers_that_agree_with_the_finalized_label_count(
    store: SqlStore, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, game: str, typed: bool
) -> None:
    monkeypatch.setitem(GAMES, TypedColours.name, TypedColours())
    engine = Engine(store, settings_for(":memory:"), clock)
    try:
        await seed_campaign(store, game=game, items=3, min_overlap=2, max_overlap=3)
        await consented(engine, MOD)
        await vote_round(engine, clock, ["red", "red"], first=1)  # finalized on "red"
        await vote_round(engine, clock, ["green", "blue", "green"], first=3)  # blue disagrees
        for user, agreed in (("u1", 1), ("u2", 1), ("u3", 1), ("u4", 0), ("u5", 1)):
            snap = await store.reward_snapshot(await player_id(store, user))
            assert snap is not None
            assert snap.settled == 1 and snap.agreed == agreed  # both items were settled
            assert snap.counters.get("typed_agreed", 0) == (agreed if typed else 0), user
    finally:
        await engine.close()


async def test_the_start_up_pass_awards_a_new_badge_from_the_stored_counters(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    campaign = await seed_campaign(store, items=0)
    await consented(engine, player(1), player(2))
    ann = await player_id(store, "u1")
    await accept_and_pay(engine, campaign, ann, "translation", 1)
    await accept_and_pay(engine, campaign, ann, "translation", 2)
    assert await engine.reward_jobs.start_rewards() == 0

    base = settings_for(":memory:")
    polyglot = {
        "id": "polyglot",
        "name": "Polyglot",
        "emoji": "🗣",
        "description": "Have 2 translations accepted.",
        "rule": "translations_accepted >= 2",
    }
    again = Engine(store, dataclasses.replace(base, badges=[*base.badges, polyglot]), clock)
    try:
        events: list[object] = []
        again.bus.subscribe(events.append)
        assert await again.reward_jobs.start_rewards() == 1  # Ann only: Bob has none
        again.reward_jobs.publish_pending()
        assert notices(events, ann) == ["🏅 New badge: 🗣 Polyglot — Have 2 translations accepted."]
        assert await again.reward_jobs.start_rewards() == 0
        snap = await store.reward_snapshot(ann)
        assert snap is not None and snap.counters["translations_accepted"] == 2
    finally:
        await again.close()
