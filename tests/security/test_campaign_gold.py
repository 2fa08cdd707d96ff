"""Gold answers are per campaign (issue 12, hole 1), on SQLite and PostgreSQL: a moderator of
community A makes an item gold in A's campaign; community B's campaign over the SAME dataset
does not treat it as gold (its players' answers are votes, no gold feedback, B's exports and
report unchanged). Migration 008 gives every campaign over a dataset its import gold, and a
review-made gold only to the campaign it was made in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.core.engine import Engine
from bot.core.exports.labels import label_rows
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.codec import encode
from bot.core.review.cards import GOLD_BASE, tally_key
from bot.core.review.report import campaign_report
from storage import CampaignRow, NewCampaign, SqlStore
from storage.migrate import migrate
from tests.support.engine import answer_payload, group_ref
from tests.support.seeds import seed_campaign
from tests.support.settings import settings_for

MOD_A = group_ref("7", "Ann", chat="-100111")
MOD_B = group_ref("8", "Eve", chat="-100222")
BOB = group_ref("9", "Bob", chat="-100222", moderator=False)  # plays in community B


@pytest.fixture
async def eng(store: SqlStore, clock: ManualClock) -> AsyncIterator[Engine]:
    settings = settings_for(":memory:", campaigns={"hours": "all"})
    e = Engine(store, settings, clock)
    try:
        yield e
    finally:
        await e.close()


async def community(eng: Engine, ref_chat: str) -> int:
    async with eng.store.db.read() as c:
        found = await c.fetchval("SELECT id FROM communities WHERE external_id = ?", (ref_chat,))
    assert found is not None
    return int(found)


async def two_campaigns(eng: Engine) -> tuple[CampaignRow, CampaignRow, int]:
    """Campaigns of communities A and B over one dataset; its first item."""
    shared = await seed_campaign(eng.store, name="shared")
    await eng.campaigns.campaign_list(MOD_A)  # the communities exist now
    await eng.campaigns.campaign_list(MOD_B)
    opts = ["yes", "no", "not_sure"]
    base = NewCampaign("a", "verify", shared.dataset_id, "Is this {label}?", opts, 1, 3, 0.8, 0)
    a = await eng.store.create_campaign(
        replace(base, community_id=await community(eng, "-100111")), 0.0
    )
    b = await eng.store.create_campaign(
        replace(base, name="b", community_id=await community(eng, "-100222")), 0.0
    )
    item = min(i.id for i in await eng.store.dataset_items(shared.dataset_id))
    async with eng.store.db.transaction() as tx:
        await tx.execute(
            "UPDATE tallies SET status = 'review', n_answers = 3 "
            "WHERE campaign_id = ? AND item_id = ?",
            (a.id, item),
        )
    return a, b, item


async def test_make_gold_in_one_campaign_leaves_the_others_alone(
    eng: Engine, clock: ManualClock
) -> None:
    a, b, item = await two_campaigns(eng)
    rows_b = await label_rows(eng.store, b)
    report_b = await campaign_report(eng.store, b, eng.quality)

    await eng.handle_button(MOD_A, encode("r", tally_key(a.id, item), GOLD_BASE + 0))

    assert await eng.store.gold_item_count(a.id) == 1
    assert (await eng.kernel.campaign_item(a.id, item)).gold == "yes"
    assert await eng.store.gold_item_count(b.id) == 0
    assert await eng.kernel.gold_items(b) == 0
    assert (await eng.kernel.campaign_item(b.id, item)).gold is None
    row = await eng.store.get_item(item)
    assert row is not None and row.gold is None  # nothing written through to the dataset
    gold_a = {r["item_id"]: r for r in await label_rows(eng.store, a)}[item]
    assert (gold_a["status"], gold_a["is_gold"]) == ("gold", True)
    assert await label_rows(eng.store, b) == rows_b
    assert await campaign_report(eng.store, b, eng.quality) == report_b

    # B's player answers the same item in B's campaign: a vote, no gold feedback
    card = await eng.play.post_round(MOD_B, "b")
    assert card.round_id is not None
    rnd = await eng.store.get_round(card.round_id)
    assert rnd is not None and rnd.item_id == item
    await eng.players.consent(BOB, True)
    clock.advance(4)
    reply = await eng.handle_button(BOB, answer_payload(card, "No"))
    assert "Results when the round closes." in reply.text
    assert "Right" not in reply.text and "gold" not in reply.text.lower()
    [answer] = await eng.store.round_answers(rnd.id)
    assert not answer.is_gold and answer.correct is None
    tally = await eng.store.get_tally(b.id, item)
    assert tally is not None and tally.n_answers == 1


async def test_migration_008_gives_each_campaign_its_gold(store: SqlStore) -> None:
    c1 = await seed_campaign(store, name="c1", items=4, gold=1)
    c2 = await store.create_campaign(replace(await _spec(store, c1), name="c2"), 0.0)
    ids = sorted(i.id for i in await store.dataset_items(c1.dataset_id))
    imported, reviewed = ids[0], ids[1]
    async with store.db.transaction() as tx:  # the store as it was before 008
        await tx.execute("DROP TABLE campaign_gold")
        await tx.execute("DELETE FROM schema_version WHERE version = 8")
        await tx.execute(
            "UPDATE items SET gold = 'no', gold_explanation = 'By review.' WHERE id = ?",
            (reviewed,),
        )
        await tx.execute(
            "INSERT INTO review_log (created_at, action, actor, campaign_id, item_id, detail) "
            "VALUES (5.0, 'gold', 'telegram:7', ?, ?, '{}')",
            (c1.id, reviewed),
        )
    assert await migrate(store.db) == ["008_campaign_gold.sql"]

    first = await store.campaign_gold(c1.id)
    assert first == {imported: ("yes", "It is red."), reviewed: ("no", "By review.")}
    assert await store.campaign_gold(c2.id) == {imported: ("yes", "It is red.")}
    row = await store.get_item(reviewed)
    assert row is not None and row.gold is None  # a review's gold is no dataset default
    async with store.db.read() as c:
        found = await c.fetch(
            "SELECT campaign_id, item_id, source, set_by FROM campaign_gold ORDER BY 1, 2"
        )
    assert [tuple(r) for r in found] == [
        (c1.id, imported, "import", None),
        (c1.id, reviewed, "review", "telegram:7"),
        (c2.id, imported, "import", None),
    ]
    # a campaign created later over the dataset takes the import gold only
    c3 = await store.create_campaign(replace(await _spec(store, c1), name="c3"), 9.0)
    assert await store.campaign_gold(c3.id) == {imported: ("yes", "It is red.")}


async def _spec(store: SqlStore, c: CampaignRow) -> NewCampaign:
    opts = ["yes", "no", "not_sure"]
    return NewCampaign("x", "verify", c.dataset_id, "Is this {label}?", opts, 1, 3, 0.8, 0)
