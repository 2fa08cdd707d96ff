"""The review queue through the engine: what a moderator sees and what a decision changes."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.exports.labels import label_rows
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.codec import encode
from bot.core.kernel.errors import PermissionDenied
from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef, Reply
from bot.core.review.cards import tally_key
from storage import SqlStore
from storage.rows import NewCampaign
from tests.review.owned import own
from tests.support.engine import GENERAL, MOD, choice_payload, player, vote_round
from tests.support.seeds import seed_campaign

LABELS = ["red", "green", "blue"]


def labels_of(reply: Reply) -> list[str]:
    return [c.label for row in reply.choices for c in row]


async def test_a_disputed_item_is_decided_in_review_and_exported_as_expert(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(
        store, game="classify", items=4, min_overlap=2, max_overlap=3, text_items=True
    )
    camp = await own(engine, camp)
    easy = await vote_round(engine, clock, ["red", "red"], first=1)
    hard = await vote_round(engine, clock, ["red", "green", "blue"], first=3)
    assert (await store.get_tally(camp.id, easy)).status == "finalized"  # type: ignore[union-attr]
    assert (await store.get_tally(camp.id, hard)).status == "review"  # type: ignore[union-attr]

    card = await engine.review.review(MOD)
    assert f"🔍 Review · {camp.name} · 1 of 1 in review" in card.text
    assert "Disputed after 3 answers" in card.text
    assert "Votes: red 1 · green 1 · blue 1" in card.text
    assert f"The colour of item {hard - 1}" in card.text  # the text of the item itself
    assert labels_of(card) == [*LABELS, "◀ Back", "Skip ⏭", "⭐ Make gold"]

    done = await engine.handle_button(MOD, choice_payload(card, "green"))
    assert done.replace and f"✅ Item {hard} labelled green (expert label)" in done.text
    assert "Nothing to review" in done.text and done.choices == ()
    tally = await store.get_tally(camp.id, hard)
    assert tally is not None and tally.status == "reviewed"
    assert (tally.reviewed_label, tally.reviewed_by) == ("green", "discord:u90")
    assert tally.label == "red"  # the crowd's own leaning is kept beside the expert's

    rows = {r["item_id"]: r for r in await label_rows(store, camp)}
    assert rows[hard]["label"] == "green" and rows[hard]["method"] == "expert"
    assert rows[hard]["expert"] is True and rows[hard]["status"] == "reviewed"
    assert rows[easy]["label"] == "red" and rows[easy]["method"] == "live"
    assert rows[easy]["expert"] is False
    [entry] = await store.review_log(campaign_id=camp.id)
    assert (entry.action, entry.actor, entry.item_id) == ("label", "discord:u90", hard)


async def test_make_gold_turns_the_decision_into_a_check_question(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await own(
        engine, await seed_campaign(store, game="classify", items=3, min_overlap=2, max_overlap=3)
    )
    hard = await vote_round(engine, clock, ["red", "green", "blue"])
    assert await engine.kernel.gold_items(camp) == 0
    card = await engine.review.review(MOD)
    gold_card = await engine.handle_button(MOD, choice_payload(card, "⭐ Make gold"))
    assert gold_card.replace and "Make it a gold item" in gold_card.text
    assert labels_of(gold_card) == [*LABELS, "Cancel"]
    back = await engine.handle_button(MOD, choice_payload(gold_card, "Cancel"))
    assert labels_of(back) == labels_of(card)

    done = await engine.handle_button(MOD, choice_payload(gold_card, "blue"))
    assert f"⭐ Item {hard} is now a gold item: blue." in done.text
    item = await engine.kernel.campaign_item(camp.id, hard)
    assert item.gold == "blue"
    assert item.gold_explanation is not None
    assert "A moderator checked this one: blue" in item.gold_explanation
    assert "red 1 · green 1 · blue 1" in item.gold_explanation
    assert await engine.kernel.gold_items(camp) == 1  # the engine's gold count follows
    assert [e.action for e in await store.review_log(campaign_id=camp.id)] == ["gold", "label"]


async def test_paging_runs_through_the_queue_and_wraps(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await own(
        engine, await seed_campaign(store, game="classify", items=4, min_overlap=2, max_overlap=3)
    )
    await vote_round(engine, clock, ["red", "green", "blue"], first=1)
    second = await vote_round(engine, clock, ["blue", "green", "red"], first=4)
    card = await engine.review.review(MOD)
    assert "1 of 2" in card.text
    nxt = await engine.handle_button(MOD, choice_payload(card, "Skip ⏭"))
    assert "2 of 2" in nxt.text and nxt.replace
    wrapped = await engine.handle_button(MOD, choice_payload(nxt, "Skip ⏭"))
    assert "1 of 2" in wrapped.text
    back = await engine.handle_button(MOD, choice_payload(wrapped, "◀ Back"))
    assert "2 of 2" in back.text
    done = await engine.handle_button(MOD, choice_payload(back, "red"))
    assert f"Item {second} labelled red" in done.text and "1 of 1" in done.text
    alone = await engine.handle_button(MOD, choice_payload(done, "Skip ⏭"))
    assert "That's the only item in review." in alone.text


async def test_non_moderators_are_refused_plainly(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    await own(
        engine, await seed_campaign(store, game="classify", items=3, min_overlap=2, max_overlap=3)
    )
    await vote_round(engine, clock, ["red", "green", "blue"])
    card = await engine.review.review(MOD)
    bob = player(5, GENERAL)
    for attempt in (
        engine.review.review(bob),
        engine.handle_button(bob, choice_payload(card, "red")),
    ):
        with pytest.raises(PermissionDenied, match="Only moderators can use /review"):
            await attempt
    in_dm = PlayerRef(
        "discord", "u90", "Mo", ChannelRef("discord", "dm", "dm", Kind.PRIVATE), is_moderator=True
    )
    with pytest.raises(PermissionDenied):
        await engine.review.review(in_dm)  # moderators act where they moderate


async def test_a_moderator_sees_only_their_communitys_and_global_campaigns(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await own(
        engine, await seed_campaign(store, game="classify", items=3, min_overlap=2, max_overlap=3)
    )
    await vote_round(engine, clock, ["red", "green", "blue"])
    other = await store.upsert_community("discord", "g2", "Other Club", clock.now())
    ds = await store.get_dataset(f"{camp.name}-data")
    assert ds is not None
    theirs = await store.create_campaign(
        NewCampaign(
            "theirs", "classify", ds.id, "Which?", LABELS, 2, 3, 0.8, 0.0, community_id=other.id
        ),
        clock.now(),
    )
    lobby = ChannelRef(
        "discord", "c9", "lobby", Kind.GROUP, CommunityRef("discord", "g2", "Other Club")
    )
    their_mod = PlayerRef("discord", "u77", "Tess", lobby, is_moderator=True)
    # the shared campaign is moderated by bot admins only; their own campaign has no queue
    assert "Nothing to review" in (await engine.review.review(their_mod)).text
    with pytest.raises(PermissionDenied, match="not in a campaign you moderate"):
        await engine.handle_button(MOD, encode("r", tally_key(theirs.id, 1), 0))


async def test_an_empty_queue_says_so(engine: Engine, store: SqlStore) -> None:
    await own(engine, await seed_campaign(store, game="classify", items=3))
    reply = await engine.review.review(MOD)
    assert "Nothing to review" in reply.text and reply.choices == ()
    named = await engine.review.review(MOD, "colours")
    assert "Nothing to review in colours." in named.text
