"""Webhooks out through the engine's dispatcher and the real HTTP sender, against a
loopback receiver that checks signatures with the snippet of docs/api.md (SQLite and
PostgreSQL): retries with backoff then delivery, giving up after the schedule, review and
completion events, a slow receiver that does not hold up answers, refused URLs, and the
dispatcher running inside the web adapter."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.config import WebhookSettings, WebSettings
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import InvalidInput, NotFound
from bot.core.kernel.models import PlayerRef
from bot.core.kernel.scope import Actor
from bot.core.webhooks import DispatchRules, check_url
from bot.web.app import WebAdapter
from bot.web.metrics import WebMetrics
from bot.web.webhooks_out import HttpSender
from storage import ReviewLogEntry, SqlStore
from tests.support.engine import vote_round
from tests.support.seeds import seed_campaign
from tests.webhooks.receiver import Receiver, docs_verify

ADMIN = Actor(PlayerRef("telegram", "1", "Ada"), True, None, False)
MODERATOR = Actor(PlayerRef("telegram", "2", "Mo"), False, 5, True)
RULES = DispatchRules(backoff=(10.0, 60.0), timeout=5.0, batch=50)


@pytest.fixture
async def receiver(clock: ManualClock) -> AsyncIterator[Receiver]:
    r = await Receiver(now=clock.now).start()
    try:
        yield r
    finally:
        await r.stop()


@pytest.fixture
async def sender() -> AsyncIterator[HttpSender]:
    s = HttpSender()
    try:
        yield s
    finally:
        await s.close()


async def hook_to(engine: Engine, receiver: Receiver, campaign: str = "colours") -> int:
    added = await engine.webhooks.add(ADMIN, campaign, receiver.url)
    receiver.secret = added.secret
    assert added.warning is None  # plain http to loopback: no warning
    return added.webhook.id


async def test_a_delivery_failing_twice_is_retried_with_backoff_then_delivered_signed(
    engine: Engine, store: SqlStore, clock: ManualClock, receiver: Receiver, sender: HttpSender
) -> None:
    await seed_campaign(store, game="classify", items=4, min_overlap=2, max_overlap=3)
    hook = await hook_to(engine, receiver)
    receiver.statuses = [500, 500]
    item = await vote_round(engine, clock, ["blue", "blue"], first=1)
    dispatcher = engine.webhooks.dispatcher(RULES)
    assert await dispatcher.run_once(sender) == 1  # 500
    assert await dispatcher.run_once(sender) == 0  # not due before the backoff
    clock.advance(10)
    assert await dispatcher.run_once(sender) == 1  # 500 again
    clock.advance(59)
    assert await dispatcher.run_once(sender) == 0
    clock.advance(1)
    assert await dispatcher.run_once(sender) == 1  # 200
    _, rows = await engine.webhooks.deliveries(ADMIN, hook)
    assert [(d.status, d.attempts, d.last_status_code, d.last_error) for d in rows] == [
        ("delivered", 3, 200, None)
    ]
    assert [g.verified for g in receiver.got] == [True, True, True]
    assert len({g.headers["X-LabelQuest-Delivery"] for g in receiver.got}) == 1
    last = receiver.got[-1]
    assert last.headers["X-LabelQuest-Event"] == "label.finalized"
    doc = last.doc
    assert (doc["type"], doc["data"]["item"]["id"], doc["data"]["label"]["label"]) == (
        "label.finalized",
        item,
        "blue",
    )
    verify = docs_verify()
    assert not verify("whsec_wrong", last.headers, last.body, clock.now())
    assert not verify(receiver.secret, last.headers, last.body + b" ", clock.now())
    assert not verify(receiver.secret, last.headers, last.body, clock.now() + 3600)


async def test_a_delivery_fails_for_good_once_the_backoff_is_used_up_and_metrics_count_it(
    engine: Engine, store: SqlStore, clock: ManualClock, receiver: Receiver, sender: HttpSender
) -> None:
    await seed_campaign(store, game="classify", items=4, min_overlap=2, max_overlap=3)
    hook = await hook_to(engine, receiver)
    receiver.statuses = [500, 503]
    metrics = WebMetrics(engine)
    metrics.attach()
    await vote_round(engine, clock, ["red", "red"], first=1)
    dispatcher = engine.webhooks.dispatcher(DispatchRules(backoff=(10.0,), timeout=5.0))
    assert await dispatcher.run_once(sender) == 1
    clock.advance(10)
    assert await dispatcher.run_once(sender) == 1
    clock.advance(3600)
    assert await dispatcher.run_once(sender) == 0  # failed: never again
    _, rows = await engine.webhooks.deliveries(ADMIN, hook)
    assert [(d.status, d.attempts, d.last_status_code) for d in rows] == [("failed", 2, 503)]
    sample = metrics.registry.get_sample_value
    assert sample("labelquest_webhook_deliveries_total", {"outcome": "retry"}) == 1
    assert sample("labelquest_webhook_deliveries_total", {"outcome": "failed"}) == 1
    metrics.detach()


async def test_review_finalization_and_completion_events_are_posted_in_order(
    engine: Engine, store: SqlStore, clock: ManualClock, receiver: Receiver, sender: HttpSender
) -> None:
    camp = await seed_campaign(store, game="classify", items=2, min_overlap=2, max_overlap=3)
    await hook_to(engine, receiver)
    split = await vote_round(engine, clock, ["red", "green", "blue"], first=1)
    agreed = await vote_round(engine, clock, ["blue", "blue"], first=10)
    entry = ReviewLogEntry("label", "cli", clock.now(), None, camp.id, split, None, {})
    await store.set_expert_label(camp.id, split, "green", entry)
    await engine.tick()  # every item final: the campaign completes
    await engine.webhooks.dispatcher(RULES).run_once(sender)
    docs = sorted((g.doc for g in receiver.got), key=lambda d: int(d["id"][4:]))
    assert [(d["type"], d["data"].get("item", {}).get("id")) for d in docs] == [
        ("item.needs_review", split),
        ("label.finalized", agreed),
        ("label.finalized", split),
        ("campaign.completed", None),
    ]
    assert docs[2]["data"]["label"]["label"] == "green" and docs[2]["data"]["label"]["expert"]
    assert docs[3]["data"]["campaign"] == {
        "id": camp.id,
        "name": camp.name,
        "status": "completed",
        "community_id": camp.community_id,
    }
    assert all(g.verified for g in receiver.got)


async def test_a_slow_receiver_does_not_hold_up_answers(
    engine: Engine, store: SqlStore, clock: ManualClock, receiver: Receiver, sender: HttpSender
) -> None:
    camp = await seed_campaign(store, game="classify", items=4, min_overlap=2, max_overlap=3)
    hook = await hook_to(engine, receiver)
    receiver.hold = asyncio.Event()
    await vote_round(engine, clock, ["red", "red"], first=1)
    sending = asyncio.create_task(engine.webhooks.dispatcher(RULES).run_once(sender))
    await receiver.arrived.wait()  # the receiver holds the request from here on
    later = await vote_round(engine, clock, ["blue", "blue"], first=10)
    tally = await store.get_tally(camp.id, later)
    assert tally is not None and tally.status == "finalized"
    assert not sending.done()
    receiver.hold.set()
    assert await sending == 1
    _, rows = await engine.webhooks.deliveries(ADMIN, hook)
    assert [d.status for d in rows] == ["delivered"]


async def test_urls_are_checked_and_only_admins_manage_webhooks(
    engine: Engine, store: SqlStore
) -> None:
    await seed_campaign(store)
    for bad, why in [
        ("ftp://example.org/x", "url: must be an http:// or https:// URL"),
        ("javascript:alert(1)", "url: must be an http:// or https:// URL"),
        ("https:///nohost", "url: names no host"),
        ("https://example.org/a b", "url: must not contain spaces or control characters"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            await engine.webhooks.add(ADMIN, "colours", bad)
        assert caught.value.message == why
    assert check_url("https://example.org/hook") is None
    assert check_url("http://[::1]:8000/hook") is None
    warning = check_url("http://example.org/hook")
    assert warning is not None and "plain http" in warning
    added = await engine.webhooks.add(ADMIN, "colours", "http://example.org/hook")
    assert added.warning == warning
    assert added.secret not in repr(added.webhook)
    with pytest.raises(NotFound):
        await engine.webhooks.add(MODERATOR, "colours", "https://example.org/hook")
    with pytest.raises(NotFound) as hidden:
        await engine.webhooks.remove(MODERATOR, added.webhook.id)
    with pytest.raises(NotFound) as missing:
        await engine.webhooks.remove(ADMIN, 999999)
    assert hidden.value.message.replace(
        str(added.webhook.id), "N"
    ) == missing.value.message.replace("999999", "N")
    assert await engine.webhooks.all(MODERATOR) == []
    with pytest.raises(NotFound):
        await engine.webhooks.add(ADMIN, "no-such-campaign", "https://example.org/hook")


async def test_the_web_adapter_sends_webhooks_while_it_serves(
    engine: Engine, store: SqlStore, clock: ManualClock, receiver: Receiver
) -> None:
    await seed_campaign(store, game="classify", items=4, min_overlap=2, max_overlap=3)
    await hook_to(engine, receiver)
    web = WebAdapter(
        engine,
        WebSettings(enabled=True, listen="127.0.0.1", port=0),
        webhooks=WebhookSettings(poll_seconds=0.1),
    )
    await web.start()
    try:
        item = await vote_round(engine, clock, ["red", "red"], first=1)
        await asyncio.wait_for(receiver.arrived.wait(), 60)
    finally:
        await web.stop()
    assert receiver.got[0].verified and receiver.got[0].doc["data"]["item"]["id"] == item


async def test_forgetting_an_admin_leaves_no_id_on_their_webhooks(
    engine: Engine, store: SqlStore
) -> None:
    await seed_campaign(store)
    await engine.players.consent(ADMIN.ref, True)
    player_id = await engine.kernel.player_id(ADMIN.ref)
    assert player_id is not None
    added = await engine.webhooks.add(ADMIN, "colours", "https://example.org/hook")
    assert added.webhook.created_by == "telegram:1"
    await store.delete_player(player_id)
    kept = await store.get_webhook(added.webhook.id)
    assert kept is not None and kept.created_by.startswith("deleted:")
