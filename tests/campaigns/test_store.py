"""The campaign store on SQLite and PostgreSQL: schedule claims are compare-and-set and
create their round in the same transaction; completion; the audit log."""

from __future__ import annotations

from storage import SqlStore
from storage.store_campaigns import NewSchedule
from tests.support.seeds import seed_campaign

NOW = 1_767_225_600.0


async def _channel(store: SqlStore) -> int:
    community = await store.upsert_community("telegram", "-100", "Labelers", NOW)
    ch = await store.upsert_channel("telegram", "-100", community.id, "Labelers", "group", NOW)
    return ch.id


async def test_a_due_schedule_is_claimed_once_with_its_round(store: SqlStore) -> None:
    campaign = await seed_campaign(store, items=3)
    channel_id = await _channel(store)
    s = await store.upsert_schedule(
        NewSchedule(campaign.id, channel_id, 10, 0, 0, 0, frozenset({5}), NOW, "telegram:7"), NOW
    )
    assert s.quiet_days == frozenset({5}) and s.channel_external_id == "-100"
    assert s.timezone == "UTC" and not s.tz_set
    assert await store.due_schedules(NOW - 1) == []
    (due,) = await store.due_schedules(NOW)
    claimed, rnd = await store.claim_schedule(
        due,
        next_run_at=NOW + 600,
        day_key="2026-01-01",
        day_count=1,
        now=NOW,
        closes_at=NOW + 120,
        gold_first=False,
    )
    assert claimed and rnd is not None
    assert (rnd.mode, rnd.channel_id, rnd.platform, rnd.message_ref) == (
        "channel",
        channel_id,
        "telegram",
        None,
    )
    # a second tick that read the same due row loses the race and writes nothing
    again = await store.claim_schedule(
        due,
        next_run_at=NOW + 600,
        day_key="2026-01-01",
        day_count=1,
        now=NOW,
        closes_at=NOW + 120,
        gold_first=False,
    )
    assert again == (False, None)
    assert not await store.advance_schedule(due.id, due.version, NOW + 5, "", 0)
    assert await store.due_schedules(NOW + 599) == []
    (fresh,) = await store.campaign_schedules(campaign.id)
    assert (fresh.last_round_id, fresh.day_count, fresh.last_run_at) == (rnd.id, 1, NOW)
    # never posted: found again at the next start, until it is bound or closes
    (left,) = await store.unposted_scheduled_rounds(NOW + 1)
    assert left[0].id == rnd.id
    await store.bind_round_message(rnd.id, "-100:5")
    assert await store.unposted_scheduled_rounds(NOW + 1) == []


async def test_paused_campaigns_do_not_run_and_deleting_stops_a_schedule(
    store: SqlStore,
) -> None:
    campaign = await seed_campaign(store, items=2)
    channel_id = await _channel(store)
    await store.upsert_schedule(
        NewSchedule(campaign.id, channel_id, 10, 0, 0, 0, frozenset(), NOW, "x"), NOW
    )
    assert await store.change_campaign_status(campaign.id, ("active",), "paused", NOW)
    assert not await store.change_campaign_status(campaign.id, ("active",), "stopped", NOW)
    assert await store.due_schedules(NOW) == []
    await store.change_campaign_status(campaign.id, ("paused",), "active", NOW)
    assert len(await store.due_schedules(NOW + 3600)) == 1
    assert [c.id for c in await store.campaign_channels(campaign.id)] == [channel_id]
    assert await store.delete_schedule(campaign.id, channel_id)
    assert not await store.delete_schedule(campaign.id, channel_id)
    assert await store.due_schedules(NOW + 3600) == []


async def test_a_campaign_is_done_when_every_normal_item_is_settled(store: SqlStore) -> None:
    campaign = await seed_campaign(store, items=3, gold=1)
    assert await store.campaigns_done() == []
    async with store.db.transaction() as tx:
        await tx.execute(
            "UPDATE tallies SET status = 'finalized' WHERE campaign_id = ? AND item_id IN "
            "(SELECT id FROM items WHERE gold IS NULL)",
            (campaign.id,),
        )
    assert await store.campaigns_done() == [campaign.id]  # the gold item stays open
    await store.change_campaign_status(campaign.id, ("active",), "completed", NOW)
    assert await store.campaigns_done() == []


async def test_the_audit_log_newest_first_and_by_campaign(store: SqlStore) -> None:
    campaign = await seed_campaign(store, items=1)
    await store.add_audit(
        at=NOW,
        actor="Mo (telegram 7)",
        action="campaign.create",
        target=campaign.name,
        campaign_id=campaign.id,
        platform="telegram",
        actor_id="7",
    )
    await store.add_audit(at=NOW + 1, actor="cli", action="campaign.pause", target="other")
    await store.add_audit(at=NOW + 2, actor="Rev", action="review.label", target=campaign.name)
    rows = await store.audit_entries(limit=10)
    assert [r.action for r in rows] == ["review.label", "campaign.pause", "campaign.create"]
    about = await store.audit_entries(campaign_id=campaign.id, target=campaign.name)
    assert [r.action for r in about] == ["review.label", "campaign.create"]
    assert about[1].platform == "telegram" and about[1].actor_id == "7"
    assert len(await store.audit_entries(limit=1)) == 1
